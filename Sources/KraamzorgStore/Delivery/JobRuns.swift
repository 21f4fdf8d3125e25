import FoundationEssentials
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

/// Runs a job at most once per period. Instances take turns on a transaction-level advisory lock for
/// (job, period); the one holding it checks `job_runs`, does the work and records the run in the same
/// transaction, so a crash leaves the period undone and the next tick (any instance) runs it again.
///
/// The advisory lock needs no transaction id, so a job that reads first and writes last holds an id only
/// briefly: the event feed waits for every older transaction to end, and a long job holding an id would
/// stall it. Jobs should therefore collect what to write and write it at the end.
public struct JobRuns: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func run(
        job: String, periodKey: String, trigger: String,
        _ work: @escaping @Sendable (PostgresConnection) async throws -> [String: String]
    ) async throws -> JobRunOutcome {
        try await pool.withTransaction { conn in
            _ = try await conn.query("SELECT pg_advisory_xact_lock(hashtextextended(\(job + "|" + periodKey), 13))")
            let done = try await conn.query(
                """
                SELECT started_at, finished_at, result::text AS result FROM job_runs WHERE job = \(job) AND period_key = \(periodKey)
                """)
            if let row = done.first {
                let result =
                    (try? JSONDecoder().decode([String: String].self, from: Data((try row.decode("result", as: String.self)).utf8))) ?? [:]
                return JobRunOutcome(
                    job: job, periodKey: periodKey, ran: false, startedAt: try row.decode("started_at"),
                    finishedAt: try row.decode("finished_at"), result: result)
            }
            let started = Date()
            let result = try await work(conn)
            let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
            let finished = try await conn.query(
                """
                INSERT INTO job_runs (job, period_key, trigger, started_at, finished_at, result)
                VALUES (\(job), \(periodKey), \(trigger), \(started), clock_timestamp(), \(json)::jsonb)
                RETURNING finished_at
                """)[0].decode("finished_at", as: Date.self)
            return JobRunOutcome(job: job, periodKey: periodKey, ran: true, startedAt: started, finishedAt: finished, result: result)
        }
    }
}
