import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// Her access log as she reads it (DOMAIN §8): each line named by organisation and role as she would recognise
/// them. Coordinators work for the register's organisation, but to her they are the coordinators of her
/// region's waitlist; insurers and providers by their organisation's name and their role in Dutch.
public enum AccessLogNaming {
    /// Identical accesses (same who, same action) less than this many seconds apart are one line, even with others between.
    public static let mergeSeconds: TimeInterval = 3600

    /// `entries` newest first (as the store gives them); `regionName`: her region's. A line stands for the same
    /// who and action repeated within the hour before its oldest access, whatever else happened in between.
    public static func named(_ entries: [AccessLogEntry], regionName: String) -> [AccessLogEntry] {
        var out: [AccessLogEntry] = []
        /// Per who + action: the index of its latest line in `out` and the oldest access that line holds.
        var open: [String: (index: Int, oldest: Date)] = [:]
        for e in entries {
            let (organization, who) = names(e, regionName: regionName)
            let key = who + "\u{1F}" + e.action
            if let line = open[key], line.oldest.timeIntervalSince(e.at) < mergeSeconds {
                let last = out[line.index]
                out[line.index] = AccessLogEntry(
                    at: last.at, action: last.action, organizationName: last.organizationName, role: last.role,
                    organizationKind: last.organizationKind, requestId: last.requestId, who: last.who, times: last.times + 1)
                open[key] = (line.index, e.at)
                continue
            }
            open[key] = (out.count, e.at)
            out.append(
                AccessLogEntry(
                    at: e.at, action: e.action, organizationName: organization, role: e.role, organizationKind: e.organizationKind,
                    requestId: e.requestId, who: who, times: 1))
        }
        return out
    }

    static func names(_ e: AccessLogEntry, regionName: String) -> (organization: String?, who: String) {
        guard let code = e.role, let role = Role(rawValue: code) else { return (nil, "De wachtlijstservice (automatisch)") }
        switch role {
        case .coordinator:
            return ("Wachtlijst kraamzorg \(regionName)", "Coördinator wachtlijst \(regionName)")
        case .admin:
            let name = e.organizationName ?? "Kwaliteitsregister Kraamzorg"
            return (name, "\(name) (beheerder)")
        case .insurer, .careProvider, .courseProvider, .practitioner:
            let name = e.organizationName ?? DutchNames.role(role)
            return (name, "\(name) (\(DutchNames.role(role)))")
        }
    }
}
