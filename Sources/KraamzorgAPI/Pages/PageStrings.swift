import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases

/// Every text on the client pages, one instance per language (`PageStrings+nl.swift`, `PageStrings+en.swift`).
/// A missing translation does not compile: both instances fill every field.
struct PageStrings: Sendable {
    let code: String
    let siteName: String
    let otherLanguageCode: String
    let otherLanguageName: String
    let months: [String]
    let errorSummaryTitle: String
    let fieldError: @Sendable (String) -> String

    // Pages for links that do not work (any more), and other errors.
    let linkUnknownTitle: String
    let linkUnknownText: String
    let invitationExpiredTitle: String
    let invitationExpiredText: String
    let invitationUsedTitle: String
    let invitationUsedText: String
    let clientLinkExpiredTitle: String
    let clientLinkExpiredText: String
    let formTokenTitle: String
    let formTokenText: String
    let unsupportedFormTitle: String
    let unsupportedFormText: String
    let serverErrorTitle: String
    let serverErrorText: String
    let whatNow: String

    // Invitation.
    let invitationTitle: String
    let invitationIntro: @Sendable (_ waitlist: String, _ region: String) -> String
    let invitationWhy: String
    let invitationValidUntil: @Sendable (_ date: String) -> String
    let detailsLegend: String
    let firstName: String
    let lastName: String
    let phone: String
    let phoneHint: String
    let postcode: String
    let postcodeHint: String
    let dueDate: String
    let dueDateHint: String
    let dateHint: String
    let providersLegend: String
    let providersHint: String
    let consentLegend: String
    let consentText: String
    let consentRetention: String
    let consentCheckbox: String
    let acceptButton: String
    let required: String
    let nameInvalid: String
    let phoneInvalid: String
    let postcodeInvalid: String
    let dateInvalid: String
    let consentMissing: String
    let consentChanged: String
    let providersInvalid: String
    let waitlistClosed: String
    let dueDateOutside: String
    let postcodeOutside: String

    // Confirmation.
    let confirmedTitle: String
    let confirmedText: @Sendable (_ waitlist: String, _ region: String) -> String
    let personalLinkHeading: String
    let personalLinkText: String
    let qaHeading: String

    // Her placement.
    let statusTitle: String
    let statusHeading: String
    let statusName: @Sendable (ClientStatus, _ urgent: Bool) -> String
    let statusWaiting: String
    let statusWaitingUrgent: @Sendable (_ week: Int) -> String
    let statusEnrolled: @Sendable (_ provider: String) -> String
    let statusEnrolledContact: String
    let statusBirthReported: @Sendable (_ date: String) -> String
    let statusWithdrawn: String
    let statusInvited: String
    let detailsHeading: String
    let waitlistLabel: String
    let regionLabel: String
    let pregnancyWeekLabel: String
    let clientNumberLabel: String
    let nameLabel: String
    let emailLabel: String
    let birthHeading: String
    let birthText: String
    let bornOn: String
    let birthButton: String
    let bornOnFuture: String
    let birthSaved: String
    let withdrawHeading: String
    let withdrawText: String
    let withdrawLink: String
    let withdrawConfirmTitle: String
    let withdrawConfirmText: String
    let reason: String
    let reasonTooLong: String
    let withdrawButton: String
    let cancelLink: String
    let withdrawSaved: String
    let notPossibleNow: String
    let accessHeading: String
    let accessIntro: String
    let accessEmpty: String
    let accessWhen: String
    let accessOrganization: String
    let accessRole: String
    let accessAction: String
    let roleName: @Sendable (String?) -> String
    let actionName: @Sendable (String) -> String
    let yourself: String
    let systemName: String

    /// "12 maart 2026".
    func date(_ d: CivilDate) -> String { "\(d.day) \(months[d.month - 1]) \(d.year)" }

    /// "12 maart 2026, 14:05" in Dutch time.
    func dateTime(_ at: Date) -> String {
        let (day, hour, minute) = DutchTime.local(at)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(day.day) \(months[day.month - 1]) \(day.year), \(two(hour)):\(two(minute))"
    }

    static func forCode(_ code: String) -> PageStrings { code == "en" ? .en : .nl }

    /// `?lang=en|nl` wins; else the best of nl/en in `Accept-Language`; else Dutch.
    static func negotiate(_ request: HTTPRequest) -> PageStrings {
        if let q = request.query("lang")?.lowercased() {
            if q == "en" { return .en }
            if q == "nl" { return .nl }
        }
        guard let header = request.headers["Accept-Language"] else { return .nl }
        var best: (code: String, q: Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard primary == "nl" || primary == "en" else { continue }
            var quality = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { quality = Double(p.dropFirst(2)) ?? 0 }
            if quality > 0, quality > (best?.q ?? 0) { best = (primary, quality) }
        }
        return best?.code == "en" ? .en : .nl
    }
}
