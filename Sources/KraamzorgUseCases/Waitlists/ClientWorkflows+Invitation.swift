import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

extension ClientWorkflows {
    /// Step 2 (DOMAIN §7): an insurer or coordinator invites her. She is not placed yet: she is `invited`
    /// and gets an email with her invitation link. A client number is active at most once per insurer
    /// group; an invitation of the same number that expired unanswered gives it up first.
    public func createInvitation(_ new: NewInvitation, invitedBy membershipId: UUID?, by actor: AuditActor) async throws
        -> CreatedInvitation
    {
        try await pool.withTransaction { conn in
            guard let waitlist = try await WaitlistStore.waitlist(id: new.waitlistId, lock: .share, on: conn) else {
                throw StoreError.notFound("waitlist")
            }
            let region = try await WaitlistStore.region(id: waitlist.regionId, on: conn)!
            guard let insurer = try await ClientStore.organization(id: new.insurerId, on: conn),
                insurer.kind == OrganizationKind.insurer.rawValue
            else {
                throw StoreError.refused([.init(field: "insurerId", message: WaitlistRefusals.notAnInsurer)])
            }
            let reasons = AcceptanceRefusal.reasons(
                waitlist: waitlist.rule, region: region.rule, area: new.postcode.area, dueDate: new.dueDate)
            if !reasons.isEmpty { throw StoreError.refused(reasons.map(WaitlistChecks.reason)) }
            let key = ActiveClientKey(
                insurerId: new.insurerId.lowercasedString, insurerParentId: insurer.parentId?.lowercasedString,
                clientNumber: new.clientNumber)
            let groupId = UUID(uuidString: key.insurerGroupId)!
            try await ClientStore.withdrawExpiredInvitations(insurerGroupId: groupId, clientNumber: key.clientNumber, on: conn)
            if try await ClientStore.isClientNumberActive(insurerGroupId: groupId, clientNumber: key.clientNumber, on: conn) {
                throw StoreError.conflict(WaitlistRefusals.clientNumberActive)
            }
            let clientId = try await ClientStore.insertInvitedClient(
                new, waitlist: waitlist, insurerGroupId: groupId, invitedBy: membershipId, on: conn)
            let expiresAt = clock.now().addingTimeInterval(Double(ClientWorkflows.invitationDays) * 86_400)
            let invitationId = try await ClientStore.insertInvitation(
                clientId: clientId, tokenHash: new.tokenHash, expiresAt: expiresAt, on: conn)
            let m = WaitlistMessages.invitation(waitlist: waitlist, region: region, linkDays: ClientWorkflows.invitationDays)
            try await Outbox.enqueue(
                .invitation, to: new.email, clientId: clientId, subject: m.subject, body: m.body, link: new.link, on: conn)
            try await AuditLog.record(
                .create, objectType: "client", objectId: clientId, clientId: clientId,
                details: ["event": "invited", "waitlistId": waitlist.id.lowercasedString], by: actor, on: conn)
            return CreatedInvitation(id: invitationId, clientId: clientId, waitlistId: waitlist.id, expiresAt: expiresAt)
        }
    }

    /// What she sees behind a live invitation link (unused, unexpired, she is still invited), or nil.
    /// Reading it is a read of her data, logged as such.
    public func invitation(tokenHash: [UInt8], actor: AuditActor) async throws -> InvitationView? {
        try await pool.withTransaction { conn in
            guard let view = try await ClientStore.invitationView(tokenHash: tokenHash, on: conn) else { return nil }
            try await AuditLog.record(
                .read, objectType: "client", objectId: view.clientId, clientId: view.clientId,
                details: ["via": "invitation link"], by: actor, on: conn)
            return view
        }
    }
}
