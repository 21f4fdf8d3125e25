import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

extension ClientWorkflows {
    /// A care provider enrols her (DOMAIN §7). The row lock makes concurrent attempts take turns: the first
    /// wins, the rest see `enrolled` (409). She, the region's other providers and her insurer are told.
    public func enrol(clientId: UUID, viewer: Viewer, providerId: UUID, by actor: AuditActor) async throws -> ClientRow {
        let today = clock.today
        return try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn) else { throw StoreError.notFound("client") }
            guard case .careProvider(let p) = viewer,
                p.servedRegionIds.contains(c.regionId.lowercasedString) || c.enrollingProviderId == providerId
            else {
                throw StoreError.notFound("client")
            }
            if c.status == .enrolled { throw StoreError.conflict(WaitlistRefusals.alreadyEnrolled) }
            guard viewer.canSee(c.facts), viewer.mayEnrol(c.facts) else { throw StoreError.notFound("client") }
            guard case .success(let next) = ClientStatus.transition(from: c.status, event: .enrol(provider: providerId.lowercasedString))
            else {
                throw StoreError.conflict(WaitlistRefusals.cannotEnrol(c.status))
            }
            try await ClientStore.recordEnrolment(
                clientId: clientId, status: next, providerId: providerId, on: today, from: c.status, on: conn)
            let e = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            let provider = e.providerName ?? WaitlistMessages.someProvider
            if let email = e.email {
                let contact = try await IdentityStore.organization(id: providerId, on: conn)?.contact ?? .none
                let m = WaitlistMessages.enrolled(e, provider: provider, contact: contact)
                try await Outbox.enqueue(.enrolmentNotice, to: email, clientId: clientId, subject: m.subject, body: m.body, on: conn)
            }
            let others = try await ClientStore.providers(servingRegion: e.regionId, except: providerId, on: conn)
            let elsewhere = WaitlistMessages.enrolledElsewhere(e)
            try await Outbox.enqueueToOrganizations(
                .enrolmentNotice, others, clientId: clientId, subject: elsewhere.subject, body: elsewhere.body, on: conn)
            let insurer = WaitlistMessages.insuredEnrolled(e, provider: provider)
            try await Outbox.enqueueToOrganizations(
                .enrolmentNotice, [e.insurerId], clientId: clientId, subject: insurer.subject, body: insurer.body, on: conn)
            try await AuditLog.record(
                .update, objectType: "client", objectId: clientId, clientId: clientId, details: ["event": "enrolled"], by: actor, on: conn)
            try await DomainEvents.record(
                .clientEnrolled, clientId: clientId, organizationId: providerId,
                data: ["waitlistId": e.waitlistId.lowercasedString], on: conn)
            return e
        }
    }

    /// The enrolling provider hands her back (DOMAIN §7): she waits again and the region's providers are told.
    public func release(clientId: UUID, viewer: Viewer, providerId: UUID, reason: String, by actor: AuditActor) async throws -> ClientRow {
        let today = clock.today
        return try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn), viewer.canSee(c.facts) else {
                throw StoreError.notFound("client")
            }
            switch ClientStatus.transition(
                from: c.status, event: .release(provider: providerId.lowercasedString, on: today), enrolment: c.enrolment)
            {
            case .failure(.releaseRefused(let r)): throw StoreError.refused([.init(field: "(client)", message: r.message)])
            case .failure: throw StoreError.conflict(WaitlistRefusals.cannotRelease)
            case .success(let next): try await ClientStore.recordRelease(clientId: clientId, status: next, on: conn)
            }
            let r = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            let providers = try await ClientStore.providers(servingRegion: r.regionId, on: conn)
            let m = WaitlistMessages.released(r)
            try await Outbox.enqueueToOrganizations(
                .providerNotice, providers, clientId: clientId, subject: m.subject, body: m.body, on: conn)
            // The reason is free text about her: the append-only log cannot erase it, so it records only that one was given.
            try await AuditLog.record(
                .update, objectType: "client", objectId: clientId, clientId: clientId,
                details: ["event": "released", "reasonGiven": String(!reason.isEmpty)], by: actor, on: conn)
            try await DomainEvents.record(
                .clientReleased, clientId: clientId, organizationId: providerId,
                data: ["waitlistId": r.waitlistId.lowercasedString], on: conn)
            return r
        }
    }
}
