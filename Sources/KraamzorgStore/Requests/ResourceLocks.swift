import FoundationEssentials
import PostgresClient

/// One lock per API resource (its path, `/v1/courses/<id>`), across every instance: a transaction-level
/// advisory lock held on a connection of its own while a write to that resource runs. Writes to the same
/// resource take turns, so an `If-Match` check and the write it guards see no other write in between.
/// The lock is never taken inside another transaction, so it cannot close a cycle with row locks.
public struct ResourceLocks: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func withLock<T: Sendable>(_ resource: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await pool.withTransaction(maxAttempts: 1) { conn in
            _ = try await conn.query("SELECT pg_advisory_xact_lock(hashtextextended(\(resource), 22))")
            return try await body()
        }
    }
}
