import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Texts about an organisation's webhook subscriptions.
public enum WebhookMessages {
    /// Given as the subscription's `disabledReason` and on its pending deliveries.
    public static let disabledReason = "disabled after 7 days of failed deliveries"

    /// `2026-03-01 14:05` in Dutch time.
    static func stamp(_ d: Date) -> String {
        let l = DutchTime.local(d)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(l.day.iso) \(two(l.hour)):\(two(l.minute))"
    }

    /// To the organisation's managers when the service switched a subscription off.
    public static func disabled(_ w: DisabledWebhook) -> Message {
        Message(
            subject: "Webhook uitgeschakeld na 7 dagen fouten",
            body: """
                De webhook \(w.id.lowercasedString) naar \(w.url) is uitgeschakeld: sinds \(stamp(w.failingSince)) \
                is geen enkele aflevering gelukt.
                Laatste fout: \(w.lastError ?? "onbekend").

                Controleer de ontvanger en zet de webhook weer aan met PATCH /v1/webhooks/\(w.id.lowercasedString) {"active": true}.
                Gebeurtenissen van de tijd dat hij uit stond worden niet nagestuurd; gebruik GET /v1/events om ze op te halen.
                """)
    }
}
