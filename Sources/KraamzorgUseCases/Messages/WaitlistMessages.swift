#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KraamzorgRules
import KraamzorgStore

/// The waitlist's emails (Dutch: the clients, coordinators, insurers and providers are Dutch).
public enum WaitlistMessages {
    /// To her, when a provider enrolled her.
    static func enrolled(_ client: ClientRow, provider: String) -> Message {
        Message(subject: "U bent ingeschreven bij \(provider)", body: """
            Beste \(client.firstName ?? "cliënt"),

            Goed nieuws: \(provider) zorgt voor uw kraamzorg en neemt contact met u op. U kunt \(provider) ook zelf bellen of mailen; u vindt de gegevens op hun website.
            """)
    }

    /// To the other providers of the region, when one of them enrolled her.
    static func enrolledElsewhere(_ client: ClientRow) -> Message {
        Message(subject: "Cliënt geplaatst (\(client.waitlistName))",
                body: groupOneSummary(client, intro: "Deze cliënt is door een andere kraamzorgaanbieder ingeschreven en staat niet meer op de wachtlijst."))
    }

    /// To her insurer, when a provider enrolled her.
    static func insuredEnrolled(_ client: ClientRow, provider: String) -> Message {
        Message(subject: "Uw verzekerde is geplaatst (\(client.waitlistName))",
                body: groupOneSummary(client, intro: "Uw verzekerde is ingeschreven bij \(provider)."))
    }

    /// To the providers of the region, when a provider handed her back.
    static func released(_ client: ClientRow) -> Message {
        Message(subject: "Cliënt weer op de wachtlijst \(client.waitlistName)",
                body: groupOneSummary(client, intro: "Deze cliënt is teruggegeven en staat weer op de wachtlijst."))
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

    /// Used when the enrolling provider has no name on record.
    static let someProvider = "een kraamzorgaanbieder"
}
