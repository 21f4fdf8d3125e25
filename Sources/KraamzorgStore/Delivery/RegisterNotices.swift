import FoundationEssentials
import KraamzorgRules
import PostgresClient

/// SQL for the register's scheduled notices: reminders before a period ends, and the admins' list of
/// overdue reviews and expired unsubmitted periods.
public enum RegisterNotices {
    /// Active periods of practitioners still on the register with a reminder due in (today − catchUpDays, today]
    /// and an effective end not passed. A period that is submitted, infoRequested (she gets the reviewer's
    /// question instead), approved, refused or cancelled gets none (`Reminder.schedule` decides; DOMAIN §2a).
    /// Only the effective ends that put one of the three reminders (end − 3 months, − 8 weeks, − 1 day) in that
    /// window are read, a few days' margin for month ends: the caller checks each reminder's exact date.
    public static func reminderCandidates(today: CivilDate, catchUpDays: Int, on conn: PostgresConnection) async throws -> [(
        practitionerId: UUID, periodId: UUID
    )] {
        let first = today.adding(days: 1 - catchUpDays)
        return try await conn.query(
            """
            SELECT rp.practitioner_id, rp.id FROM registration_periods rp JOIN practitioners p ON p.id = rp.practitioner_id
            WHERE rp.status = 'active' AND p.struck_off_on IS NULL AND p.deregistered_on IS NULL
              AND (rp.effective_end BETWEEN \(today) AND \(today.adding(days: 1))
                   OR rp.effective_end BETWEEN \(first.adding(weeks: 8)) AND \(today.adding(weeks: 8))
                   OR rp.effective_end BETWEEN \(first.adding(months: 3)) AND \(today.adding(months: 3).adding(days: 3)))
            ORDER BY rp.effective_end, rp.id
            """
        ).map { (try $0.decode("practitioner_id"), try $0.decode("id")) }
    }

    public static func reminderSent(periodId: UUID, kind: String, on conn: PostgresConnection) async throws -> Bool {
        !(try await conn.query("SELECT 1 AS one FROM reminders_sent WHERE period_id = \(periodId) AND kind = \(kind)").isEmpty)
    }

    /// Claims one reminder; false when it was sent before (by any instance, on any day).
    public static func claimReminder(periodId: UUID, kind: String, dueOn: CivilDate, on conn: PostgresConnection) async throws -> Bool {
        try await conn.execute(
            """
            INSERT INTO reminders_sent (period_id, kind, due_on) VALUES (\(periodId), \(kind), \(dueOn)) ON CONFLICT DO NOTHING
            """) == 1
    }

    /// One line of the admins' overdue list: whose, and the day it concerns (submitted on, or expired on).
    public struct OverdueItem: Sendable, Equatable {
        public let registrationNumber: String
        public let name: String
        public let date: CivilDate

        public init(registrationNumber: String, name: String, date: CivilDate) {
            self.registrationNumber = registrationNumber
            self.name = name
            self.date = date
        }
    }

    /// Submissions without a review after `days` days, and periods whose effective end passed without a submission.
    public static func overdue(today: CivilDate, days: Int = 14, on conn: PostgresConnection) async throws -> (
        reviews: [OverdueItem], expired: [OverdueItem]
    ) {
        let reviews = try await conn.query(
            """
            SELECT p.registration_number, p.first_name || ' ' || p.last_name AS name, s.submitted_on::text AS submitted_on
            FROM submissions s JOIN registration_periods rp ON rp.id = s.period_id JOIN practitioners p ON p.id = rp.practitioner_id
            WHERE rp.status = 'submitted' AND s.submitted_on < \(today.adding(days: -days))
              AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = s.id)
            ORDER BY s.submitted_on, p.registration_number
            """
        ).map {
            OverdueItem(
                registrationNumber: try $0.decode("registration_number"), name: try $0.decode("name"), date: try $0.date("submitted_on"))
        }
        let expired = try await conn.query(
            """
            SELECT p.registration_number, p.first_name || ' ' || p.last_name AS name, rp.effective_end::text AS effective_end
            FROM registration_periods rp JOIN practitioners p ON p.id = rp.practitioner_id
            WHERE rp.status IN ('active', 'infoRequested') AND rp.effective_end < \(today)
              AND p.struck_off_on IS NULL AND p.deregistered_on IS NULL
            ORDER BY rp.effective_end, p.registration_number
            """
        ).map {
            OverdueItem(
                registrationNumber: try $0.decode("registration_number"), name: try $0.decode("name"), date: try $0.date("effective_end"))
        }
        return (reviews, expired)
    }

    /// The register organisation (its members are the admins).
    public static func registerOrganization(on conn: PostgresConnection) async throws -> UUID? {
        try await conn.query("SELECT id FROM organizations WHERE kind = 'register'").first.map { try $0.decode("id") }
    }
}

/// An event-stream reader's position inside the service.
public enum WorkerCursors {
    /// Takes the reader's turn (a transaction-level advisory lock: no transaction id, so the feed is not held
    /// up while the reader works) and returns its position; nil when another instance has the turn.
    public static func lock(_ name: String, on conn: PostgresConnection) async throws -> EventCursor? {
        let got: Bool = try await conn.query("SELECT pg_try_advisory_xact_lock(hashtextextended(\(name), 17)) AS got")[0].decode("got")
        guard got else { return nil }
        return try await conn.query("SELECT txid::text AS txid, seq FROM worker_cursors WHERE name = \(name)")
            .first.map { EventCursor(txid: try $0.decode("txid"), seq: try $0.decode("seq")) } ?? .start
    }

    public static func move(_ name: String, to cursor: EventCursor, on conn: PostgresConnection) async throws {
        _ = try await conn.execute(
            """
            INSERT INTO worker_cursors (name, txid, seq) VALUES (\(name), \(cursor.txid)::xid8, \(cursor.seq))
            ON CONFLICT (name) DO UPDATE SET txid = excluded.txid, seq = excluded.seq
            """)
    }

    /// `accreditation.booked` events after `cursor` (same ordering and settling rule as the feed), on the caller's
    /// connection. The type is written out so the partial index events_bookings (migration 0025) serves it: the
    /// reader's cursor only moves over bookings, and the other events must not be read again on every pass.
    public static func bookings(after cursor: EventCursor, limit: Int, on conn: PostgresConnection) async throws -> [DomainEventRow] {
        try await conn.query(
            """
            SELECT \(unsafeRaw: DomainEvents.columns) FROM events
            WHERE (txid, seq) > (\(cursor.txid)::xid8, \(cursor.seq)::bigint)
              AND txid < pg_snapshot_xmin(pg_current_snapshot()) AND type = 'accreditation.booked'
            ORDER BY events.txid, events.seq LIMIT \(limit)
            """
        ).map(DomainEvents.row)
    }

    /// Records that a period's dossier became complete; false when it was recorded before.
    public static func markDossierComplete(periodId: UUID, on conn: PostgresConnection) async throws -> Bool {
        try await conn.execute("INSERT INTO dossier_completions (period_id) VALUES (\(periodId)) ON CONFLICT DO NOTHING") == 1
    }
}
