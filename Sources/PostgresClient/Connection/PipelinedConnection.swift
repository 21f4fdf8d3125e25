import CLibPQ
import Dispatch
import Glibc
import Synchronization

/// One connection in libpq's pipeline mode, shared by concurrent one-statement reads (`PostgresPool.sharedRead`).
///
/// While a batch is at the server, the statements that arrive wait; when its answers are in, they go out together
/// as the next batch: one write from us, one read and one flush by the server for all of them. Under load the server
/// answers many statements per wake-up instead of one per round trip, which is most of what a short read costs.
///
/// A batch ends with one Sync, so it is one implicit transaction: the session is `default_transaction_read_only`,
/// and an error aborts the statements after it in its batch. Those, and every statement this connection cannot run
/// (not connected, lost, too many waiting), are handed back (`.elsewhere`) to run on the pool as usual.
final class PipelinedConnection: Sendable {
    enum Outcome: Sendable {
        case rows(PostgresRows)
        case failed(PostgresError)
        /// Not run here (or not known to have run): run it on the pool.
        case elsewhere
    }
    typealias Completion = @Sendable (Outcome) -> Void

    /// The reactor's token for this connection's socket (unique among the process's connections).
    let id: Int
    private let parameters: [(String, String)]
    private let state = Mutex(State())

    /// Statements waiting for the next batch at most; more go to the pool.
    static let maxQueued = 512
    /// Statements in one batch at most.
    static let maxBatch = 128
    /// Distinct statements prepared on the connection at most; others go to the pool.
    static let maxStatements = 64

    init(id: Int, parameters: [(String, String)]) {
        self.id = id
        self.parameters = parameters
    }

    struct Counts: Sendable {
        var statements = 0
        var batches = 0
        var connected = false
    }

    var counts: Counts {
        state.withLock { Counts(statements: $0.statementsRun, batches: $0.batches, connected: $0.handle != nil) }
    }

    /// A batch at the server longer than this (a slow statement) stalls the reads behind it: new ones go elsewhere.
    static let stallAfter: DispatchTimeInterval = .milliseconds(200)

    /// nil when not open or stalled; 0 when nothing is at the server (a statement submitted now goes out at once);
    /// else one more than the statements waiting for the next batch.
    var load: Int? {
        state.withLock { s in
            guard s.handle != nil else { return nil }
            if s.inFlight.isEmpty { return 0 }
            guard DispatchTime.now() < s.sentAt + Self.stallAfter else { return nil }
            return 1 + s.queued.count
        }
    }

    // MARK: Connecting

    /// Opens the connection in the background unless it is open, opening, or failed less than a second ago.
    func connectIfNeeded() {
        let start = state.withLock { s -> Bool in
            guard s.handle == nil, !s.connecting, !s.closed, DispatchTime.now() >= s.retryAt else { return false }
            s.connecting = true
            return true
        }
        guard start else { return }
        let parameters = self.parameters
        DispatchQueue.global().async {
            let handle = try? Self.open(parameters)
            // A handle not taken (the connection was closed meanwhile) closes as it goes out of scope.
            self.state.withLock { s in
                s.connecting = false
                guard let handle, !s.closed else {
                    s.retryAt = DispatchTime.now() + .seconds(1)
                    return
                }
                s.handle = handle
            }
        }
    }

    private static func open(_ parameters: [(String, String)]) throws -> PostgresHandle {
        let handle = try PostgresHandle.connect(parameters)
        guard PQenterPipelineMode(handle.conn) == 1, PQsetnonblocking(handle.conn, 1) == 0 else {
            throw PostgresError(kind: .connection, message: PostgresHandle.message(handle.conn) ?? "pipeline mode refused")
        }
        return handle
    }

    /// Closes the connection; what waits is handed back to the pool.
    func close() {
        let handedBack = state.withLock { s -> [(Completion, Outcome)] in
            s.closed = true
            return s.fail()
        }
        for (completion, outcome) in handedBack { completion(outcome) }
    }

    // MARK: Statements

