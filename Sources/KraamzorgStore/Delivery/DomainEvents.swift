import FoundationEssentials
import JSONInput
import PostgresClient

/// A domain event as stored.
public struct DomainEventRow: Sendable {
    public let seq: Int
    public let id: UUID
    /// The writing transaction (xid8 as text); with `seq` the feed's sort key.
    public let txid: String
    public let type: String
    public let occurredAt: Date
    public let clientId: UUID?
    public let practitionerId: UUID?
    public let organizationId: UUID?
    public let data: [String: String]
    /// The client as she was when it happened (events about a client recorded since migration 0015).
    public let clientState: ClientStateAtEvent?

    /// The feed position just after this event.
    public var cursor: EventCursor { EventCursor(txid: txid, seq: seq) }
}

/// A position in the event stream, in (transaction, sequence) order.
public struct EventCursor: Sendable, Equatable {
    public let txid: String
    public let seq: Int

    public init(txid: String, seq: Int) { self.txid = txid; self.seq = seq }
    public static let start = EventCursor(txid: "0", seq: 0)

    public var encoded: String { PageCursor(key: "\(txid).\(seq)", id: UUID(uuid: UUID_NULL_BYTES)).encoded }

    public init?(encoded: String) {
        guard let c = PageCursor(encoded: encoded) else { return nil }
        let parts = c.key.split(separator: ".")
        guard parts.count == 2, UInt64(parts[0]) != nil, let seq = Int(parts[1]) else { return nil }
        self.txid = String(parts[0])
        self.seq = seq
    }
}

private let UUID_NULL_BYTES: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

/// Writes and reads domain events.
public enum DomainEvents {
    /// The columns `row` reads, of the table aliased `alias`. They select `txid` as text under its own name, so an
    /// `ORDER BY txid` would sort that text (no index, and "10" before "9"): order by `events.txid, events.seq`.
    static func columns(_ alias: String) -> String {
        """
        \(alias).seq, \(alias).id, \(alias).txid::text AS txid, \(alias).type, \(alias).occurred_at, \(alias).client_id,
        \(alias).practitioner_id, \(alias).organization_id, \(alias).data::text AS data, \(alias).client_state::text AS client_state
        """
    }
    static let columns = columns("events")

    /// Every event type, in one list: the webhook subscriptions' `events` (with `*` for all) and openapi.yaml's enum.
    public static var typeNames: [String] { Kind.allCases.map(\.rawValue) }

    public enum Kind: String, Sendable, CaseIterable {
        case clientPlaced = "client.placed"
        case clientEnrolled = "client.enrolled"
        case clientReleased = "client.released"
        case clientBirthReported = "client.birthReported"
        case clientWithdrawn = "client.withdrawn"
        case accreditationBooked = "accreditation.booked"
        case accreditationWithdrawn = "accreditation.withdrawn"
        case dossierComplete = "dossier.complete"
        case periodApproved = "period.approved"
        // The register's decision on a course application (DOMAIN §3a), for the course provider.
        case courseAccredited = "course.accredited"
        case courseRefused = "course.refused"
        case periodRefused = "period.refused"
    }

    /// Records an event on the connection of the change, so it exists exactly when the change committed.
    public static func record(
        _ kind: Kind, clientId: UUID? = nil, practitionerId: UUID? = nil, organizationId: UUID? = nil,
        data: [String: String] = [:], on conn: PostgresConnection
    ) async throws {
        let json = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
        // With her state at this moment (after the change, in its transaction): what a delivery shows later.
        _ = try await conn.execute(
            """
            INSERT INTO events (type, client_id, practitioner_id, organization_id, data, client_state)
            VALUES (\(kind.rawValue), \(clientId), \(practitionerId), \(organizationId), \(json)::jsonb,
                    (\(unsafeRaw: ClientStateAtEvent.snapshotSQL) WHERE c.id = \(clientId)))
            """)
    }

    /// Accreditation events in one statement (a batch push may book thousands). The course provider is the
    /// event's organisation, so its own systems see them.
    public static func recordAccreditations(
        _ kind: Kind,
        _ items: [(
            id: UUID, practitionerId: UUID, providerId: UUID, courseId: UUID,
            registrationNumber: String, completedOn: String
        )],
        on conn: PostgresConnection
    ) async throws {
        guard !items.isEmpty else { return }
        _ = try await conn.execute(
            """
            INSERT INTO events (type, practitioner_id, organization_id, data)
            SELECT \(kind.rawValue), k.p, k.o, jsonb_build_object('accreditationId', k.a::text, 'courseId', k.c::text,
                                                                 'registrationNumber', k.r, 'completedOn', k.d)
            FROM unnest(\(items.map(\.practitionerId))::uuid[], \(items.map(\.providerId))::uuid[], \(items.map(\.id))::uuid[],
                        \(items.map(\.courseId))::uuid[], \(items.map(\.registrationNumber))::text[], \(items.map(\.completedOn))::text[])
                 AS k(p, o, a, c, r, d)
            """)
    }

    /// Events after `cursor` in (txid, seq) order, only from transactions older than every running one
    /// (so nothing can later appear before the returned positions).
    public static func read(after cursor: EventCursor, types: [String]? = nil, limit: Int, on pool: PostgresPool) async throws
        -> [DomainEventRow]
    {
        try await pool.query(
            """
            SELECT \(unsafeRaw: columns) FROM events
            WHERE (txid, seq) > (\(cursor.txid)::xid8, \(cursor.seq)::bigint)
              AND txid < pg_snapshot_xmin(pg_current_snapshot())
              AND (\(types)::text[] IS NULL OR type = ANY(\(types)::text[]))
            ORDER BY events.txid, events.seq LIMIT \(limit)
            """
        ).map(DomainEvents.row)
    }

    /// An event's `data` (a JSON object of strings, as `record` writes it). Read with `JSONReader`: a feed page reads
    /// a hundred of these, and a `JSONDecoder` per row was most of the page's time (issue 23).
    static func strings(_ json: String) -> [String: String] {
        guard case .object(let object) = try? JSONReader.parse(Array(json.utf8)).root else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in zip(object.keys, object.values) {
            if case .string(let text) = value { out[key] = text }
        }
        return out
    }

    static func row(_ r: PostgresRow) throws -> DomainEventRow {
        let data = DomainEvents.strings(try r.decode("data", as: String.self))
        return DomainEventRow(
            seq: try r.decode("seq"), id: try r.decode("id"), txid: try r.decode("txid"), type: try r.decode("type"),
            occurredAt: try r.decode("occurred_at"), clientId: try r.decode("client_id"),
            practitionerId: try r.decode("practitioner_id"), organizationId: try r.decode("organization_id"), data: data,
            clientState: (try r.decode("client_state", as: String?.self)).flatMap(ClientStateAtEvent.init(json:)))
    }
}
