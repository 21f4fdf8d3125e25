import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// Why a change to organisations, users or memberships is refused: each reason with the field it
/// concerns (shown as 422). The API shows these texts as they are.
public enum IdentityRefusals {
    // MARK: organisations

    /// The organisation named in `field` (a parent, a membership's organisation) does not exist.
    public static func noSuchOrganization(field: String) -> StoreError.Reason {
        .init(field: field, message: "no organisation has this id")
    }

    public static let labelsOnlyUnderInsurers = StoreError.Reason(
        field: "parentId",
        message: "only an insurer has labels, and a label has no labels of its own")

    // MARK: memberships

    /// A role this kind of organisation does not have (its allowed roles listed, sorted).
    public static func roleNotAllowed(in kind: OrganizationKind) -> StoreError.Reason {
        let allowed = kind.allowedRoles.map(\.rawValue).sorted().joined(separator: ", ")
        return .init(field: "role", message: "a \(kind.rawValue) organisation has memberships with role \(allowed) only")
    }

    public static let practitionerMembershipNamesRecord = StoreError.Reason(
        field: "practitionerId",
        message: "a practitioner membership names her register record")
    public static let onlyPractitionerMembershipNamesRecord = StoreError.Reason(
        field: "practitionerId",
        message: "only a practitioner membership names a register record")
    public static let regionsOnlyForCoordinators = StoreError.Reason(field: "regionIds", message: "only coordinators have regions")
    public static let lastManager = StoreError.Reason(
        field: "manager",
        message: "this is the organisation's last manager; make someone else manager first")
}

extension IdentityRefusals {
    /// Koppelen: she already has this role in this organisation (409).
    public static let membershipExists = "this person already has a membership with this role in this organisation"
    /// Koppelen by an admin: no live account has the email (422 on `email`; a manager gets 404).
    public static let noAccountWithEmail = StoreError.Reason(
        field: "email", message: "no account has this email; create one with POST /v1/users")
}
