import FoundationEssentials
import KraamzorgRules
import DatesAndIDs

/// A region as stored: the rules' `Region` plus what the API shows.
public struct RegionRecord: Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let clientInfo: String
    public let postcodeRanges: [PostcodeRange]
    public let preferentInsurerIds: [UUID]
    public let createdAt: Date

    public var rule: Region { Region(id: id.lowercasedString, name: name, postcodeRanges: postcodeRanges) }
}

public struct NewRegion: Sendable {
    public var name: String
    public var postcodeRanges: [PostcodeRange]
    public var preferentInsurerIds: [UUID]
    public var clientInfo: String

    public init(name: String, postcodeRanges: [PostcodeRange], preferentInsurerIds: [UUID], clientInfo: String) {
        self.name = name
        self.postcodeRanges = postcodeRanges
        self.preferentInsurerIds = preferentInsurerIds
        self.clientInfo = clientInfo
    }
}

public struct RegionChanges: Sendable {
    public var name: String?
    public var postcodeRanges: [PostcodeRange]?
    public var preferentInsurerIds: [UUID]?
    public var clientInfo: String?

    public init(name: String? = nil, postcodeRanges: [PostcodeRange]? = nil, preferentInsurerIds: [UUID]? = nil, clientInfo: String? = nil)
    {
        self.name = name
        self.postcodeRanges = postcodeRanges
        self.preferentInsurerIds = preferentInsurerIds
        self.clientInfo = clientInfo
    }
}

public struct WaitlistRecord: Sendable, Equatable {
    public let id: UUID
    public let regionId: UUID
    public let name: String
    public let status: WaitlistStatus
    public let dueDates: DueDateRange
    public let createdAt: Date

    public var rule: Waitlist {
        Waitlist(id: id.lowercasedString, regionId: regionId.lowercasedString, name: name, status: status, dueDates: dueDates)
    }
}

public struct WaitlistChanges: Sendable {
    public var name: String?
    public var status: WaitlistStatus?
    public var dueFrom: CivilDate?
    public var dueTo: CivilDate?

    public init(name: String? = nil, status: WaitlistStatus? = nil, dueFrom: CivilDate? = nil, dueTo: CivilDate? = nil) {
        self.name = name
        self.status = status
        self.dueFrom = dueFrom
        self.dueTo = dueTo
    }
}

/// One client row with what visibility and the JSON need.
public struct ClientRow: Sendable {
    public let id: UUID
    public let waitlistId: UUID
    public let regionId: UUID
    public let insurerId: UUID
    public let insurerParentId: UUID?
    public let status: ClientStatus
    public let enrollingProviderId: UUID?
    public let enrolledOn: CivilDate?
    public let enrolledFromStatus: ClientStatus?
    public let waitlistName: String
    public let regionName: String
    public let clientNumber: String
    public let dueDate: CivilDate
    public let postcodeArea: PC4
    public let providerName: String?
    public let firstName: String?
    public let lastName: String?
    public let email: String?
    public let phone: String?
    public let postcode: Postcode?
    public let placedAt: Date?
    public let bornOn: CivilDate?

    public var facts: ClientFacts {
        ClientFacts(
            clientId: id.lowercasedString, insurerId: insurerId.lowercasedString, insurerParentId: insurerParentId?.lowercasedString,
            regionId: regionId.lowercasedString, status: status, enrollingProviderId: enrollingProviderId?.lowercasedString)
    }

    public var record: ClientRecord {
        ClientRecord(
            facts: facts, waitlistName: waitlistName, clientNumber: clientNumber, dueDate: dueDate,
            postcodeArea: postcodeArea, providerName: providerName, firstName: firstName, lastName: lastName,
            email: email, phone: phone, postcode: postcode)
    }

    public var enrolment: Enrolment? {
        guard let p = enrollingProviderId, let on = enrolledOn else { return nil }
        return Enrolment(providerId: p.lowercasedString, enrolledOn: on, priorStatus: enrolledFromStatus ?? .waiting)
    }
}

public struct ClientFilter: Sendable {
    public var status: ClientStatus?
    public var waitlistId: UUID?
    public var dueFrom: CivilDate?
    public var dueTo: CivilDate?

    public init(status: ClientStatus? = nil, waitlistId: UUID? = nil, dueFrom: CivilDate? = nil, dueTo: CivilDate? = nil) {
        self.status = status
        self.waitlistId = waitlistId
        self.dueFrom = dueFrom
        self.dueTo = dueTo
    }
}