    /// Queues `query` for the next batch (sent at once when none is at the server); `completion` runs once, on the
    /// thread that reads the answer, or at once with `.elsewhere`.
    func submit(_ query: PostgresQuery, _ completion: @escaping Completion) {
        var handedBack: [(Completion, Outcome)] = []
        let socket = state.withLock { s -> Int32? in
            guard s.handle != nil, s.queued.count < Self.maxQueued else {
                handedBack.append((completion, .elsewhere))
                return nil
            }
            let key = PostgresSession.statementKey(query)
            guard s.statements[key] != nil || s.statements.count < Self.maxStatements else {
                handedBack.append((completion, .elsewhere))
                return nil
            }
            s.queued.append(Pending(query: query, key: key, completion: completion))
            // A batch is at the server: this statement goes with the next one, sent when that batch's answers are in.
            guard s.inFlight.isEmpty else { return nil }
            handedBack = s.sendBatch()
            return s.inFlight.isEmpty ? nil : s.handle.map { PQsocket($0.conn) }
        }
        for (completion, outcome) in handedBack { completion(outcome) }
        guard let socket else { return }
        let watched = PostgresReactor.watch(fd: socket, token: UInt64(id)) { canWaitAgain in
            self.readable(canWaitAgain: canWaitAgain)
        }
        if !watched {
            let failed = state.withLock { $0.fail() }
            for (completion, outcome) in failed { completion(outcome) }
        }
    }

    /// Reads what has arrived; true when no batch is at the server any more (stop watching).
    private func readable(canWaitAgain: Bool) -> Bool {
        var ready: [(Completion, Outcome)] = []
        let finished = state.withLock { s -> Bool in
            let finished = s.read(into: &ready)
            if !finished && !canWaitAgain {
                ready += s.fail()
                return true
            }
            return finished
        }
        for (completion, outcome) in ready { completion(outcome) }
        return finished
    }
}

extension PipelinedConnection {
    fileprivate struct Pending {
        let query: PostgresQuery
        let key: String
        let completion: Completion
    }

    /// What the server will answer, in order: a Parse for a statement new to the connection, or a statement (its
    /// completion, nil once called).
    fileprivate enum Entry {
        case prepare(key: String)
        case statement(key: String, Completion?)
    }

