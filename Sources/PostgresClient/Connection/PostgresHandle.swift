import CLibPQ
import Glibc

/// Owns one `PGconn`. Not thread-safe: only touched inside the lock of the connection that owns it
/// (`PostgresConnection`'s session, `PipelinedConnection`'s state). Sendable only so that a handle opened on another
/// thread can be handed into that lock.
final class PostgresHandle: @unchecked Sendable {
    let conn: OpaquePointer

    private init(conn: OpaquePointer) { self.conn = conn }

    deinit { PQfinish(conn) }

    /// Blocks for up to `connect_timeout`; call it on a connection's own queue.
    static func connect(_ parameters: [(String, String)]) throws -> PostgresHandle {
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let conn: OpaquePointer? = keywords.withUnsafeBufferPointer { keywordPointers in
            values.withUnsafeBufferPointer { valuePointers in
                keywordPointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { keywordPointers in
                    valuePointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { valuePointers in
                        PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 0)
                    }
                }
            }
        }
        guard let conn else {
            throw PostgresError(kind: .connection, message: "could not allocate a libpq connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.message(conn) ?? "could not connect"
            PQfinish(conn)
            throw PostgresError(kind: .connection, message: message)
        }
        // Notices (RAISE NOTICE, "there is no transaction in progress") would go to stderr.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        return PostgresHandle(conn: conn)
    }

    var isOK: Bool { PQstatus(conn) == CONNECTION_OK }

    var transactionStatus: PostgresTransactionStatus {
        switch PQtransactionStatus(conn) {
        case PQTRANS_IDLE: .idle
        case PQTRANS_ACTIVE: .active
        case PQTRANS_INTRANS: .inTransaction
        case PQTRANS_INERROR: .failedTransaction
        default: .unknown
        }
    }

    /// libpq's last error message, trimmed.
    static func message(_ conn: OpaquePointer) -> String? {
        guard let pointer = PQerrorMessage(conn) else { return nil }
        let text = String(cString: pointer).trimmingWhitespace()
        return text.isEmpty ? nil : text
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        return String(scalars)
    }
}
