import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// Checks the waitlist workflows share: ids that must name what they claim to, and the field each
/// acceptance refusal concerns.
enum WaitlistChecks {
    /// Refused (422 on `field`) unless every id is an organisation of `kind`.
    static func requireKind(_ kind: OrganizationKind, _ ids: [UUID], field: String, on conn: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        guard try await WaitlistStore.countOrganizations(ids, kind: kind, on: conn) == Set(ids).count else {
            throw StoreError.refused([.init(field: field, message: WaitlistRefusals.notEvery(kind))])
        }
    }

    /// Refused (422 on `field`) unless every id is a region.
    static func requireRegions(_ ids: [UUID], field: String, on conn: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        guard try await WaitlistStore.countRegions(ids, on: conn) == Set(ids).count else {
            throw StoreError.refused([.init(field: field, message: WaitlistRefusals.notEveryRegion)])
        }
    }

    /// The field an invitation's or acceptance's refusal concerns, with the rules' own text.
    static func reason(_ r: AcceptanceRefusal) -> StoreError.Reason {
        switch r {
        case .waitlistClosed: .init(field: "waitlist", message: r.message)
        case .dueDateOutsideRange: .init(field: "dueDate", message: r.message)
        case .postcodeOutsideRegion: .init(field: "postcode", message: r.message)
        }
    }
}
