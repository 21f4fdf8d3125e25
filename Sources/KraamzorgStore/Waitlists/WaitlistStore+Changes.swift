#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KraamzorgRules
import PostgresClient

/// SQL the workflows of KraamzorgUseCases run on their transaction's connection. They decide nothing:
/// the caller checks the rules.
extension WaitlistStore {
    // MARK: checks

    /// How many of the distinct `ids` are organisations of `kind`.
    public static func countOrganizations(_ ids: [UUID], kind: OrganizationKind, on conn: PostgresConnection) async throws -> Int {
        try await conn.query("""
            SELECT count(*) AS n FROM organizations WHERE id = ANY(\(Array(Set(ids)))::uuid[]) AND kind = \(kind.rawValue)
            """)[0].decode("n", as: Int.self)
    }

    // MARK: waitlists

    public static func waitlist(id: UUID, lock: RowLock = .none, on conn: PostgresConnection) async throws -> WaitlistRecord? {
        try await conn.query("""
            SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(id) \(unsafeRaw: lock.sql)
            """).first.map(WaitlistStore.waitlist)
    }
}
