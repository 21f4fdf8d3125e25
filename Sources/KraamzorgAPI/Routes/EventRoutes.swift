import FoundationEssentials
import HTTPServer
import KraamzorgUseCases
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// `GET /v1/events?after=<cursor>`: the domain events the caller's membership may see, oldest first.
struct EventRoutes {
    let pool: PostgresPool
    let waitlists: WaitlistStore
    let clients: ClientStore
    let clock: DutchClock

    /// A page's shape: `FeedJSON` writes it by hand, and `FeedJSONTests` holds it to this type's encoding.
    struct FeedBody: Encodable {
        let items: [EventJSON]
        /// Never null: poll again with it to get what happened since.
        let nextCursor: String
    }

    func register(_ routes: inout RouteBuilder) {
        let pool = self.pool, waitlists = self.waitlists, clients = self.clients, clock = self.clock
        let visibility = EventVisibility(clients: clients)

        routes.authed(.GET, "/v1/events") { request, principal in
            var cursor = EventCursor.start
            if let text = request.query("after") ?? request.query("cursor") {
                guard let c = EventCursor(encoded: text) else {
                    throw APIProblem.validation([.init(field: "after", message: "is not a cursor this API gave out")])
                }
                cursor = c
            }
            let limit = try request.pageRequest().limit
            if let t = request.query("type"), DomainEvents.Kind(rawValue: t) == nil {
                throw APIProblem.validation([
                    .init(field: "type", message: "must be one of \(DomainEvents.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                ])
            }
            let types = request.query("type").map { [$0] }
            let reader = EventVisibility.Reader(
                viewer: try await waitlists.viewer(for: principal), organizationId: principal.organization.id,
                practitionerId: principal.membership.practitionerId)
            var items: [EventJSON] = []
            // Scan forward until the page is full or the stream ends; events the caller may not see are skipped
            // (the cursor still moves past them, so each visible event is returned once).
            // The first read asks for just a page (enough when the caller sees most events); later ones for more.
            var batchSize = limit
            scan: for _ in 0..<20 {
                let batch = try await DomainEvents.read(after: cursor, types: types, limit: batchSize, on: pool)
                if batch.isEmpty { break }
                for (row, json) in try await visibility.render(batch, for: reader, today: clock.today) {
                    _ = row
                    items.append(json)
                    if items.count == limit {
                        cursor = row.cursor
                        break scan
                    }
                }
                cursor = batch.last!.cursor
                if batch.count < batchSize { break }
                batchSize = max(limit, 100)
            }
            // Personal fields shown are a read of personal data (NEN 7513).
            let personal = items.filter { ($0.client?.fields.intersection(.personal).isEmpty == false) }.compactMap {
                $0.client.flatMap { UUID(uuidString: $0.id) }
            }
            if !personal.isEmpty {
                try await clients.audit(
                    .read, clientIds: Array(Set(personal)), details: ["event": "eventFeed"], by: principal.actor(request))
            }
            return HTTPResponse(
                status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"],
                body: try FeedJSON.bytes(items: items, nextCursor: cursor.encoded))
        }
    }
}
