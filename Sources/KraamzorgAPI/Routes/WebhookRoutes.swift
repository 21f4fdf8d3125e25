import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgUseCases
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Webhook subscriptions per organisation: its managers (and admins) subscribe an http(s) URL to event
/// types (`*` for all), change or pause it, ping it, redeliver a delivery and rotate its secret. The signing
/// secret is shown once, in the 201 (and in a rotation's answer). It is derived (server key, subscription id,
/// salt), never stored.
struct WebhookRoutes {
    let webhooks: WebhookStore
    let allowPrivate: Bool
    let clock: DutchClock

    struct NewSubscription: Decodable {
        let url: String
        let events: [String]
        let organizationId: UUID?
    }

    struct SubscriptionChange: Decodable {
        let url: String?
        let events: [String]?
        let active: Bool?
    }

    struct SubscriptionJSON: Encodable {
        let id: String
        let organizationId: String
        let url: String
        let events: [String]
        let active: Bool
        @ExplicitNull var disabledAt: Date?
        @ExplicitNull var disabledReason: String?
        /// Until when the previous secret still signs too, after a rotation.
        @ExplicitNull var previousSecretValidUntil: Date?
        let createdAt: Date
        let secret: String?

        init(_ s: WebhookSubscriptionRow, secret: String? = nil) {
            id = s.id.lowercasedString; organizationId = s.organizationId.lowercasedString; url = s.url; events = s.eventTypes
            active = s.active; disabledAt = s.disabledAt; disabledReason = s.disabledReason
            previousSecretValidUntil = s.previousSecretUntil; createdAt = s.createdAt; self.secret = secret
        }
    }

    struct DeliveryJSON: Encodable {
        let id: String
        let kind: String
        @ExplicitNull var eventId: String?
        let eventType: String
        let status: String
        let attempts: Int
        let lastStatus: Int?
        let lastError: String?
        let createdAt: Date
        @ExplicitNull var deliveredAt: Date?
        let redeliveryOf: String?

        init(_ d: WebhookDeliveryRow) {
            id = d.id.lowercasedString; kind = d.kind; eventId = d.eventId?.lowercasedString; eventType = d.eventType
            status = d.status; attempts = d.attempts; lastStatus = d.lastStatus; lastError = d.lastError; createdAt = d.createdAt
            deliveredAt = d.deliveredAt; redeliveryOf = d.redeliveryOf?.lowercasedString
        }
    }

    /// Organisations' systems: insurers, care providers, course providers; admins for any organisation.
    /// Coordinators and practitioners read the feed with their own membership's visibility instead.
    static let roles: Set<Role> = [.admin, .insurer, .careProvider, .courseProvider]

    /// A URL's problems (empty when it can be delivered to): http or https, a host that resolves, and no
    /// loopback or private address unless `allowPrivate`.
    static func urlErrors(_ text: String, allowPrivate: Bool) -> [APIProblem.FieldError] {
        if text.count > 2000 { return [.init(field: "url", message: "must be at most 2000 characters")] }
        do {
            _ = try WebhookURL(text).resolve(allowPrivate: allowPrivate)
            return []
        } catch let e as WebhookURLError {
            return [.init(field: "url", message: e.message)]
        } catch {
            return [.init(field: "url", message: "\(error)")]
        }
    }

    /// The event types' problems: known names (`DomainEvents.typeNames`) or `*` alone for all.
    static func eventErrors(_ events: [String]) -> [APIProblem.FieldError] {
        let known = Set(DomainEvents.typeNames)
        var errors: [APIProblem.FieldError] = []
        if events.isEmpty { errors.append(.init(field: "events", message: "must name at least one event type, or \"*\" for all")) }
        if events.contains("*") && events.count > 1 {
            errors.append(.init(field: "events", message: "\"*\" subscribes to every event type and stands alone"))
        }
        for (i, e) in events.enumerated() where e != "*" && !known.contains(e) {
            errors.append(.init(field: "events[\(i)]", message: "must be \"*\" or one of \(known.sorted().joined(separator: ", "))"))
        }
        return errors
    }

