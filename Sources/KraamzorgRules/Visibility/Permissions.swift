/// Who may change a client's placement (object-level checks the routes make before a transition).
extension Viewer {
    /// Step 2: an insurer member with AVG access (for its own insured), a coordinator of the region with AVG
    /// access, admin. Inviting means entering her email (DOMAIN §7a: "Beschikbaar voor AVG gerechtigde").
    public func mayInvite(toRegion regionId: RegionID) -> Bool {
        switch self {
        case .admin: true
        case .insurer(let i): i.avgAccess
        case .coordinator(let c): c.avgAccess && c.regionIds.contains(regionId)
        case .careProvider, .practitioner, .courseProvider: false
        }
    }

    /// A care provider serving the client's region, while she is waiting or birthReported.
    /// AVG access is not required: enrolment is the organisation's act; what the member then sees
    /// still follows her AVG group.
    public func mayEnrol(_ client: ClientFacts) -> Bool {
        guard case .careProvider(let p) = self else { return false }
        return p.servedRegionIds.contains(client.regionId)
            && (client.status == .waiting || client.status == .birthReported)
    }

    /// Withdrawal and birth reports on her behalf: a coordinator of her region, or admin.
    /// (The client herself acts through her link, not through a membership.)
    public func mayActForClient(_ client: ClientFacts) -> Bool {
        switch self {
        case .admin: true
        case .coordinator(let c): c.regionIds.contains(client.regionId)
        case .insurer, .careProvider, .practitioner, .courseProvider: false
        }
    }
}
