/// Client visibility, the AVG heart of the waitlists (DOMAIN §7 "Visibility", seed 004).
///
/// Object level (`canSee`) and property level (`visibleFields`) are one decision: a client is visible
/// exactly when at least one field is. Rules, per viewer:
/// - **admin**: every client, every field.
/// - **coordinator**: the clients of her regions, in every status, with her own AVG group's fields.
///   Other regions: nothing.
/// - **insurer**: clients insured with it or (for a parent insurer) its labels, in every region;
///   in a region where it is preferent also everyone else's placed clients (waiting, enrolled,
///   birthReported, withdrawn). An invitation not yet accepted is only the inviting side's business:
///   other insurers do not see it, preferent or not. Fields per its AVG group.
/// - **care provider**: waiting and birthReported clients of the regions it serves with group-1 fields
///   only, whatever the member's AVG access (data minimisation); the clients **it** enrolled with its AVG
///   group's fields (also if it no longer serves the region). Never clients enrolled by another provider,
///   never invited or withdrawn ones.
/// - **practitioner, course provider**: nothing.
///
/// Two trims apply to everyone but admin: a withdrawn client shows group-1 fields only (she withdrew her
/// consent; her personal data is erased), and `providerName` is only present for an enrolled client.
public func visibleFields(_ viewer: Viewer, _ client: ClientFacts) -> ClientFieldSet {
    var set: ClientFieldSet
    switch viewer {
    case .admin:
        set = .group2
    case .practitioner, .courseProvider:
        return .none
    case .coordinator(let c):
        guard c.regionIds.contains(client.regionId) else { return .none }
        set = group(c.avgAccess)
    case .insurer(let i):
        let own = i.insures(client)
        let preferent = i.preferentRegionIds.contains(client.regionId) && client.status != .invited
        guard own || preferent else { return .none }
        set = group(i.avgAccess)
    case .careProvider(let p):
        switch client.status {
        case .waiting, .birthReported:
            guard p.servedRegionIds.contains(client.regionId) else { return .none }
            set = .group1
        case .enrolled:
            guard let e = client.enrollingProviderId, e == p.organizationId else { return .none }
            set = group(p.avgAccess)
        case .invited, .withdrawn:
            return .none
        }
    }
    if client.status == .withdrawn, viewer != .admin { set = set.intersection(.group1) }
    if client.status != .enrolled { set.remove(.providerName) }
    return set
}

public func canSee(_ viewer: Viewer, _ client: ClientFacts) -> Bool { !visibleFields(viewer, client).isEmpty }

/// The visible ones of `clients`, in their order, each with its fields. O(n).
public func visibleClients<C>(
    _ clients: some Sequence<C>, to viewer: Viewer,
    facts: (C) -> ClientFacts
) -> [(client: C, fields: ClientFieldSet)] {
    var out: [(client: C, fields: ClientFieldSet)] = []
    for c in clients {
        let f = visibleFields(viewer, facts(c))
        if !f.isEmpty { out.append((c, f)) }
    }
    return out
}

private func group(_ avgAccess: Bool) -> ClientFieldSet { avgAccess ? .group2 : .group1 }

extension InsurerViewer {
    /// She is insured with this organisation, or with one of its labels (only a parent has labels).
    public func insures(_ client: ClientFacts) -> Bool {
        if client.insurerId == organizationId { return true }
        guard parentId == nil else { return false }
        return labelIds.contains(client.insurerId) || client.insurerParentId == organizationId
    }
}

extension Viewer {
    public func canSee(_ client: ClientFacts) -> Bool { KraamzorgRules.canSee(self, client) }
    public func visibleFields(_ client: ClientFacts) -> ClientFieldSet { KraamzorgRules.visibleFields(self, client) }
}