    func register(_ routes: inout RouteBuilder) {
        let webhooks = self.webhooks, allowPrivate = self.allowPrivate, clock = self.clock

        @Sendable func requireManager(_ p: Principal) throws {
            guard p.role == .admin || (p.membership.manager && p.organization.kind != .register) else {
                throw APIProblem.forbidden("only your organisation's managers may manage its webhooks")
            }
        }
        @Sendable func owned(_ request: HTTPRequest, _ p: Principal) async throws -> WebhookSubscriptionRow {
            let id = try request.uuidParameter("id", "webhook")
            guard let s = try await webhooks.subscription(id: id), p.role == .admin || s.organizationId == p.organization.id else {
                throw APIProblem.notFound("webhook")
            }
            return s
        }

        routes.authed(.POST, "/v1/webhooks", roles: Self.roles) { request, principal in
            try requireManager(principal)
            let body = try APIJSON.decode(NewSubscription.self, from: request)
            var errors = Self.urlErrors(body.url, allowPrivate: allowPrivate) + Self.eventErrors(body.events)
            if body.organizationId != nil && principal.role != .admin {
                errors.append(.init(field: "organizationId", message: "only admins subscribe for another organisation"))
            }
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            // The secret is derived from the server key and the new row's salt; only this answer carries it.
            let created = try await webhooks.create(
                organizationId: body.organizationId ?? principal.organization.id, url: body.url,
                eventTypes: Array(Set(body.events)).sorted(), createdBy: principal.membership.id)
            return try APIJSON.response(
                SubscriptionJSON(created.subscription, secret: created.secret), status: .created,
                location: "/v1/webhooks/\(created.subscription.id.lowercasedString)", showsASecret: true)
        }

        routes.authed(.GET, "/v1/webhooks", roles: Self.roles) { request, principal in
            let all = try await webhooks.subscriptions(organizationId: principal.role == .admin ? nil : principal.organization.id)
            return try APIJSON.response(ListBody(items: all.map { SubscriptionJSON($0) }, total: all.count, nextCursor: nil))
        }

        routes.authed(.GET, "/v1/webhooks/:id", roles: Self.roles) { request, principal in
            try APIJSON.response(SubscriptionJSON(try await owned(request, principal)))
        }

        routes.authed(.PATCH, "/v1/webhooks/:id", roles: Self.roles) { request, principal in
            try requireManager(principal)
            let s = try await owned(request, principal)
            let body = try APIJSON.decode(SubscriptionChange.self, from: request)
            let errors = (body.url.map { Self.urlErrors($0, allowPrivate: allowPrivate) } ?? []) + (body.events.map(Self.eventErrors) ?? [])
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            guard
                let updated = try await webhooks.update(
                    id: s.id, url: body.url, eventTypes: body.events.map { Array(Set($0)).sorted() }, active: body.active)
            else { throw APIProblem.notFound("webhook") }
            return try APIJSON.response(SubscriptionJSON(updated))
        }

        routes.authed(.DELETE, "/v1/webhooks/:id", roles: Self.roles) { request, principal in
            try requireManager(principal)
            let s = try await owned(request, principal)
            try await webhooks.delete(id: s.id)
            return HTTPResponse(status: .noContent)
        }

        routes.authed(.POST, "/v1/webhooks/:id/ping", roles: Self.roles) { request, principal in
            try requireManager(principal)
            let s = try await owned(request, principal)
            guard s.active else { throw APIProblem.conflict("the webhook is switched off; switch it on with PATCH {\"active\": true}") }
            return try APIJSON.response(DeliveryJSON(try await webhooks.ping(subscriptionId: s.id, now: clock.now())), status: .accepted)
        }

        routes.authed(.POST, "/v1/webhooks/:id/deliveries/:deliveryId/redeliver", roles: Self.roles) { request, principal in
            try requireManager(principal)
            let s = try await owned(request, principal)
            let deliveryId = try request.uuidParameter("deliveryId", "delivery")
            guard s.active else { throw APIProblem.conflict("the webhook is switched off; switch it on with PATCH {\"active\": true}") }
            guard let d = try await webhooks.redeliver(deliveryId: deliveryId, subscriptionId: s.id, now: clock.now()) else {
                throw APIProblem.notFound("delivery")
            }
            return try APIJSON.response(DeliveryJSON(d), status: .accepted)
        }

        routes.authed(.POST, "/v1/webhooks/:id/rotate-secret", roles: Self.roles) { request, principal in
            try requireManager(principal)
            let s = try await owned(request, principal)
            guard let rotated = try await webhooks.rotateSecret(id: s.id, now: clock.now()) else { throw APIProblem.notFound("webhook") }
            return try APIJSON.response(SubscriptionJSON(rotated.subscription, secret: rotated.secret))
        }

        routes.authed(.GET, "/v1/webhooks/:id/deliveries", roles: Self.roles) { request, principal in
            let s = try await owned(request, principal)
            let limit = try request.pageRequest().limit
            let items = try await webhooks.deliveries(subscriptionId: s.id, limit: limit)
            return try APIJSON.response(ListBody(items: items.map(DeliveryJSON.init), total: items.count, nextCursor: nil))
        }
    }
}
