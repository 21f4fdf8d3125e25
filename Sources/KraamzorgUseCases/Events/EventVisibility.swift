import FoundationEssentials
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// An event as the feed and webhooks show it. `client` is the client as she was when it happened, as the
/// reader may see her (fields per its AVG group; absent fields are not shown; personal fields as they are now,
/// so erased ones stay erased). Nil members are left out.
public struct EventJSON: Sendable, Encodable {
    public let id: String
    public let type: String
    public let occurredAt: Date
    public let client: ClientView?
    public let practitionerId: String?
    public let organizationId: String?
    public let data: [String: String]

    public init(
        id: String, type: String, occurredAt: Date, client: ClientView?, practitionerId: String?, organizationId: String?,
        data: [String: String]
    ) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.client = client
        self.practitionerId = practitionerId
        self.organizationId = organizationId
        self.data = data
    }
}

/// Which events a reader may see, and how. Client events follow the rules library's client visibility
/// (whether: on the client's current state; what: her state when it happened); register events go to admins, to the organisation they name
/// (a course provider's own accreditations) and to the practitioner they are about.
public struct EventVisibility: Sendable {
    let clients: ClientStore

    public init(clients: ClientStore) { self.clients = clients }

    public struct Reader: Sendable {
        public let viewer: Viewer
        public let organizationId: UUID?
        public let practitionerId: UUID?
        /// Admins, and the register organisation's webhooks.
        public let allRegisterEvents: Bool
        public init(viewer: Viewer, organizationId: UUID?, practitionerId: UUID?, allRegisterEvents: Bool? = nil) {
            self.viewer = viewer
            self.organizationId = organizationId
            self.practitionerId = practitionerId
            self.allRegisterEvents = allRegisterEvents ?? (viewer == .admin)
        }
    }

    /// The visible events, rendered for `reader`, in the order given.
    public func render(_ events: [DomainEventRow], for reader: Reader, today: CivilDate) async throws -> [(
        row: DomainEventRow, json: EventJSON
    )] {
        var cache: [UUID: ClientRow?] = [:]
        var out: [(DomainEventRow, EventJSON)] = []
        for e in events {
            var view: ClientView?
            if let clientId = e.clientId {
                if cache[clientId] == nil { cache[clientId] = .some(try await clients.client(id: clientId)) }
                // Whether the reader may see her follows her current state (a provider that did not enrol her no
                // longer sees her); what it sees is her state when it happened (frozen), on that day. Older events
                // without a recorded state show her current row.
                guard let current = cache[clientId] ?? nil, let now = current.record.view(for: reader.viewer, on: today) else { continue }
                view =
                    e.clientState.flatMap { current.asOf($0).record.view(for: reader.viewer, on: DutchClock.day(of: e.occurredAt)) } ?? now
            } else {
                let mine =
                    reader.allRegisterEvents
                    || (e.organizationId != nil && e.organizationId == reader.organizationId)
                    || (e.practitionerId != nil && e.practitionerId == reader.practitionerId)
                guard mine else { continue }
            }
            out.append(
                (
                    e,
                    EventJSON(
                        id: e.id.lowercasedString, type: e.type, occurredAt: e.occurredAt, client: view,
                        practitionerId: e.practitionerId?.lowercasedString,
                        organizationId: e.organizationId?.lowercasedString, data: e.data)
                ))
        }
        return out
    }

    /// JSON as sent in webhook bodies: the API's encoder (ISO 8601 times, sorted keys), so a webhook carries
    /// an event byte for byte as the feed shows it.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        try JSONOutputEncoder().encode(value)
    }
}