public struct NewInvitation: Sendable {
    public var waitlistId: UUID
    public var insurerId: UUID
    public var clientNumber: ClientNumber
    public var email: String
    public var postcode: PostcodeOrArea
    public var dueDate: CivilDate
    public var tokenHash: [UInt8]
    public var link: String

    public init(
        waitlistId: UUID, insurerId: UUID, clientNumber: ClientNumber, email: String, postcode: PostcodeOrArea,
        dueDate: CivilDate, tokenHash: [UInt8], link: String
    ) {
        self.waitlistId = waitlistId
        self.insurerId = insurerId
        self.clientNumber = clientNumber
        self.email = email
        self.postcode = postcode
        self.dueDate = dueDate
        self.tokenHash = tokenHash
        self.link = link
    }
}

public struct CreatedInvitation: Sendable {
    public let id: UUID
    public let clientId: UUID
    public let waitlistId: UUID
    public let expiresAt: Date

    public init(id: UUID, clientId: UUID, waitlistId: UUID, expiresAt: Date) {
        self.id = id
        self.clientId = clientId
        self.waitlistId = waitlistId
        self.expiresAt = expiresAt
    }
}

/// What the client sees behind her invitation link.
public struct InvitationView: Sendable {
    public let invitationId: UUID
    public let clientId: UUID
    public let waitlist: WaitlistRecord
    public let region: RegionRecord
    public let dueDate: CivilDate
    public let postcodeArea: PC4
    public let email: String?
    public let expiresAt: Date
}

public struct Acceptance: Sendable {
    public var firstName: String
    public var lastName: String
    public var phone: String
    public var postcode: Postcode
    public var dueDate: CivilDate
    public var preferredProviderIds: [UUID]
    public var consentVersion: String
    public var linkTokenHash: [UInt8]
    public var linkURL: String

    public init(
        firstName: String, lastName: String, phone: String, postcode: Postcode, dueDate: CivilDate,
        preferredProviderIds: [UUID], consentVersion: String, linkTokenHash: [UInt8], linkURL: String
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.postcode = postcode
        self.dueDate = dueDate
        self.preferredProviderIds = preferredProviderIds
        self.consentVersion = consentVersion
        self.linkTokenHash = linkTokenHash
        self.linkURL = linkURL
    }
}

/// One line of her access log (DOMAIN §8): when, who (organisation and role), what.
public struct AccessLogEntry: Sendable {
    public let at: Date
    public let action: String
    /// The organisation as she recognises it (for a coordinator: the region's waitlist, not the register).
    public let organizationName: String?
    /// The membership's role (`careProvider`, `coordinator`, …), nil for the service itself.
    public let role: String?
    public let organizationKind: String?
    public let requestId: String?
    /// Who, in one Dutch phrase: "Coördinator wachtlijst Regio Noord", "Kraamzorg De Wieg (kraamzorgaanbieder)".
    public let who: String
    /// How many identical accesses this line stands for (the same who and action within an hour).
    public let times: Int

    public init(
        at: Date, action: String, organizationName: String?, role: String?, organizationKind: String? = nil, requestId: String? = nil,
        who: String = "", times: Int = 1
    ) {
        self.at = at
        self.action = action
        self.organizationName = organizationName
        self.role = role
        self.organizationKind = organizationKind
        self.requestId = requestId
        self.who = who
        self.times = times
    }
}

public struct AuditEventRow: Sendable {
    public let id: UUID
    public let at: Date
    public let atText: String
    public let action: String
    public let outcome: String
    public let userId: UUID?
    public let userName: String?
    public let organizationId: UUID?
    public let role: String?
    public let membershipId: UUID?
    public let objectType: String
    public let objectId: UUID?
    public let clientId: UUID?
    public let requestId: String?
    public let details: String
}

public struct NotificationRow: Sendable {
    public let id: UUID
    public let kind: String
    public let to: String
    public let subject: String
    public let body: String
    public let link: String?
    public let status: String
    public let attempts: Int
    public let lastError: String?
    public let createdAt: Date
    public let createdAtText: String
    public let sentAt: Date?
    /// The client the message is about, if any: reading it is a read of her data.
    public let clientId: UUID?
}

public struct CapacityRow: Sendable {
    public let providerId: UUID
    public let providerName: String
    public let week: String
    public let places: Int
}
