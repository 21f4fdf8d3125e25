import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// The waitlist's emails (Dutch: the clients, coordinators, insurers and providers are Dutch).
public enum WaitlistMessages {
    // MARK: to her

    /// To her, when an insurer or coordinator invited her (the link follows the body).
    static func invitation(waitlist: WaitlistRecord, region: RegionRecord, linkDays: Int) -> Message {
        Message(
            subject: "Uitnodiging: wachtlijst kraamzorg \(region.name)",
            body: """
                Beste cliënt,

                Uw zorgverzekeraar heeft voor u nog geen kraamzorg kunnen vinden. In uw regio (\(region.name)) is daarom een wachtlijst: \(waitlist.name).
                Via de link hieronder vult u uw gegevens in en geeft u toestemming om ze te delen met kraamzorgaanbieders. Daarna staat u op de wachtlijst.
                De link werkt \(linkDays) dagen en één keer.
                """)
    }

    /// To her, when she accepted and is on the waitlist: with the region's Q&A (her personal link follows the body).
    static func placed(firstName: String, waitlist: WaitlistRecord, region: RegionRecord) -> Message {
        Message(
            subject: "U staat op de wachtlijst kraamzorg \(region.name)",
            body: """
                Beste \(firstName),

                U staat op de wachtlijst \(waitlist.name) in regio \(region.name). Zodra een kraamzorgaanbieder u inschrijft, krijgt u bericht.
                Bevalt u voordat een kraamzorgaanbieder u heeft ingeschreven? Meld dit dan meteen via uw persoonlijke link. Via die link ziet u ook wie uw gegevens heeft bekeken, en kunt u zich afmelden.

                Vragen en antwoorden:
                \(region.clientInfo)
                """)
    }

    /// To her, when a provider enrolled her: with the provider's contact details (DOMAIN §7a).
    static func enrolled(_ client: ClientRow, provider: String, contact: OrganizationContact) -> Message {
        Message(
            subject: "U bent ingeschreven bij \(provider)",
            body: """
                Beste \(client.firstName ?? "cliënt"),

                Goed nieuws: \(provider) zorgt voor uw kraamzorg en neemt contact met u op.
                \(contactLines(provider, contact))
                """)
    }

    /// To the other providers of the region, when one of them enrolled her.
    static func enrolledElsewhere(_ client: ClientRow) -> Message {
        Message(
            subject: "Cliënt geplaatst (\(client.waitlistName))",
            body: groupOneSummary(
                client, intro: "Deze cliënt is door een andere kraamzorgaanbieder ingeschreven en staat niet meer op de wachtlijst."))
    }

    /// To her insurer, when a provider enrolled her.
    static func insuredEnrolled(_ client: ClientRow, provider: String) -> Message {
        Message(
            subject: "Uw verzekerde is geplaatst (\(client.waitlistName))",
            body: groupOneSummary(client, intro: "Uw verzekerde is ingeschreven bij \(provider)."))
    }

    // MARK: to the organisations

    /// To the providers of the region, when she accepted and is on the waitlist.
    static func newClient(_ client: ClientRow, waitlist: WaitlistRecord, region: RegionRecord) -> Message {
        Message(
            subject: "Nieuwe cliënt op wachtlijst \(waitlist.name)",
            body: groupOneSummary(client, intro: "Er staat een nieuwe cliënt op de wachtlijst \(waitlist.name) (\(region.name))."))
    }

    /// To the coordinators and providers of the region, at once, when she gave birth before any provider enrolled her.
    static func bornWithoutCare(_ client: ClientRow, bornOn: CivilDate) -> Message {
        Message(
            subject: "SPOED: bevallen zonder kraamzorg (\(client.waitlistName))",
            body: groupOneSummary(
                client,
                intro:
                    "SPOED: deze cliënt op wachtlijst \(client.waitlistName) is op \(bornOn.iso) bevallen zonder kraamzorg. Schrijf haar zo snel mogelijk in."
            ))
    }

    /// To the providers of the region, when a provider handed her back.
    static func released(_ client: ClientRow) -> Message {
        Message(
            subject: "Cliënt weer op de wachtlijst \(client.waitlistName)",
            body: groupOneSummary(client, intro: "Deze cliënt is teruggegeven en staat weer op de wachtlijst."))
    }

    /// The weekly update of a waitlist (DOMAIN §7) to a coordinator or an insurer, counted per its own visibility.
    static func weeklyUpdate(waitlistName name: String, _ r: WaitlistReport) -> Message {
        var s = """
            Weekoverzicht van wachtlijst \(name), week \(r.week.description).
            Alleen cliënten die u mag zien zijn meegeteld.

            Totaal: \(r.total.waiting) wachtend, \(r.total.urgent) urgent, \(r.total.enrolled) ingeschreven, \(r.total.newPlacements) nieuw geplaatst.

            Per week van de uitgerekende datum (wachtend / urgent / ingeschreven / nieuw):
            """
        if r.lines.isEmpty { s += "\n(geen cliënten)" }
        for l in r.lines { s += "\n\(l.dueWeek): \(l.waiting) / \(l.urgent) / \(l.enrolled) / \(l.newPlacements)" }
        return Message(subject: "Weekoverzicht wachtlijst \(name) (\(r.week.description))", body: s)
    }

    /// What organisations are told about a client: group-1 facts only (DOMAIN §7, visibility).
    static func groupOneSummary(_ c: ClientRow, intro: String) -> String {
        """
        \(intro)
        Cliëntnummer: \(c.clientNumber)
        Postcodegebied: \(c.postcodeArea)
        Uitgerekende datum: \(c.dueDate.iso)
        """
    }

    // MARK: erasure

    /// What a message to her holds once her personal data is erased (withdrawal, retention): her address,
    /// name and link are gone; `notSent` is the reason a message still waiting is not sent.
    public static let erased = ClientPersonalData.ErasureTexts(
        subject: "(bericht verwijderd: persoonsgegevens gewist)",
        body: "(bericht verwijderd: persoonsgegevens gewist)",
        notSent: "not sent: her personal data was erased")

    /// Used when the enrolling provider has no name on record.
    static let someProvider = "een kraamzorgaanbieder"
}
