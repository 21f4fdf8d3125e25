import CLibPQ
import Glibc

/// The state behind one connection's lock: the libpq handle and its prepared statements.
/// Every method blocks on the network and runs on the connection's queue.
struct PostgresSession {
    private(set) var handle: PostgresHandle?
    /// Statement key (SQL text, plus which parameters are bytea) → server-side statement name.
    private var statements: [String: String] = [:]
    private var nextStatementNumber = 0
    /// Statements that exist on the server, including ones dropped from `statements` as stale.
    private var preparedOnServer = 0
    private var preparedTotal = 0
    private let cacheLimit: Int
    /// A statement sent by `send` whose answer `receive` has not finished reading: its key, and its first result
    /// once read.
    private var inFlight: (key: String, first: Result<PostgresRows, PostgresError>?)?

    init(handle: PostgresHandle, cacheLimit: Int) {
        self.handle = handle
        self.cacheLimit = max(1, cacheLimit)
    }

    struct HealthSnapshot {
        var isBroken: Bool
        var transactionStatus: PostgresTransactionStatus
        var preparedStatements: Int
    }

    var healthSnapshot: HealthSnapshot {
        guard let handle, handle.isOK else {
            return HealthSnapshot(isBroken: true, transactionStatus: .unknown, preparedStatements: preparedTotal)
        }
        return HealthSnapshot(
            isBroken: false, transactionStatus: handle.transactionStatus, preparedStatements: preparedTotal)
    }

    mutating func close() {
        handle = nil
        statements = [:]
        inFlight = nil
    }

    /// Reads what arrived while idle, without blocking (libpq's socket is non-blocking): a terminated
    /// backend's goodbye and end-of-file turn the status to CONNECTION_BAD.
    func probe() -> Bool {
        guard let handle, handle.isOK else { return false }
        for _ in 0..<3 {
            if PQconsumeInput(handle.conn) == 0 { return false }
        }
        return handle.isOK && PQtransactionStatus(handle.conn) == PQTRANS_IDLE
    }

    // MARK: Extended protocol: prepared statements

