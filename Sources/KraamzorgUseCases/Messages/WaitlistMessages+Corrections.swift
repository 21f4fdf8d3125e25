import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// The second round's waitlist texts (DOMAIN §7a): a provider's contact, her corrections, an undone birth report.
extension WaitlistMessages {
    /// "12 maart 2027": a date as people write it in Dutch.
    public static func dutchDate(_ d: CivilDate) -> String {
        let months = [
            "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december",
        ]
        return "\(d.day) \(months[d.month - 1]) \(d.year)"
    }

    /// How she reaches the provider herself: its phone, email and website, or who to ask when none is on record.
    static func contactLines(_ provider: String, _ c: OrganizationContact) -> String {
        guard !c.isEmpty else {
            return "Wilt u zelf contact opnemen met \(provider)? Vraag dan de coördinator van uw regio om hun gegevens."
        }
        var lines = ["Wilt u zelf contact opnemen met \(provider)? Dat kan zo:"]
        if let p = c.phone { lines.append("Telefoon: \(p)") }
        if let e = c.email { lines.append("E-mail: \(e)") }
        if let w = c.website { lines.append("Website: \(w)") }
        return lines.joined(separator: "\n")
    }

    /// To her region's coordinators, when she tried to change her due date through her link to one outside her
    /// waitlist's range (refused; they may move her). Group-1 facts only, with the date she gave.
    static func dueDateOutsideRange(_ client: ClientRow, asked: CivilDate, waitlist: WaitlistRecord) -> Message {
        Message(
            subject: "Cliënt wil uitgerekende datum wijzigen (\(client.waitlistName))",
            body: groupOneSummary(
                client,
                intro: """
                    Deze cliënt gaf via haar persoonlijke link een nieuwe uitgerekende datum op: \(dutchDate(asked)).
                    Die datum valt buiten wachtlijst \(waitlist.name) (\(dutchDate(waitlist.dueDates.dueFrom)) tot en met \(dutchDate(waitlist.dueDates.dueTo))). De wijziging is niet doorgevoerd.
                    Neem zo nodig contact met haar op.
                    """))
    }

    /// To the region's coordinators and providers, when a birth report was undone (they had an urgent notice).
    static func birthUndone(_ client: ClientRow) -> Message {
        Message(
            subject: "Geboortemelding ingetrokken (\(client.waitlistName))",
            body: groupOneSummary(
                client,
                intro: "De geboortemelding van deze cliënt is ingetrokken. Zij staat weer gewoon op de wachtlijst (niet meer met spoed)."))
    }

    /// To the region's coordinators and providers, when a coordinator corrected the date of a reported birth.
    static func birthDateCorrected(_ client: ClientRow, bornOn: CivilDate) -> Message {
        Message(
            subject: "Geboortedatum gecorrigeerd (\(client.waitlistName))",
            body: groupOneSummary(client, intro: "De geboortedatum van deze cliënt is gecorrigeerd: \(dutchDate(bornOn))."))
    }
}

extension WaitlistRefusals {
    static func correctionsOnlyWhileActive(_ status: ClientStatus) -> String {
        "her details can only be corrected while she is waiting, enrolled or reported a birth (status \(status.rawValue))"
    }
    /// Field `dueDate` of her correction; her coordinator is told.
    static func dueDateOutsideWaitlist(_ range: DueDateRange) -> String {
        "this due date is outside her waitlist's range (\(range.dueFrom.iso) to \(range.dueTo.iso)); her coordinator has been told"
    }
    static func noBirthToUndo(_ status: ClientStatus) -> String {
        "there is no birth report to undo or correct (status \(status.rawValue))"
    }
    public static let birthUndoWindowPassed =
        "a birth report can be undone through her link within 24 hours only; after that her coordinator can correct it"
}
