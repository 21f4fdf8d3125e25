import FoundationEssentials
import KraamzorgRules

/// Why a waitlist change is refused, as the person who asked reads it (the `detail` of a 409, or a field
/// error of a 422). English, as the API's other problem texts. The reasons the rules give themselves
/// (`AcceptanceRefusal.message`, `DueDateRangeError.message`, a release refusal) stay with the rules.
public enum WaitlistRefusals {
    // MARK: clients

    /// Field `insurerId` of an invitation.
    static let notAnInsurer = "must be an existing insurer"
    static let clientNumberActive = "this client number is already active for this insurer"
    static let invitationNoLongerAcceptable = "this invitation can no longer be accepted"
    static let alreadyEnrolled = "this client is already enrolled by a care provider"
    static func cannotEnrol(_ status: ClientStatus) -> String { "this client cannot be enrolled now (status \(status.rawValue))" }
    static let cannotRelease = "this client cannot be released"
    static func cannotWithdraw(_ status: ClientStatus) -> String { "a client with status \(status.rawValue) cannot be withdrawn" }
    static func birthOnlyWhileWaiting(_ status: ClientStatus) -> String {
        "a birth can only be reported for a waiting client (status \(status.rawValue))"
    }

    // MARK: lists of ids

    /// A list of organisation ids (preferred providers, preferent insurers) with an id of another kind or none.
    static func notEvery(_ kind: OrganizationKind) -> String { "every id must be an existing \(kind.rawValue) organisation" }
    static let notEveryRegion = "every id must be an existing region"

    // MARK: regions and waitlists

    /// Field `regionId` of a new waitlist.
    static let noSuchRegion = "no region has this id"

    /// Postcode areas another region (or another range of the same region) already covers.
    static func postcodeAreasTaken(_ overlap: ClosedRange<Int>, byRegionNamed other: String?) -> String {
        let who = other.map { "region \($0)" } ?? "another range of this region"
        return "postcode areas \(overlap.lowerBound)–\(overlap.upperBound) already belong to \(who)"
    }

    static func dueDatesCovered(_ overlap: DueDateRange) -> String {
        "the due dates \(overlap) are already covered by another waitlist of this region"
    }
}
