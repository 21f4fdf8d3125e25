import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// The register's scheduled notices (DOMAIN §2): reminders before a period ends, the admins' list of
/// overdue reviews and expired periods, and the `dossier.complete` event. The jobs call these with a clock
/// fixed at the moment they run for.
public struct RegisterNoticeWorkflows: Sendable {
    let store: RegisterStore
    let clock: DutchClock

    public init(store: RegisterStore, clock: DutchClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// A reminder whose day was missed (the service was down) is still sent within this many days.
    public static let catchUpDays = 7

    /// Reminders at effective end − 3 months, − 8 weeks and − 1 day, once per period and kind, only for a
    /// period still with her (not submitted, infoRequested, approved, refused or cancelled: `Reminder.schedule`):
    /// what is still red, and courses on the agenda that would close it.
    /// Runs on the job's transaction; returns how many were sent.
    public func sendReminders(on conn: PostgresConnection) async throws -> Int {
        let today = clock.today, catchUpDays = RegisterNoticeWorkflows.catchUpDays
        let catalog = try await store.normCatalog()
        // Read and evaluate first, write at the end (see JobRuns: hold a transaction id only briefly).
        var outgoing: [(periodId: UUID, due: [Reminder], email: String, message: Message)] = []
        for c in try await RegisterNotices.reminderCandidates(today: today, catchUpDays: catchUpDays, on: conn) {
            guard let facts = try await RegisterStore.dossierFacts(of: .id(c.practitionerId), period: .id(c.periodId), on: conn),
                let record = facts.periods.first(where: { $0.id == c.periodId }),
                // After the end a reminder ("morgen loopt uw registratie af") no longer fits: the period has expired
                // and the admins' list takes it from there.
                today <= record.period.effectiveEndDate
            else { continue }
            let due = record.period.reminders.filter { $0.date <= today && $0.date > today.adding(days: -catchUpDays) }
            // Only the latest one due: after a gap, one message rather than three.
            guard let reminder = due.max(by: { $0.date < $1.date }),
                !(try await RegisterNotices.reminderSent(periodId: record.id, kind: reminder.kind.rawValue, on: conn))
            else { continue }
            var dossier: Dossier?
            if let norm = catalog.norm(code: record.period.normCode) {
                let agenda = try await store.agendaCourses(norm: norm.code, from: today, through: record.period.effectiveEndDate)
                dossier = DossierEvaluator.evaluate(
                    norm: norm, period: record.period, completions: facts.inputs.completions,
                    ehboCertificates: facts.inputs.ehbo, careHours: facts.inputs.careHours, asOf: today, agenda: agenda)
            }
            let message = RegisterMessages.reminder(reminder.kind, to: facts.practitioner, period: record.period, dossier: dossier)
            // The due kinds are all done with this one message.
            outgoing.append((record.id, due.sorted { $0.date > $1.date }, facts.practitioner.email, message))
        }
        var sent = 0
        for m in outgoing {
            guard let latest = m.due.first,
                try await RegisterNotices.claimReminder(periodId: m.periodId, kind: latest.kind.rawValue, dueOn: latest.date, on: conn)
            else { continue }
            for earlier in m.due.dropFirst() {
                _ = try await RegisterNotices.claimReminder(
                    periodId: m.periodId, kind: earlier.kind.rawValue, dueOn: earlier.date, on: conn)
            }
            try await Outbox.enqueue(.reminder, to: m.email, clientId: nil, subject: m.message.subject, body: m.message.body, on: conn)
            sent += 1
        }
        return sent
    }

    /// Overdue reviews (submitted more than 14 days ago) and expired unsubmitted periods, to the admins;
    /// nothing when both lists are empty. Runs on the job's transaction; returns the two counts.
    public func reportOverdue(on conn: PostgresConnection) async throws -> (reviews: Int, expired: Int) {
        let today = clock.today
        let (reviews, expired) = try await RegisterNotices.overdue(today: today, on: conn)
        guard !(reviews.isEmpty && expired.isEmpty), let register = try await RegisterNotices.registerOrganization(on: conn) else {
            return (reviews.count, expired.count)
        }
        let m = RegisterMessages.overdue(on: today, reviews: reviews, expired: expired)
        try await Outbox.enqueueToOrganizations(.overdueReviews, [register], clientId: nil, subject: m.subject, body: m.body, on: conn)
        return (reviews.count, expired.count)
    }

    static let dossierCursor = "dossier-complete"

    /// Turns bookings into `dossier.complete` events: after accreditations are booked, it evaluates the
    /// practitioner's live periods and records the event once per period, the first time the dossier is
    /// complete. It reads the event stream from its own cursor, locked, so one instance does it at a time.
    /// Returns how many events it recorded.
    public func recordCompleteDossiers() async throws -> Int {
        let today = clock.today
        let store = self.store
        return try await store.pool.withTransaction { conn in
            guard let cursor = try await WorkerCursors.lock(RegisterNoticeWorkflows.dossierCursor, on: conn) else { return 0 }
            let events = try await WorkerCursors.bookings(after: cursor, limit: 1000, on: conn)
            guard let last = events.last else { return 0 }
            let catalog = try await store.normCatalog()
            // Evaluate first, write at the end (no transaction id while evaluating).
            var complete: [(practitionerId: UUID, periodId: UUID, norm: String)] = []
            for practitionerId in Set(events.compactMap(\.practitionerId)) {
                guard let facts = try await RegisterStore.dossierFacts(of: .id(practitionerId), period: .covering(today), on: conn) else {
                    continue
                }
                for record in facts.periods {
                    switch record.period.status {
                    case .active, .infoRequested, .upcoming: break
                    default: continue
                    }
                    guard let norm = catalog.norm(code: record.period.normCode) else { continue }
                    let inputs =
                        facts.inputsPeriodId == record.id
                        ? facts.inputs
                        : try await RegisterWorkflows.dossierInputs(practitionerId: practitionerId, periodId: record.id, on: conn)
                    let dossier = DossierEvaluator.evaluate(
                        norm: norm, period: record.period, completions: inputs.completions,
                        ehboCertificates: inputs.ehbo, careHours: inputs.careHours, asOf: today)
                    if dossier.complete { complete.append((practitionerId, record.id, norm.code)) }
                }
            }
            var recorded = 0
            for c in complete where try await WorkerCursors.markDossierComplete(periodId: c.periodId, on: conn) {
                try await DomainEvents.record(
                    .dossierComplete, practitionerId: c.practitionerId,
                    data: ["periodId": c.periodId.lowercasedString, "norm": c.norm], on: conn)
                recorded += 1
            }
            try await WorkerCursors.move(RegisterNoticeWorkflows.dossierCursor, to: last.cursor, on: conn)
            return recorded
        }
    }
}
