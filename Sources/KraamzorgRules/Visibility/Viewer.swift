/// The membership a request acts for, as far as client visibility is concerned.
///
/// `avgAccess` is the membership's AVG group: false = group 1 (no personal data), true = group 2.
public enum Viewer: Sendable, Hashable {
    /// Register staff: every client, every field.
    case admin
    case coordinator(CoordinatorViewer)
    case insurer(InsurerViewer)
    case careProvider(CareProviderViewer)
    /// Practitioners and course providers have no business with clients.
    case practitioner
    case courseProvider

    public var avgAccess: Bool {
        switch self {
        case .admin: true
        case .coordinator(let c): c.avgAccess
        case .insurer(let i): i.avgAccess
        case .careProvider(let p): p.avgAccess
        case .practitioner, .courseProvider: false
        }
    }
}

public struct CoordinatorViewer: Sendable, Hashable {
    public let regionIds: Set<RegionID>
    public let avgAccess: Bool

    public init(regionIds: Set<RegionID>, avgAccess: Bool) {
        self.regionIds = regionIds
        self.avgAccess = avgAccess
    }
}

/// A member of an insurer or of one of its labels.
///
/// - A parent insurer lists its labels in `labelIds` and sees their insured as its own.
/// - A label (`parentId` set) sees only its own insured, not the parent's or a sibling label's.
/// - `preferentRegionIds`: the regions where this viewer counts as preferent. The store fills it with the
///   regions where the organisation **or, for a label, its parent** is preferent: preferentness is agreed
///   per insurer in the KSV, and a label is a brand of that insurer. In those regions a label member, like
///   its parent, sees every client.
public struct InsurerViewer: Sendable, Hashable {
    public let organizationId: OrganisationID
    public let parentId: OrganisationID?
    public let labelIds: Set<OrganisationID>
    public let preferentRegionIds: Set<RegionID>
    public let avgAccess: Bool

    public init(
        organizationId: OrganisationID, parentId: OrganisationID? = nil, labelIds: Set<OrganisationID> = [],
        preferentRegionIds: Set<RegionID> = [], avgAccess: Bool
    ) {
        self.organizationId = organizationId
        self.parentId = parentId
        self.labelIds = labelIds
        self.preferentRegionIds = preferentRegionIds
        self.avgAccess = avgAccess
    }
}

public struct CareProviderViewer: Sendable, Hashable {
    public let organizationId: OrganisationID
    public let servedRegionIds: Set<RegionID>
    public let avgAccess: Bool

    public init(organizationId: OrganisationID, servedRegionIds: Set<RegionID>, avgAccess: Bool) {
        self.organizationId = organizationId
        self.servedRegionIds = servedRegionIds
        self.avgAccess = avgAccess
    }
}

/// What visibility depends on, for one client.
public struct ClientFacts: Sendable, Hashable {
    public let clientId: ClientID
    /// The organisation she is insured with: the insurer itself or one of its labels.
    public let insurerId: OrganisationID
    /// The insurer's parent when `insurerId` is a label.
    public let insurerParentId: OrganisationID?
    public let regionId: RegionID
    public let status: ClientStatus
    /// Set while `status == .enrolled`.
    public let enrollingProviderId: OrganisationID?

    public init(
        clientId: ClientID, insurerId: OrganisationID, insurerParentId: OrganisationID? = nil,
        regionId: RegionID, status: ClientStatus, enrollingProviderId: OrganisationID? = nil
    ) {
        self.clientId = clientId
        self.insurerId = insurerId
        self.insurerParentId = insurerParentId
        self.regionId = regionId
        self.status = status
        self.enrollingProviderId = enrollingProviderId
    }
}
