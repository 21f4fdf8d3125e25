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
            // DOMAIN §7a: a provider that handed her back never enrols her again (whoever enrolled her since).
            let released = try await ClientReleases.hasReleased(clientId: clientId, providerId: providerId, on: conn)
            if !HandBack.mayEnrolAgain(provider: providerId.lowercasedString, releasedBy: released ? [providerId.lowercasedString] : []) {
                throw StoreError.conflict(WaitlistRefusals.handedBackBefore)
            }
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

    /// The enrolling provider hands her back (DOMAIN §7, §7a): she waits again; the region's providers, she
    /// and her coordinators are told; the hand-back is kept, so this provider never enrols her again. A provider
    /// hands back at most `releasesPerDay` clients in any 24 hours: its organisation row is locked while its
    /// recent hand-backs are counted, so two at once cannot both pass the limit (`ReleaseLimitReached`).
    public func release(clientId: UUID, viewer: Viewer, providerId: UUID, reason: String, by actor: AuditActor) async throws -> ClientRow {
        let today = clock.today, now = clock.now()
        let limit = releasesPerDay
        return try await pool.withTransaction { conn in
            guard let c = try await ClientStore.client(id: clientId, lock: true, on: conn), viewer.canSee(c.facts) else {
                throw StoreError.notFound("client")
            }
            let next: ClientStatus
            switch ClientStatus.transition(
                from: c.status, event: .release(provider: providerId.lowercasedString, on: today), enrolment: c.enrolment)
            {
            case .failure(.releaseRefused(let r)): throw StoreError.refused([.init(field: "(client)", message: r.message)])
            case .failure: throw StoreError.conflict(WaitlistRefusals.cannotRelease)
            case .success(let s): next = s
            }
            try await ClientReleases.lockProvider(providerId, on: conn)
            let recent = try await ClientReleases.releases(
                by: providerId, since: now.addingTimeInterval(-Double(HandBack.windowSeconds)), on: conn)
            if case .failure(let reached) = HandBack.check(
                recent: recent.map { Int64($0.timeIntervalSince1970.rounded(.down)) }, now: Int64(now.timeIntervalSince1970.rounded(.down)),
                limit: limit)
            {
                throw ReleaseLimitReached(
                    message: WaitlistRefusals.tooManyHandBacks(limit: reached.limit, retryAfterSeconds: reached.retryAfterSeconds),
                    limit: reached.limit, retryAfterSeconds: reached.retryAfterSeconds)
            }
            let provider = c.providerName ?? WaitlistMessages.someProvider
            try await ClientStore.recordRelease(clientId: clientId, status: next, on: conn)
            try await ClientReleases.record(clientId: clientId, providerId: providerId, waitlistId: c.waitlistId, at: now, on: conn)
            let r = try await ClientStore.client(id: clientId, lock: false, on: conn)!
            let providers = try await ClientStore.providers(servingRegion: r.regionId, on: conn)
            let m = WaitlistMessages.released(r)
            try await Outbox.enqueueToOrganizations(
                .providerNotice, providers, clientId: clientId, subject: m.subject, body: m.body, on: conn)
            if let email = r.email {
                let toHer = WaitlistMessages.releasedToClient(r, provider: provider)
                try await Outbox.enqueue(.releaseNotice, to: email, clientId: clientId, subject: toHer.subject, body: toHer.body, on: conn)
            }
            let toCoordinators = WaitlistMessages.releasedToCoordinators(r, provider: provider)
            try await Outbox.enqueueToCoordinators(
                .releaseNotice, regionId: r.regionId, clientId: clientId, subject: toCoordinators.subject, body: toCoordinators.body,
                on: conn)
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

/// A hand-back refused because the provider reached its limit for 24 hours (API: 429 with `Retry-After`).
public struct ReleaseLimitReached: Error, Sendable {
    public let message: String
    /// Hand-backs allowed per 24 hours.
    public let limit: Int
    public let retryAfterSeconds: Int64
}
