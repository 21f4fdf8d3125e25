import FoundationEssentials
import Logging
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// Turns events into deliveries for each subscription (fan-out) and posts them, signed, with retries.
/// Exactly once per (subscription, event) across instances: deliveries are unique per pair and each is
/// claimed before it is sent.
public struct WebhookDeliverer: Sendable {
    public struct Report: Sendable, Equatable {
        public var queued = 0
        public var delivered = 0
        public var retrying = 0
        public var failed = 0
        /// Subscriptions switched off after a week of failures (their managers are told).
        public var disabled = 0
        public init() {}
    }

    let store: WebhookStore
    let waitlists: WaitlistStore
    let visibility: EventVisibility
    let http: WebhookHTTPClient
    let logger: Logger
    public let instance: UUID

    public init(
        store: WebhookStore, waitlists: WaitlistStore, clients: ClientStore, http: WebhookHTTPClient, logger: Logger,
        instance: UUID = UUID()
    ) {
        self.store = store
        self.waitlists = waitlists
        self.visibility = EventVisibility(clients: clients)
        self.http = http
        self.logger = logger
        self.instance = instance
    }

    func reader(_ organizationId: UUID) async throws -> EventVisibility.Reader {
        let viewer = try await waitlists.organizationViewer(id: organizationId) ?? .practitioner
        let register = try await waitlists.organizationKind(id: organizationId) == "register"
        return .init(viewer: viewer, organizationId: organizationId, practitionerId: nil, allRegisterEvents: register)
    }

    /// The body of a delivery: the event as it was when it happened, as the subscriber may see it; a ping names
    /// the subscription.
    func payload(_ d: ClaimedDelivery, today: CivilDate) async throws -> EventJSON {
        guard let event = d.event else {
            return EventJSON(
                id: d.id.lowercasedString, type: "ping", occurredAt: d.createdAt, client: nil, practitionerId: nil,
                organizationId: d.organizationId.lowercasedString, data: ["subscriptionId": d.subscriptionId.lowercasedString])
        }
        let reader = try await reader(d.organizationId)
        return try await visibility.render([event], for: reader, today: today).first?.json
            ?? EventJSON(
                id: event.id.lowercasedString, type: event.type, occurredAt: event.occurredAt, client: nil,
                practitionerId: nil, organizationId: nil, data: [:])
    }

    public func runOnce(now: Date = Date(), maxBatches: Int = 50) async throws -> Report {
        var report = Report()
        let visibility = self.visibility, deliverer = self
        let today = DutchClock.day(of: now)
        report.queued = try await store.fanOut(now: now) { sub, events in
            let reader = try await deliverer.reader(sub.organizationId)
            return try await visibility.render(events, for: reader, today: today).map(\.row)
        }
        for _ in 0..<maxBatches {
            let batch = try await store.claim(instance: instance, now: now)
            if batch.isEmpty { break }
            for d in batch {
                var status: Int?
                do {
                    let rendered = try await payload(d, today: today)
                    let body = try EventVisibility.encode(rendered)
                    let t = Int(now.timeIntervalSince1970)
                    var headers: [(String, String)] = [
                        ("Content-Type", "application/json"),
                        (
                            "X-Signature",
                            WebhookSignature.header(secrets: [d.secret] + (d.previousSecret.map { [$0] } ?? []), timestamp: t, body: body)
                        ),
                        ("X-Event-Id", rendered.id), ("X-Event-Type", rendered.type),
                        ("X-Delivery-Id", d.id.lowercasedString),
                    ]
                    // The trace of the request that caused the event, so the receiver's logs join the sender's.
                    if let traceparent = d.traceparent { headers.append(("traceparent", traceparent)) }
                    status = try await http.post(url: d.url, body: body, headers: headers)
                    guard let code = status, (200..<300).contains(code) else {
                        throw WebhookURLError(message: "the receiver answered \(status ?? 0)")
                    }
                    try await store.markDelivered(d.id, instance: instance, status: code, now: now)
                    report.delivered += 1
                } catch {
                    let permanent = error is WebhookURLError && status == nil
                    try await store.markFailed(
                        d.id, instance: instance, attempts: d.attempts, status: status, error: "\(error)", permanent: permanent, now: now)
                    if permanent || d.attempts >= store.policy.maxAttempts {
                        report.failed += 1
                        logger.warn("webhook: delivery failed", ["id": d.id.lowercasedString, "error": "\(error)"])
                    } else {
                        report.retrying += 1
                    }
                }
            }
        }
        report.disabled = try await WebhookDisabling(pool: store.pool).run(now: now).count
        return report
    }
}
