import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

extension ClientWorkflows {
    /// Retention (DOMAIN §7): erases the personal data (`ClientPersonalData`: her fields, the messages to her,
    /// her events' payloads) of clients six months past their due date, and of withdrawn clients; counts stay. Today is the clock's. Returns the clients erased now.
    @discardableResult
    public func erasePersonalData() async throws -> [UUID] {
        let today = clock.today
        return try await pool.withTransaction { conn in try await ClientWorkflows.erasePersonalData(asOf: today, on: conn) }
    }

    /// The retention erasure as of `today` inside the caller's transaction: the retention job's run row
    /// commits with it, or neither does. Each erasure is logged as a delete by the system.
    @discardableResult
    public static func erasePersonalData(asOf today: CivilDate, on conn: PostgresConnection) async throws -> [UUID] {
        let ids = try await ClientStore.clientsDueForErasure(dueOnOrBefore: Retention.lastDueDateErased(on: today), on: conn)
        try await ClientStore.erasePersonalData(clientIds: ids, texts: WaitlistMessages.erased, on: conn)
        try await ClientStore.audit(.delete, clientIds: ids, details: ["event": "retentionErasure"], by: .system, on: conn)
        return ids
    }
}