    mutating func execute(_ query: PostgresQuery) throws -> PostgresRows {
        let conn = try liveConnection()
        let key = Self.statementKey(query)
        var retried = false
        while true {
            let name = try prepareIfNeeded(key: key, query: query, conn: conn)
            let result = try Self.withParameters(query.binds) { values, lengths, formats in
                PQexecPrepared(conn, name, Int32(query.binds.count), values, lengths, formats, 0)
            }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                return try Self.materialize(result!)
            case PGRES_FATAL_ERROR where result != nil:
                let error = Self.error(from: result, conn: conn)
                // The server lost our statement (DEALLOCATE, DISCARD ALL) or its plan no longer fits the
                // schema: forget it, and prepare again once if no transaction was aborted by it.
                if error.meansStatementLost {
                    statements[key] = nil
                    if error.sqlState == .invalidSQLStatementName { preparedOnServer -= 1 }
                    if !retried && PQtransactionStatus(conn) == PQTRANS_IDLE {
                        retried = true
                        continue
                    }
                }
                throw error
            default:
                throw try unexpected(result, conn: conn)
            }
        }
    }

    private mutating func prepareIfNeeded(key: String, query: PostgresQuery, conn: OpaquePointer) throws -> String {
        if let name = statements[key] { return name }
        if preparedOnServer >= cacheLimit {
            try deallocateAll(conn: conn)
        }
        nextStatementNumber += 1
        let name = "s\(nextStatementNumber)"
        let types = Self.parameterTypes(query)
        let result = PQprepare(conn, name, query.sql, Int32(types.count), types.isEmpty ? nil : types)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw Self.error(from: result, conn: conn)
        }
        statements[key] = name
        preparedOnServer += 1
        preparedTotal += 1
        return name
    }

    private mutating func deallocateAll(conn: OpaquePointer) throws {
        let result = PQexec(conn, "DEALLOCATE ALL")
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw Self.error(from: result, conn: conn) }
        statements = [:]
        preparedOnServer = 0
    }

    /// The SQL text, plus a marker of which parameters are binary (their types are fixed at PREPARE).
    static func statementKey(_ query: PostgresQuery) -> String {
        guard query.binds.contains(where: { if case .binary = $0 { true } else { false } }) else { return query.sql }
        var key = query.sql + "\u{0}"
        for bind in query.binds {
            if case .binary = bind { key += "b" } else { key += "t" }
        }
        return key
    }

    /// The types a statement is prepared with: bytea parameters are typed up front so that their binary form is never
    /// read as text; the others are left to the server (0).
    static func parameterTypes(_ query: PostgresQuery) -> [Oid] {
        query.binds.map { bind in
            if case .binary = bind { return 17 }
            return 0
        }
    }

    /// Lays every parameter out in one buffer (text NUL-terminated) and hands libpq pointers into it.
    static func withParameters<R>(
        _ binds: [PostgresBind],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) throws -> R {
        if binds.isEmpty { return body(nil, nil, nil) }
        var buffer: [UInt8] = [0]
        var offsets = [Int](repeating: -1, count: binds.count)
        var lengths = [Int32](repeating: 0, count: binds.count)
        var formats = [Int32](repeating: 0, count: binds.count)
        for (index, bind) in binds.enumerated() {
            switch bind {
            case .null:
                break
            case .text(var text):
                offsets[index] = buffer.count
                let hasNUL = text.withUTF8 { utf8 -> Bool in
                    guard let base = utf8.baseAddress, utf8.count > 0 else { return false }
                    if memchr(base, 0, utf8.count) != nil { return true }
                    buffer.append(contentsOf: utf8)
                    return false
                }
                if hasNUL {
                    throw PostgresError(
                        kind: .server, sqlState: .characterNotInRepertoire,
                        message: "invalid byte sequence for encoding \"UTF8\": 0x00 (parameter $\(index + 1))")
                }
                lengths[index] = Int32(buffer.count - offsets[index])
                buffer.append(0)
            case .binary(let bytes):
                offsets[index] = buffer.count
                buffer.append(contentsOf: bytes)
                lengths[index] = Int32(bytes.count)
                formats[index] = 1
            }
        }
        return buffer.withUnsafeBufferPointer { base in
            let start = UnsafeRawPointer(base.baseAddress!)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset < 0 ? nil : (start + offset).assumingMemoryBound(to: CChar.self)
            }
            return body(values, lengths, formats)
        }
    }

    // MARK: Sent without waiting (PostgresReactor)

    /// What `receive` found.
    enum Answer {
        /// Not all of it has arrived yet: wait until the socket is readable again.
        case pending
        case done(Result<PostgresRows, PostgresError>)
        /// The server lost the statement, or its plan no longer fits the schema: it is forgotten, and the caller
        /// runs the query with `execute`, which prepares it again.
        case prepareAgain
    }

    /// Parameters larger than this go by `execute`: sending them could block the caller's thread.
    static let sendLimit = 16 << 10

    /// Sends a statement this connection has prepared, without waiting for the answer; returns the socket to watch
    /// for it. nil when the statement is not prepared here yet or its parameters are large: use `execute`.
    mutating func send(_ query: PostgresQuery) throws -> Int32? {
        let conn = try liveConnection()
        let key = Self.statementKey(query)
        guard inFlight == nil, let name = statements[key] else { return nil }
        guard query.parameterBytes <= Self.sendLimit else { return nil }
        let sent = try Self.withParameters(query.binds) { values, lengths, formats in
            PQsendQueryPrepared(conn, name, Int32(query.binds.count), values, lengths, formats, 0)
        }
        guard sent == 1 else { throw try unexpected(nil, conn: conn) }
        inFlight = (key, nil)
        return PQsocket(conn)
    }

    /// Reads what has arrived of the answer to `send`, without blocking.
    mutating func receive() -> Answer {
        guard let handle, let (key, _) = inFlight else {
            return .done(.failure(PostgresError(kind: .connection, message: "the connection is closed")))
        }
        let conn = handle.conn
        if PQconsumeInput(conn) == 0 { return abandon() }
        // PQgetResult blocks while libpq is busy, so it is only called when it is not.
        while PQisBusy(conn) == 0 {
            guard let result = PQgetResult(conn) else {
                let outcome = inFlight?.first ?? .failure(PostgresError(kind: .connection, message: "no answer to the statement"))
                inFlight = nil
                return finish(outcome, key: key, conn: conn)
            }
            defer { PQclear(result) }
            if inFlight?.first == nil {
                let first = Self.rows(of: result, conn: conn)
                inFlight?.first = first
            }
        }
        return .pending
    }

    /// Gives up on the answer: the connection's protocol state is unknown, so it is closed.
    mutating func abandon() -> Answer {
        let message = handle.flatMap { PostgresHandle.message($0.conn) } ?? "the connection was lost"
        close()
        return .done(.failure(PostgresError(kind: .connection, message: message)))
    }

    /// A statement's result read: its rows, the server's error, or (a result kind this module does not drive) a
    /// connection error.
    static func rows(of result: OpaquePointer, conn: OpaquePointer) -> Result<PostgresRows, PostgresError> {
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            do { return .success(try materialize(result)) } catch let error as PostgresError { return .failure(error) } catch {
                return .failure(PostgresError(kind: .decoding, message: "\(error)"))
            }
        case PGRES_FATAL_ERROR:
            return .failure(error(from: result, conn: conn))
        default:
            let status = String(cString: PQresStatus(PQresultStatus(result)))
            return .failure(PostgresError(kind: .connection, message: "unsupported result \(status); connection closed"))
        }
    }

    /// As `execute` ends: a lost statement is forgotten (and prepared again if no transaction was aborted by it);
    /// a connection error closes the connection.
    private mutating func finish(_ outcome: Result<PostgresRows, PostgresError>, key: String, conn: OpaquePointer) -> Answer {
        guard case .failure(let error) = outcome else { return .done(outcome) }
        if error.kind == .connection || !(handle?.isOK ?? false) {
            close()
            return .done(outcome)
        }
        if error.meansStatementLost {
            statements[key] = nil
            if error.sqlState == .invalidSQLStatementName { preparedOnServer -= 1 }
            if PQtransactionStatus(conn) == PQTRANS_IDLE { return .prepareAgain }
        }
        return .done(outcome)
    }

    // MARK: Simple protocol

    mutating func simpleQuery(_ sql: String) throws -> PostgresCommandResult {
        let conn = try liveConnection()
        let result = PQexec(conn, sql)
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
            return PostgresCommandResult(tag: tag)
        case PGRES_FATAL_ERROR where result != nil:
            throw Self.error(from: result, conn: conn)
        default:
            throw try unexpected(result, conn: conn)
        }
    }

    // MARK: Results and errors

    private func liveConnection() throws -> OpaquePointer {
        guard let handle, handle.isOK else {
            throw PostgresError(kind: .connection, message: "the connection is closed")
        }
        return handle.conn
    }

    /// No result (the connection failed) or a result kind this module does not drive (COPY):
    /// the connection is closed, since its protocol state is unknown.
    private mutating func unexpected(_ result: OpaquePointer?, conn: OpaquePointer) throws -> PostgresError {
        if result == nil || !(handle?.isOK ?? false) {
            let message = PostgresHandle.message(conn) ?? "the connection was lost"
            close()
            return PostgresError(kind: .connection, message: message)
        }
        let status = String(cString: PQresStatus(PQresultStatus(result)))
        close()
        return PostgresError(kind: .connection, message: "unsupported result \(status); connection closed")
    }

    static func error(from result: OpaquePointer?, conn: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let result, let pointer = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: pointer)
        }
        let sqlState = field("C").map(SQLState.init(rawValue:))
        let message = field("M") ?? PostgresHandle.message(conn) ?? "unknown error"
        let broken = PQstatus(conn) != CONNECTION_OK || (sqlState?.isConnectionError ?? false)
        return PostgresError(
            kind: broken ? .connection : .server, sqlState: sqlState, message: message, detail: field("D"),
            hint: field("H"), constraint: field("n"), table: field("t"), column: field("c"))
    }

    static func materialize(_ result: OpaquePointer) throws -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [String] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(String(cString: PQfname(result, Int32(column))))
        }
        var total = 0
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                total += Int(PQgetlength(result, Int32(row), Int32(column)))
            }
        }
        guard total < Int(Int32.max) else {
            throw PostgresError(kind: .decoding, message: "result larger than 2 GiB")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var cells: [(start: Int32, length: Int32)] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
                    cells.append((0, -1))
                    continue
                }
                let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                let start = bytes.count
                if length > 0, let value = PQgetvalue(result, Int32(row), Int32(column)) {
                    value.withMemoryRebound(to: UInt8.self, capacity: length) { pointer in
                        bytes.append(contentsOf: UnsafeBufferPointer(start: pointer, count: length))
                    }
                }
                cells.append((Int32(start), Int32(length)))
            }
        }
        let tuples = PQcmdTuples(result).map { String(cString: $0) } ?? ""
        let storage = PostgresResultStorage(columns: columns, rowCount: rowCount, bytes: bytes, cells: cells)
        return PostgresRows(storage: storage, affectedRows: Int(tuples) ?? rowCount)
    }
}

struct PostgresCommandResult: Sendable {
    /// The last statement's command tag, e.g. `COMMIT`, or `ROLLBACK` when a failed transaction was ended.
    var tag: String
}

extension PostgresError {
    /// The server lost the prepared statement (DEALLOCATE, DISCARD ALL) or its plan no longer fits the schema: the
    /// connection forgets it and prepares it again.
    var meansStatementLost: Bool {
        sqlState == .invalidSQLStatementName || (sqlState == .featureNotSupported && message.contains("cached plan"))
    }
}
