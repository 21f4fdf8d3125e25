/// The role a membership acts in (API.md, "Auth").
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin
    case courseProvider
    case practitioner
    case insurer
    case careProvider
    case coordinator
}

/// What an organisation is. The register itself is the organisation of admins; a KSV (regional
/// partnership) is where coordinators work.
public enum OrganizationKind: String, Sendable, Codable, CaseIterable {
    case register
    case insurer
    case careProvider
    case courseProvider
    case ksv

    /// Kinds an admin may create through the API; the register organisation exists once, from the first migration.
    public static let creatable: [OrganizationKind] = [.insurer, .careProvider, .courseProvider, .ksv]

    /// The roles a membership of this kind of organisation may have. A manager can never grant
    /// a role outside this list, so an insurer's manager cannot create an admin.
    public var allowedRoles: Set<Role> {
        switch self {
        // A practitioner's own login is a membership of the register naming her record.
        case .register: return [.admin, .coordinator, .practitioner]
        case .insurer: return [.insurer]
        case .careProvider: return [.careProvider]
        case .courseProvider: return [.courseProvider]
        case .ksv: return [.coordinator]
        }
    }

    public func allows(_ role: Role) -> Bool { allowedRoles.contains(role) }
}