    fileprivate struct State {
        var handle: PostgresHandle?
        var connecting = false
        var closed = false
        var retryAt = DispatchTime.now()
        var statements: [String: String] = [:]
        var nextStatementNumber = 0
        var queued: [Pending] = []
        /// The batch at the server (empty: none), and the entry whose answer is being read.
        var inFlight: [Entry] = []
        var cursor = 0
        var sentAt = DispatchTime.now()
        var statementsRun = 0
        var batches = 0

        /// Sends the queued statements as one batch; returns the completions to call (statements that failed before
        /// they were sent, or everything when the connection failed).
        mutating func sendBatch() -> [(Completion, Outcome)] {
            guard let conn = handle?.conn, inFlight.isEmpty, !queued.isEmpty else { return [] }
            let count = min(queued.count, PipelinedConnection.maxBatch)
            let batch = queued.prefix(count)
            queued.removeFirst(count)
            var refused: [(Completion, Outcome)] = []
            for pending in batch {
                let name: String
                if let known = statements[pending.key] {
                    name = known
                } else {
                    nextStatementNumber += 1
                    name = "r\(nextStatementNumber)"
                    let types = PostgresSession.parameterTypes(pending.query)
                    guard PQsendPrepare(conn, name, pending.query.sql, Int32(types.count), types.isEmpty ? nil : types) == 1 else {
                        return refused + failing(pending)
                    }
                    statements[pending.key] = name
                    inFlight.append(.prepare(key: pending.key))
                }
                let sent: Int32
                do {
                    sent = try PostgresSession.withParameters(pending.query.binds) { values, lengths, formats in
                        PQsendQueryPrepared(conn, name, Int32(pending.query.binds.count), values, lengths, formats, 0)
                    }
                } catch let error as PostgresError {
                    refused.append((pending.completion, .failed(error)))
                    continue
                } catch {
                    refused.append((pending.completion, .elsewhere))
                    continue
                }
                guard sent == 1 else { return refused + failing(pending) }
                inFlight.append(.statement(key: pending.key, pending.completion))
                statementsRun += 1
            }
            guard !inFlight.isEmpty else { return refused }
            guard PQpipelineSync(conn) == 1, flush(conn) else { return refused + fail() }
            batches += 1
            sentAt = DispatchTime.now()
            return refused
        }

        /// The connection failed while `pending` (already out of the queue) was being sent.
        private mutating func failing(_ pending: Pending) -> [(Completion, Outcome)] {
            [(pending.completion, .elsewhere)] + fail()
        }

        /// Sends all of libpq's output buffer. Non-blocking mode, so a full socket waits here: answers are read into
        /// libpq meanwhile, so the server, which may be blocked writing them, goes on reading. At most 10 s.
        private func flush(_ conn: OpaquePointer) -> Bool {
            let deadline = DispatchTime.now() + .seconds(10)
            while true {
                let left = PQflush(conn)
                if left == 0 { return true }
                if left < 0 || DispatchTime.now() >= deadline { return false }
                var descriptor = pollfd(fd: PQsocket(conn), events: Int16(POLLOUT | POLLIN), revents: 0)
                _ = poll(&descriptor, 1, 100)
                if descriptor.revents & Int16(POLLIN) != 0, PQconsumeInput(conn) == 0 { return false }
            }
        }

        /// Reads the answers that have arrived; true when the batch is over (and no next one was sent).
        mutating func read(into ready: inout [(Completion, Outcome)]) -> Bool {
            guard let conn = handle?.conn, !inFlight.isEmpty else { return true }
            if PQconsumeInput(conn) == 0 {
                ready += fail()
                return true
            }
            while PQisBusy(conn) == 0 {
                guard let result = PQgetResult(conn) else {
                    cursor += 1  // the end of one command's results
                    continue
                }
                defer { PQclear(result) }
                let status = PQresultStatus(result)
                if status == PGRES_PIPELINE_SYNC {
                    ready += handBackUnanswered()
                    inFlight = []
                    cursor = 0
                    ready += sendBatch()
                    return inFlight.isEmpty
                }
                guard cursor < inFlight.count else {
                    ready += fail()  // more answers than statements: the protocol state is unknown
                    return true
                }
                switch inFlight[cursor] {
                case .prepare(let key):
                    if status != PGRES_COMMAND_OK { statements[key] = nil }
                case .statement(let key, let completion?):
                    inFlight[cursor] = .statement(key: key, nil)
                    ready.append((completion, outcome(of: result, status: status, key: key, conn: conn)))
                case .statement(_, nil):
                    break
                }
                if handle?.isOK != true {
                    ready += fail()
                    return true
                }
            }
            return false
        }

        private mutating func outcome(of result: OpaquePointer, status: ExecStatusType, key: String, conn: OpaquePointer) -> Outcome {
            // PGRES_PIPELINE_ABORTED: an earlier statement of the batch failed, this one did not run.
            guard status != PGRES_PIPELINE_ABORTED else { return .elsewhere }
            switch PostgresSession.rows(of: result, conn: conn) {
            case .success(let rows):
                return .rows(rows)
            case .failure(let error) where error.kind == .connection:
                return .elsewhere
            case .failure(let error) where error.meansStatementLost:
                // Prepared anew next time; the pool's connection, which does the same, answers this one.
                statements[key] = nil
                return .elsewhere
            case .failure(let error):
                return .failed(error)
            }
        }

        /// Statements of the ending batch that got no answer.
        private mutating func handBackUnanswered() -> [(Completion, Outcome)] {
            inFlight.compactMap { entry in
                if case .statement(_, let completion?) = entry { return (completion, .elsewhere) }
                return nil
            }
        }

        /// Closes the connection; everything sent or waiting goes to the pool. It is opened again on next use.
        mutating func fail() -> [(Completion, Outcome)] {
            let handedBack = handBackUnanswered() + queued.map { ($0.completion, Outcome.elsewhere) }
            inFlight = []
            queued = []
            cursor = 0
            handle = nil
            statements = [:]
            retryAt = DispatchTime.now() + .milliseconds(200)
            return handedBack
        }
    }
}
