import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// Hand-back texts (DOMAIN §7a): she and her region's coordinators are told each time.
extension WaitlistMessages {
    /// To her, when the provider that enrolled her handed her back (`provider`: its name as she knew it).
    static func releasedToClient(_ client: ClientRow, provider: String) -> Message {
        Message(
            subject: "U staat weer op de wachtlijst kraamzorg \(client.regionName)",
            body: """
                Beste \(client.firstName ?? "cliënt"),

                \(provider) heeft uw inschrijving teruggegeven. U staat weer op de wachtlijst \(client.waitlistName). Een andere kraamzorgaanbieder kan u nu inschrijven; \(provider) kan dat niet meer.
                U hoeft niets te doen: zodra een kraamzorgaanbieder u inschrijft, krijgt u bericht. Heeft u vragen, neem dan contact op met de coördinator van de wachtlijst in uw regio.
                """)
    }

    /// To the coordinators of her region, when a provider handed her back (group-1 facts only).
    static func releasedToCoordinators(_ client: ClientRow, provider: String) -> Message {
        Message(
            subject: "Cliënt teruggegeven door \(provider) (\(client.waitlistName))",
            body: groupOneSummary(
                client,
                intro:
                    "\(provider) heeft deze cliënt teruggegeven; zij staat weer op de wachtlijst \(client.waitlistName). \(provider) kan haar niet opnieuw inschrijven."
            ))
    }

    /// The weekly update with the week's hand-backs per provider (DOMAIN §7a), counted per the recipient's visibility.
    static func weeklyUpdate(waitlistName name: String, _ r: WaitlistReport, handBacks: [HandBackCount]) -> Message {
        let base = weeklyUpdate(waitlistName: name, r)
        var s = base.body + "\n\nTeruggegeven cliënten deze week, per kraamzorgaanbieder:"
        if handBacks.isEmpty { s += "\n(geen)" }
        for h in handBacks { s += "\n\(h.providerName): \(h.count)" }
        return Message(subject: base.subject, body: s)
    }
}

extension WaitlistRefusals {
    /// 409 on enrolment: this provider handed her back before (DOMAIN §7a).
    static let handedBackBefore =
        "your organisation handed this client back before and can never enrol her again; another care provider of the region can"

    /// 429 on release: the provider's hand-backs in the last 24 hours reached the limit.
    public static func tooManyHandBacks(limit: Int, retryAfterSeconds: Int64) -> String {
        let minutes = (retryAfterSeconds + 59) / 60
        return "a care provider hands back at most \(limit) clients in 24 hours; the next hand-back is possible in \(minutes) minutes"
    }
}
