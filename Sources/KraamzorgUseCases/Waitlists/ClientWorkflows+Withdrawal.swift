import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

extension ClientWorkflows {
    /// Withdrawal (DOMAIN §7) by a coordinator or admin, or by her own link, which also withdraws her
    /// consent: she leaves the lists and her personal data is erased at once, everywhere it was copied to (§8,
    /// `ClientPersonalData`). Her link keeps
    /// working a little while, so she can still see what happened and who saw her data.
    public func withdraw(clientId: UUID, reason: String, consentWithdrawn: Bool, by actor: AuditActor) async throws -> ClientRow {
        try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn) else { throw StoreError.notFound("client") }
            guard case .success(let next) = ClientStatus.transition(from: c.status, event: .withdraw) else {
                throw StoreError.conflict(WaitlistRefusals.cannotWithdraw(c.status))
            }
            try await ClientStore.recordWithdrawal(clientId: clientId, status: next, reason: reason, on: conn)
            if consentWithdrawn { try await ClientStore.withdrawConsents(clientId: clientId, on: conn) }
            try await ClientStore.limitClientLinks(clientId: clientId, toDays: ClientWorkflows.clientLinkDaysAfterWithdrawal, on: conn)
            try await ClientStore.erasePersonalData(clientIds: [clientId], texts: WaitlistMessages.erased, on: conn)
            // The reason is free text (it may name her): the append-only log records that one was given, not its words.
            try await AuditLog.record(
                .update, objectType: "client", objectId: clientId, clientId: clientId,
                details: ["event": "withdrawn", "reasonGiven": String(!reason.isEmpty), "consentWithdrawn": String(consentWithdrawn)],
                by: actor, on: conn)
            try await DomainEvents.record(
                .clientWithdrawn, clientId: clientId, data: ["waitlistId": c.waitlistId.lowercasedString], on: conn)
            return try await ClientStore.client(id: clientId, lock: false, on: conn)!
        }
    }
}
