import FoundationEssentials
import Logging
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient

/// A scheduled job: which period a moment belongs to (it runs once per period), and the work, done
/// inside the transaction that records the run.
public struct Job: Sendable {
    public let name: String
    public let period: @Sendable (Date) -> String
    public let work: @Sendable (PostgresConnection, Date) async throws -> [String: String]

    public init(
        name: String, period: @escaping @Sendable (Date) -> String,
        work: @escaping @Sendable (PostgresConnection, Date) async throws -> [String: String]
    ) {
        self.name = name
        self.period = period
        self.work = work
    }

    public static let daily: @Sendable (Date) -> String = { DutchClock.day(of: $0).iso }
    public static let weekly: @Sendable (Date) -> String = { ISOWeek(containing: DutchClock.day(of: $0)).description }
}

/// Runs jobs once per period, whichever instance gets there first.
public struct JobScheduler: JobRunning {
    public let jobs: [Job]
    let runs: JobRuns
    let logger: Logger

    public init(pool: PostgresPool, jobs: [Job], logger: Logger) {
        self.jobs = jobs
        self.runs = JobRuns(pool: pool)
        self.logger = logger
    }

    public var names: [String] { jobs.map(\.name) }

    /// Runs `name` for the period of `now`, unless that period is done. nil for an unknown job.
    public func run(_ name: String, now: Date = Date(), trigger: String = "manual") async throws -> JobRunOutcome? {
        guard let job = jobs.first(where: { $0.name == name }) else { return nil }
        let outcome = try await runs.run(job: job.name, periodKey: job.period(now), trigger: trigger) { conn in
            try await job.work(conn, now)
        }
        if outcome.ran { logger.info("job ran", ["job": name, "period": outcome.periodKey].merging(outcome.result) { a, _ in a }) }
        return outcome
    }

    /// Every job for its current period (the scheduler's tick). A failing job is logged and retried on the next tick.
    public func runDue(now: Date = Date()) async -> [JobRunOutcome] {
        var out: [JobRunOutcome] = []
        for job in jobs {
            do {
                if let o = try await run(job.name, now: now, trigger: "schedule") { out.append(o) }
            } catch {
                logger.error("job failed", ["job": job.name, "error": "\(error)"])
            }
        }
        return out
    }
}

/// The jobs of DOMAIN.md §2 and §7 that exist so far.
public enum StandardJobs {
    /// Every job the service schedules.
    public static func all(waitlists: WaitlistStore, clients: ClientStore, register: RegisterStore) -> [Job] {
        [
            retention(), weeklyUpdate(waitlists: waitlists, clients: clients),
            RegisterJobs.reminders(register: register), RegisterJobs.overdueReviews(register: register),
            auditPartitions(),
        ]
    }

    /// The audit log's monthly partitions (migration 0016): this month's and the next three exist, so events never
    /// pile up in the default partition. Every start makes them too; this keeps a long-running service covered.
    public static func auditPartitions() -> Job {
        Job(name: "audit-partitions", period: Job.daily) { conn, _ in
            ["made": String(try await AuditLog.createPartitions(monthsAhead: 3, on: conn))]
        }
    }

    /// Retention (§7): six months after the due date, or on withdrawal, a client's personal fields are erased.
    public static func retention() -> Job {
        Job(name: "retention", period: Job.daily) { conn, now in
            let ids = try await ClientWorkflows.erasePersonalData(asOf: DutchClock.day(of: now), on: conn)
            return ["erased": String(ids.count)]
        }
    }

    /// The weekly update (§7) per waitlist, for the ISO week that just ended (`WeeklyUpdateWorkflow`).
    public static func weeklyUpdate(waitlists: WaitlistStore, clients: ClientStore) -> Job {
        let workflow = WeeklyUpdateWorkflow(waitlists: waitlists, clients: clients)
        return Job(name: "weekly-update", period: Job.weekly) { conn, now in
            let sent = try await workflow.send(asOf: DutchClock.day(of: now), on: conn)
            return ["week": sent.week.description, "messages": String(sent.messages)]
        }
    }
}
