#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

    public init(name: String, period: @escaping @Sendable (Date) -> String,
                work: @escaping @Sendable (PostgresConnection, Date) async throws -> [String: String]) {
        self.name = name
        self.period = period
        self.work = work
    }

    /// The Dutch calendar day of `now`.
    public static func civilDay(_ now: Date) -> CivilDate { DutchTime.day(now) }

    public static let daily: @Sendable (Date) -> String = { civilDay($0).iso }
    public static let weekly: @Sendable (Date) -> String = { ISOWeek(containing: civilDay($0)).description }
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
        let outcome = try await runs.run(job: job.name, periodKey: job.period(now), trigger: trigger) { conn in try await job.work(conn, now) }
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
        [retention(), weeklyUpdate(waitlists: waitlists, clients: clients),
         RegisterJobs.reminders(register: register), RegisterJobs.overdueReviews(register: register)]
    }

    /// Retention (§7): six months after the due date, or on withdrawal, a client's personal fields are erased.
    public static func retention() -> Job {
        Job(name: "retention", period: Job.daily) { conn, now in
            let ids = try await ClientStore.erasePersonalData(asOf: Job.civilDay(now), on: conn)
            return ["erased": String(ids.count)]
        }
    }

    /// The weekly update (§7) per waitlist, to the region's coordinators and to each insurer that may see
    /// it, each with counts per its own visibility, for the ISO week that just ended.
    public static func weeklyUpdate(waitlists: WaitlistStore, clients: ClientStore) -> Job {
        Job(name: "weekly-update", period: Job.weekly) { conn, now in
            let today = Job.civilDay(now)
            let week = ISOWeek(containing: today.adding(weeks: -1))
            let start = WaitlistReport.startOfDay(week.monday), end = WaitlistReport.startOfDay(week.sunday.adding(days: 1))
            // Read and count first, write at the end (see JobRuns: hold a transaction id only briefly).
            var coordinatorMessages: [(regionId: UUID, subject: String, body: String)] = []
            var insurerMessages: [(organizationId: UUID, subject: String, body: String)] = []
            for w in try await waitlists.allWaitlists() {
                let rows = try await clients.clients(scope: .all, filter: ClientFilter(waitlistId: w.id))
                let coordinator = Viewer.coordinator(CoordinatorViewer(regionIds: [w.regionId.ruleID], avgAccess: false))
                let forCoordinators = WaitlistReport(rows: rows, viewer: coordinator, week: week, today: today, weekStart: start, weekEnd: end)
                let subject = "Weekoverzicht wachtlijst \(w.name) (\(week.description))"
                coordinatorMessages.append((w.regionId, subject, text(w.name, forCoordinators)))
                for insurer in try await waitlists.insurersSeeing(waitlistId: w.id) {
                    guard let viewer = try await waitlists.organizationViewer(id: insurer) else { continue }
                    let report = WaitlistReport(rows: rows, viewer: viewer, week: week, today: today, weekStart: start, weekEnd: end)
                    insurerMessages.append((insurer, subject, text(w.name, report)))
                }
            }
            let before = try await count(conn)
            for m in coordinatorMessages {
                try await Outbox.enqueueToCoordinators(.weeklyUpdate, regionId: m.regionId, clientId: nil, subject: m.subject, body: m.body, on: conn)
            }
            for m in insurerMessages {
                try await Outbox.enqueueToOrganizations(.weeklyUpdate, [m.organizationId], clientId: nil, subject: m.subject, body: m.body, on: conn)
            }
            let messages = try await count(conn) - before
            return ["week": week.description, "messages": String(messages)]
        }
    }

    static func count(_ conn: PostgresConnection) async throws -> Int {
        try await conn.query("SELECT count(*)::bigint AS n FROM notifications WHERE kind = 'weeklyUpdate'")[0].decode("n", as: Int.self)
    }

    static func text(_ name: String, _ r: WaitlistReport) -> String {
        var s = """
            Weekoverzicht van wachtlijst \(name), week \(r.week.description).
            Alleen cliënten die u mag zien zijn meegeteld.

            Totaal: \(r.total.waiting) wachtend, \(r.total.urgent) urgent, \(r.total.enrolled) ingeschreven, \(r.total.newPlacements) nieuw geplaatst.

            Per week van de uitgerekende datum (wachtend / urgent / ingeschreven / nieuw):
            """
        if r.lines.isEmpty { s += "\n(geen cliënten)" }
        for l in r.lines { s += "\n\(l.dueWeek): \(l.waiting) / \(l.urgent) / \(l.enrolled) / \(l.newPlacements)" }
        return s
    }
}
