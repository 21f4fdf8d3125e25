import FoundationEssentials
import KraamzorgRules

public struct Organization: Sendable, Equatable {
    public let id: UUID
    public let kind: OrganizationKind
    public let name: String
    public let parentId: UUID?
    public let agbCode: String?
    public let kvkNumber: String?
    public let createdAt: Date
    /// How a client reaches it (DOMAIN §7a): shown on her page and in her enrolment message.
    public var contact: OrganizationContact = .none
}

/// An organisation's contact details; each part optional.
public struct OrganizationContact: Sendable, Equatable {
    public var phone: String?
    public var email: String?
    public var website: String?

    public init(phone: String? = nil, email: String? = nil, website: String? = nil) {
        self.phone = phone
        self.email = email
        self.website = website
    }

    public static let none = OrganizationContact()
    public var isEmpty: Bool { phone == nil && email == nil && website == nil }
}

public struct User: Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let email: String
    public let createdAt: Date
    public let revokedAt: Date?
}

public struct Membership: Sendable, Equatable {
    public let id: UUID
    public let userId: UUID
    public let organizationId: UUID
    public let role: Role
    public let avgAccess: Bool
    public let manager: Bool
    public let practitionerId: UUID?
    public let regionIds: [UUID]
    public let createdAt: Date
    public let revokedAt: Date?
}

/// Who a request acts for: resolved from its token before any handler runs.
public struct Principal: Sendable {
    public let tokenId: UUID
    public let user: User
    public let membership: Membership
    public let organization: Organization
    /// When the token was last used before this request (nil: never).
    public let tokenLastUsedAt: Date?
    public let tokenExpiresAt: Date?

    public var role: Role { membership.role }
}

public struct NewOrganization: Sendable {
    public var kind: OrganizationKind
    public var name: String
    public var parentId: UUID?
    public var agbCode: String?
    public var kvkNumber: String?
    public var contact: OrganizationContact

    public init(
        kind: OrganizationKind, name: String, parentId: UUID? = nil, agbCode: String? = nil, kvkNumber: String? = nil,
        contact: OrganizationContact = .none
    ) {
        self.contact = contact
        self.kind = kind
        self.name = name
        self.parentId = parentId
        self.agbCode = agbCode
        self.kvkNumber = kvkNumber
    }
}

public struct OrganizationChanges: Sendable {
    public var name: String?
    /// `.some(nil)` clears the field.
    public var agbCode: String??
    public var kvkNumber: String??
    /// Replaces the whole contact (absent: leave it).
    public var contact: OrganizationContact?

    public init(name: String? = nil, agbCode: String?? = nil, kvkNumber: String?? = nil, contact: OrganizationContact? = nil) {
        self.contact = contact
        self.name = name
        self.agbCode = agbCode
        self.kvkNumber = kvkNumber
    }
}

public struct NewMembership: Sendable {
    public var organizationId: UUID?
    public var role: Role
    public var avgAccess: Bool
    public var manager: Bool
    public var practitionerId: UUID?
    public var regionIds: [UUID]

    public init(
        organizationId: UUID?, role: Role, avgAccess: Bool, manager: Bool = false, practitionerId: UUID? = nil, regionIds: [UUID] = []
    ) {
        self.organizationId = organizationId
        self.role = role
        self.avgAccess = avgAccess
        self.manager = manager
        self.practitionerId = practitionerId
        self.regionIds = regionIds
    }
}

/// A token as stored: never the secret itself.
public struct TokenRecord: Sendable, Equatable {
    public let id: UUID
    public let membershipId: UUID
    public let createdAt: Date
    public let expiresAt: Date?
    public let lastUsedAt: Date?
    public let revokedAt: Date?
}
