import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgUseCases
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Webhook subscriptions per organisation: its managers (and admins) subscribe an http(s) URL to event
/// types; the signing secret is shown once, in the 201. It is derived (server key, subscription id, salt), never stored.
struct WebhookRoutes {
    let webhooks: WebhookStore
    let allowPrivate: Bool

    struct NewSubscription: Decodable {
        let url: String
        let events: [String]
        let organizationId: UUID?
    }

    struct SubscriptionJSON: Encodable {
        let id: String
        let organizationId: String
        let url: String
        let events: [String]
        let createdAt: Date
        let secret: String?

        init(_ s: WebhookSubscriptionRow, secret: String? = nil) {
            id = s.id.lowercasedString; organizationId = s.organizationId.lowercasedString; url = s.url; events = s.eventTypes
            createdAt = s.createdAt; self.secret = secret
        }
    }

    struct DeliveryJSON: Encodable {
        let id: String
        let eventId: String
        let eventType: String
        let status: String
        let attempts: Int
        let lastStatus: Int?
        let lastError: String?
        let createdAt: Date
        @ExplicitNull var deliveredAt: Date?

        init(_ d: WebhookDeliveryRow) {
            id = d.id.lowercasedString; eventId = d.eventId.lowercasedString; eventType = d.eventType; status = d.status;
            attempts = d.attempts
            lastStatus = d.lastStatus; lastError = d.lastError; createdAt = d.createdAt; deliveredAt = d.deliveredAt
        }
    }

    /// Organisations' systems: insurers, care providers, course providers; admins for any organisation.
    /// Coordinators and practitioners read the feed with their own membership's visibility instead.
    static let roles: Set<Role> = [.admin, .insurer, .careProvider, .courseProvider]

    func register(_ routes: inout RouteBuilder) {
        let webhooks = self.webhooks, allowPrivate = self.allowPrivate

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
            var errors: [APIProblem.FieldError] = []
            if body.url.count > 2000 {
                errors.append(.init(field: "url", message: "must be at most 2000 characters"))
            } else {
                do {
                    let url = try WebhookURL(body.url)
                    guard url.scheme == "http" else {
                        throw WebhookURLError(
                            message:
                                "https cannot be delivered: this service has no TLS client. Use an http URL of an outbound TLS proxy on a private address (with WEBHOOK_ALLOW_PRIVATE=1), or of your receiver behind its own TLS proxy"
                        )
                    }
                    _ = try url.resolve(allowPrivate: allowPrivate)
                } catch let e as WebhookURLError {
                    errors.append(.init(field: "url", message: e.message))
                } catch {
                    errors.append(.init(field: "url", message: "\(error)"))
                }
            }
            let known = Set(DomainEvents.Kind.allCases.map(\.rawValue))
            if body.events.isEmpty { errors.append(.init(field: "events", message: "must name at least one event type")) }
            for (i, e) in body.events.enumerated() where !known.contains(e) {
                errors.append(.init(field: "events[\(i)]", message: "must be one of \(known.sorted().joined(separator: ", "))"))
            }
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

        routes.authed(.DELETE, "/v1/webhooks/:id", roles: Self.roles) { request, principal in
            try requireManager(principal)
            let s = try await owned(request, principal)
            try await webhooks.delete(id: s.id)
            return HTTPResponse(status: .noContent)
        }

        routes.authed(.GET, "/v1/webhooks/:id/deliveries", roles: Self.roles) { request, principal in
            let s = try await owned(request, principal)
            let limit = try request.pageRequest().limit
            let items = try await webhooks.deliveries(subscriptionId: s.id, limit: limit)
            return try APIJSON.response(ListBody(items: items.map(DeliveryJSON.init), total: items.count, nextCursor: nil))
        }
    }
}
