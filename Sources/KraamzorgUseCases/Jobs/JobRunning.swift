import FoundationEssentials
import KraamzorgStore

/// What the API needs of the job scheduler (`GET /v1/jobs`, `POST /v1/jobs/{name}/run`). The executable
/// builds the scheduler (KraamzorgJobs) and hands it in, so the API does not depend on the jobs module.
public protocol JobRunning: Sendable {
    /// The names of the scheduled jobs.
    var names: [String] { get }
    /// Runs `name` for the period of `now`, unless that period is done; nil for an unknown job.
    func run(_ name: String, now: Date, trigger: String) async throws -> JobRunOutcome?
}
