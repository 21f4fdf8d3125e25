import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

extension ClientWorkflows {
    /// Acceptance with consent (DOMAIN §7): she is placed (`waiting`), gets her confirmation with her link
    /// and the region's Q&A, and every provider serving the region is told. Refused with the reasons when
    /// the waitlist closed meanwhile, her due date left its range or her postcode lies outside the region.
    public func accept(tokenHash: [UInt8], _ a: Acceptance, actor: AuditActor) async throws -> ClientRow {
        try await pool.withTransaction { conn in
            guard let invitation = try await ClientStore.lockLiveInvitation(tokenHash: tokenHash, on: conn) else {
                throw StoreError.notFound("invitation")
            }
            let clientId = invitation.clientId
            guard let client = try await ClientStore.client(id: clientId, lock: true, on: conn), client.status == .invited else {
                throw StoreError.notFound("invitation")
            }
            let waitlist = try await WaitlistStore.waitlist(id: client.waitlistId, lock: .share, on: conn)!
            let region = try await WaitlistStore.region(id: client.regionId, on: conn)!
            let reasons = AcceptanceRefusal.reasons(waitlist: waitlist.rule, region: region.rule, area: a.postcode.area, dueDate: a.dueDate)
            if !reasons.isEmpty { throw StoreError.refused(reasons.map(WaitlistChecks.reason)) }
            guard case .success(let next) = ClientStatus.transition(from: client.status, event: .accept) else {
                throw StoreError.conflict(WaitlistRefusals.invitationNoLongerAcceptable)
            }
            try await WaitlistChecks.requireKind(.careProvider, a.preferredProviderIds, field: "preferredProviderIds", on: conn)
            try await ClientStore.recordAcceptance(clientId: clientId, status: next, a, on: conn)
            try await ClientStore.markInvitationUsed(id: invitation.id, on: conn)
            try await ClientStore.recordConsent(clientId: clientId, version: a.consentVersion, on: conn)
            try await ClientStore.insertClientLink(
                clientId: clientId, tokenHash: a.linkTokenHash,
                expiresOn: a.dueDate.adding(days: ClientWorkflows.clientLinkDaysAfterDue + 1), on: conn)
            let placed = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            if let email = placed.email {
                let m = WaitlistMessages.placed(firstName: a.firstName, waitlist: waitlist, region: region)
                try await Outbox.enqueue(
                    .placementConfirmation, to: email, clientId: clientId, subject: m.subject, body: m.body, link: a.linkURL, on: conn)
            }
            let providers = try await ClientStore.providers(servingRegion: client.regionId, on: conn)
            let notice = WaitlistMessages.newClient(placed, waitlist: waitlist, region: region)
            try await Outbox.enqueueToOrganizations(
                .providerNotice, providers, clientId: clientId, subject: notice.subject, body: notice.body, on: conn)
            try await AuditLog.record(
                .update, objectType: "client", objectId: clientId, clientId: clientId,
                details: ["event": "accepted", "consentVersion": a.consentVersion], by: actor, on: conn)
            try await DomainEvents.record(
                .clientPlaced, clientId: clientId, data: ["waitlistId": placed.waitlistId.lowercasedString], on: conn)
            return placed
        }
    }
}
