import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// Emails about a person's own access (Dutch: the people are Dutch).
public enum IdentityMessages {
    /// To the person a manager linked (koppelen) or added: her credential for the new membership follows the
    /// body (the outbox's `link`, cleared once sent), so it reaches her and never the manager (DOMAIN §7a).
    static func credential(organization: String, role: Role, avgAccess: Bool, expiresOn: CivilDate) -> Message {
        let group = avgAccess ? "met toegang tot persoonsgegevens (AVG-groep 2)" : "zonder toegang tot persoonsgegevens (AVG-groep 1)"
        return Message(
            subject: "Uw toegang voor \(organization)",
            body: """
                Beste gebruiker,

                U kunt nu werken namens \(organization) als \(DutchNames.role(role)), \(group).
                Hieronder staat uw persoonlijke sleutel (API-token) voor deze toegang. Bewaar hem goed en deel hem met niemand: wie de sleutel heeft, werkt onder uw naam. Hij werkt tot \(DutchNames.date(expiresOn)); u kunt hem zelf vervangen of intrekken.
                Verwachtte u dit bericht niet? Neem dan contact op met \(organization).
                """)
    }
}

/// How people and organisations are named in Dutch texts (emails, her access log).
public enum DutchNames {
    public static func role(_ role: Role) -> String {
        switch role {
        case .admin: "beheerder"
        case .coordinator: "coördinator wachtlijst"
        case .insurer: "zorgverzekeraar"
        case .careProvider: "kraamzorgaanbieder"
        case .courseProvider: "opleider"
        case .practitioner: "kraamverzorgende"
        }
    }

    /// DD-MM-YYYY, as Dutch readers and Dutch Excel expect.
    public static func date(_ d: CivilDate) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(two(d.day))-\(two(d.month))-\(d.year)"
    }
}
