import KraamzorgStore
import PostgresClient
import Synchronization

/// Reads that may lag go to a read replica (`DATABASE_READ_URL`), everything else to the primary.
///
/// **The rule.** Only reads that no caller can have just changed themselves go to the replica: the public register
/// lookup (`GET /v1/register/{n}`, `GET /v1/certificates/{code}`), the bulk lookups (`POST /v1/register/lookups`,
/// register data, never the caller's own), the public course agenda (`GET /v1/courses`) and the public statistics.
/// Every authenticated read of the caller's own data, and every write, stays on the primary, so a caller always reads
/// her own writes.
///
/// **Down replica.** A read that fails on the replica for want of a connection (refused, broken, no connection free
/// in time) is run again on the primary at once, and the replica is left alone for `retryAfter`; `/readyz` says
/// whether it answers. A replica that lags is not detected here: PostgreSQL's streaming replication keeps the lag
/// to the time it takes to replay the WAL (milliseconds on a healthy pair).
final class ReadReplica: Sendable {
    /// The register as the reads that may lag borrow it: on the replica when there is one.
    let replica: RegisterStore?
    let primary: RegisterStore
    /// The replica's pool, for `/readyz`.
    let replicaPool: PostgresPool?
    static let retryAfter: Duration = .seconds(5)

    private struct State {
        var downUntil: ContinuousClock.Instant?
        var servedByReplica = 0
        var servedByPrimary = 0
        var fallbacks = 0
    }
    private let state = Mutex(State())

    init(primary: RegisterStore, replicaPool: PostgresPool?) {
        self.primary = primary
        self.replicaPool = replicaPool
        self.replica = replicaPool.map { RegisterStore(pool: $0) }
    }

    /// Runs `read` on the replica when there is one and it was not found down lately; else, or when it fails for want
    /// of a connection, on the primary.
    func read<T: Sendable>(_ read: (RegisterStore) async throws -> T) async throws -> T {
        if let replica, replicaUsable() {
            do {
                let value = try await read(replica)
                state.withLock { $0.servedByReplica += 1 }
                return value
            } catch let error as PostgresError where [.connection, .timeout, .poolClosed].contains(error.kind) {
                state.withLock { state in
                    state.downUntil = ContinuousClock.now + ReadReplica.retryAfter
                    state.fallbacks += 1
                }
            }
        }
        let value = try await read(primary)
        state.withLock { $0.servedByPrimary += 1 }
        return value
    }

    private func replicaUsable() -> Bool {
        state.withLock { state in
            guard let until = state.downUntil else { return true }
            if ContinuousClock.now >= until {
                state.downUntil = nil
                return true
            }
            return false
        }
    }

    /// nil without a replica; else whether it answers now (and it is used again at once when it does).
    func replicaAnswers() async -> Bool? {
        guard let replicaPool else { return nil }
        let answers = await replicaPool.ping(timeout: .milliseconds(500))
        state.withLock { state in state.downUntil = answers ? nil : ContinuousClock.now + ReadReplica.retryAfter }
        return answers
    }

    /// Reads served by each pool so far, and how many fell back from the replica (for `/metrics`).
    var counts: (replica: Int, primary: Int, fallbacks: Int) {
        state.withLock { ($0.servedByReplica, $0.servedByPrimary, $0.fallbacks) }
    }
}
