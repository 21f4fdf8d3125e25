import Foundation
import PostgresClient

/// The outcome of asking for a job run.
public struct JobRunOutcome: Sendable {
    public let job: String
    public let periodKey: String
    /// False when the period was already done (by this or another instance).
    public let ran: Bool
    public let startedAt: Date
    public let finishedAt: Date?
    public let result: [String: String]
}

/// Runs a job at most once per period: the `job_runs` row is inserted in the same transaction as the
/// job's work. A second instance's insert waits on the primary key until the first commits (then it
/// finds the period done) or rolls back (then it runs the job itself).
public struct JobRuns: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func run(job: String, periodKey: String, trigger: String,
                    _ work: @escaping @Sendable (PostgresConnection) async throws -> [String: String]) async throws -> JobRunOutcome {
        try await pool.withTransaction { conn in
            let claimed = try await conn.query("""
                INSERT INTO job_runs (job, period_key, trigger) VALUES (\(job), \(periodKey), \(trigger))
                ON CONFLICT (job, period_key) DO NOTHING RETURNING started_at
                """)
            guard let row = claimed.first else {
                let done = try await conn.query("""
                    SELECT started_at, finished_at, result::text AS result FROM job_runs WHERE job = \(job) AND period_key = \(periodKey)
                    """)[0]
                let result = (try? JSONDecoder().decode([String: String].self, from: Data((try done.decode("result", as: String.self)).utf8))) ?? [:]
                return JobRunOutcome(job: job, periodKey: periodKey, ran: false, startedAt: try done.decode("started_at"),
                                     finishedAt: try done.decode("finished_at"), result: result)
            }
            let result = try await work(conn)
            let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
            let finished = try await conn.query("""
                UPDATE job_runs SET finished_at = clock_timestamp(), result = \(json)::jsonb
                WHERE job = \(job) AND period_key = \(periodKey) RETURNING finished_at
                """)[0].decode("finished_at", as: Date.self)
            return JobRunOutcome(job: job, periodKey: periodKey, ran: true, startedAt: try row.decode("started_at"),
                                 finishedAt: finished, result: result)
        }
    }
}
