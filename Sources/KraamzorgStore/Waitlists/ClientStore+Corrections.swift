import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// Her corrections through her link and the undoing of a birth report (DOMAIN §7a): SQL only; the workflow
/// (`ClientWorkflows+Corrections`) holds her row lock, decides, and writes the messages and the audit event.
extension ClientStore {
    /// When her birth was reported (nil: no report standing).
    public static func birthReportedAt(clientId: UUID, on conn: PostgresConnection) async throws -> Date? {
        try await conn.query("SELECT birth_reported_at FROM clients WHERE id = \(clientId)").first?.decode("birth_reported_at")
    }

    /// The report taken back: she waits again, without a birth date.
    public static func undoBirth(clientId: UUID, status: ClientStatus, on conn: PostgresConnection) async throws {
        _ = try await conn.execute(
            """
            UPDATE clients SET status = \(status.rawValue), born_on = NULL, birth_reported_at = NULL, updated_at = now() WHERE id = \(clientId)
            """)
    }

    /// A coordinator's correction of the date of a reported birth (the moment of the report stays).
    public static func correctBirthDate(clientId: UUID, bornOn: CivilDate, on conn: PostgresConnection) async throws {
        _ = try await conn.execute("UPDATE clients SET born_on = \(bornOn), updated_at = now() WHERE id = \(clientId)")
    }

    /// Her phone number and/or due date (nil: unchanged). A new due date moves the end of her links' validity
    /// along (`linkDaysAfterDue` days after it, in Dutch time), except for links already ended.
    public static func correct(
        clientId: UUID, phone: String?, dueDate: CivilDate?, linkDaysAfterDue: Int, on conn: PostgresConnection
    ) async throws {
        _ = try await conn.execute(
            """
            UPDATE clients SET phone = coalesce(\(phone), phone), due_date = coalesce(\(dueDate)::date, due_date), updated_at = now()
            WHERE id = \(clientId)
            """)
        if let dueDate {
            _ = try await conn.execute(
                """
                UPDATE client_links SET expires_at = (\(dueDate.adding(days: linkDaysAfterDue))::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
                WHERE client_id = \(clientId) AND expires_at > now()
                """)
        }
    }
}
