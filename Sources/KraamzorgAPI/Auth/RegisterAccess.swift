import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Who may see a practitioner's record: admins, and the practitioner herself. Anyone else gets 404 (the
/// record's existence is not theirs to know); roles outside the route's list get 403 before this.
enum RegisterAccess {
    static func isSelf(_ principal: Principal, _ practitionerId: UUID) -> Bool {
        principal.role == .practitioner && principal.membership.practitionerId == practitionerId
    }

    static func practitioner(_ ref: String?, _ principal: Principal, _ store: RegisterStore) async throws -> PractitionerRecord {
        guard let ref, let p = try await store.practitioner(ref: ref) else { throw APIProblem.notFound("practitioner") }
        guard principal.isAdmin || isSelf(principal, p.id) else { throw APIProblem.notFound("practitioner") }
        return p
    }

    /// The caller's course-provider organisation, when it acts as one.
    static func providerId(_ principal: Principal) -> UUID? {
        principal.role == .courseProvider ? principal.organization.id : nil
    }
}
