import FoundationEssentials
import PostgresClient

/// Every place a client's personal data can be kept, in one list (DOMAIN §8, second round: erasure removes
/// her personal data from every place it was copied to, leaving ids only). `ClientStore.erasePersonalData`
/// is driven by this list and the erasure tests check it column by column, so a new column that can hold
/// her data is added here and nowhere else.
///
/// Checked and left alone (ids, dates, counts and hashes only): `invitations` and `client_links` (token hashes,
/// times), `consents` (text version, times), `clients.preferred_provider_ids`, `events.client_state` (her status,
/// enrolment, due and birth dates and the enrolling provider's name when the event happened: group-1 facts and ids),
/// `webhook_deliveries` (no body is stored: the body is rendered at delivery time from `events` and her current,
/// erased `clients` row; its `last_error` is the receiver's status or a transport error), `audit_events` (append-only; its details hold
/// ids and event names — free text typed about her, a withdrawal or release reason, is not written there).
/// Kept on purpose, as group-1 facts organisations may know (DOMAIN §7): `clients.client_number`, `postcode_area`,
/// `due_date`, `born_on`, and messages to organisations about her, whose bodies hold only those facts.
public enum ClientPersonalData {
    /// What erasure writes in a column.
    public enum Erasure: Sendable, Equatable {
        /// NULL.
        case null
        /// The placeholder `erased` (a NOT NULL column, or one whose NULL means something else).
        case placeholder
        /// Free text: the placeholder, unless it is one of these texts the service itself writes.
        case freeText(keeping: [String])
        /// The neutral subject of an erased message (`ErasureTexts.subject`).
        case neutralSubject
        /// The neutral body of an erased message (`ErasureTexts.body`).
        case neutralBody
        /// A still-pending message is not sent: this reason (`ErasureTexts.notSent`); an earlier error text
        /// (which may quote her address) becomes the placeholder.
        case unsentReason
        /// A JSON object keeps only these keys (ids).
        case keepKeys([String])
    }

    public struct Column: Sendable {
        public let name: String
        public let erasure: Erasure
    }

    /// A table, the rows in it that hold data of the clients in `$ids` (a uuid[]), and its personal columns.
    public struct Place: Sendable {
        public let table: String
        /// An SQL condition on the table's own columns; `$ids` stands for the clients' ids (uuid[]).
        public let rows: String
        public let columns: [Column]
        /// Bookkeeping (not personal) set in the same UPDATE, e.g. a message that will no longer be sent.
        public let alsoSet: String?
    }

    /// What an erased free-text or NOT NULL column holds.
    public static let placeholder = "erased"

    /// The texts the service writes itself in `clients.withdrawal_reason` (no personal data).
    public static let systemWithdrawalReasons = ["invitation expired"]

    public static let places: [Place] = [
        Place(
            table: "clients", rows: "id = ANY($ids)",
            columns: [
                Column(name: "first_name", erasure: .null),
                Column(name: "last_name", erasure: .null),
                Column(name: "email", erasure: .null),
                Column(name: "phone", erasure: .null),
                Column(name: "postcode", erasure: .null),
                // Typed by a coordinator or by her: may name her or her circumstances.
                Column(name: "withdrawal_reason", erasure: .freeText(keeping: systemWithdrawalReasons)),
            ], alsoSet: "erased_at = coalesce(erased_at, now()), updated_at = now()"),
        // Messages addressed to her (not those to organisations, which have organization_id and group-1 facts only):
        // her address, her first name in the body, her link while pending.
        Place(
            table: "notifications", rows: "client_id = ANY($ids) AND organization_id IS NULL",
            columns: [
                Column(name: "recipient", erasure: .placeholder),
                Column(name: "subject", erasure: .neutralSubject),
                Column(name: "body", erasure: .neutralBody),
                Column(name: "link", erasure: .null),
                Column(name: "last_error", erasure: .unsentReason),
            ], alsoSet: "status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END, claimed_until = NULL"),
        // Her events' payloads keep ids only (a birth date goes; the feed shows her through her erased row).
        Place(
            table: "events", rows: "client_id = ANY($ids)",
            columns: [
                Column(name: "data", erasure: .keepKeys(["waitlistId"]))
            ], alsoSet: nil),
    ]

    /// The texts an erased message gets (written in KraamzorgUseCases' Messages).
    public struct ErasureTexts: Sendable {
        public let subject: String
        public let body: String
        public let notSent: String
        public init(subject: String, body: String, notSent: String) {
            self.subject = subject
            self.body = body
            self.notSent = notSent
        }
    }

    /// The UPDATE erasing one place for `ids`.
    static func update(_ place: Place, ids: [UUID], texts: ErasureTexts) -> PostgresQuery {
        var q = PostgresQuery.StringInterpolation(literalCapacity: 256, interpolationCount: 8)
        q.appendLiteral("UPDATE \(place.table) SET ")
        for (i, c) in place.columns.enumerated() {
            if i > 0 { q.appendLiteral(", ") }
            q.appendLiteral("\(c.name) = ")
            switch c.erasure {
            case .null:
                q.appendLiteral("NULL")
            case .placeholder:
                q.appendInterpolation(placeholder)
            case .freeText(let keeping):
                q.appendLiteral("CASE WHEN \(c.name) IS NULL OR \(c.name) = ANY(")
                q.appendInterpolation(keeping)
                q.appendLiteral("::text[]) THEN \(c.name) ELSE ")
                q.appendInterpolation(placeholder)
                q.appendLiteral(" END")
            case .neutralSubject:
                q.appendInterpolation(texts.subject)
            case .neutralBody:
                q.appendInterpolation(texts.body)
            case .unsentReason:
                q.appendLiteral("CASE WHEN status = 'pending' THEN ")
                q.appendInterpolation(texts.notSent)
                q.appendLiteral(" WHEN \(c.name) IS NOT NULL THEN ")
                q.appendInterpolation(placeholder)
                q.appendLiteral(" END")
            case .keepKeys(let keys):
                q.appendLiteral("coalesce((SELECT jsonb_object_agg(k, v) FROM jsonb_each(\(c.name)) AS e(k, v) WHERE k = ANY(")
                q.appendInterpolation(keys)
                q.appendLiteral("::text[])), '{}'::jsonb)")
            }
        }
        if let more = place.alsoSet { q.appendLiteral(", \(more)") }
        let parts = place.rows.split(separator: "$ids", omittingEmptySubsequences: false).map(String.init)
        q.appendLiteral(" WHERE ")
        for (i, part) in parts.enumerated() {
            if i > 0 { q.appendInterpolation(ids); q.appendLiteral("::uuid[]") }
            q.appendLiteral(part)
        }
        return PostgresQuery(stringInterpolation: q)
    }
}

extension ClientStore {
    /// Erases every place of `ClientPersonalData.places` for these clients on the caller's transaction
    /// (withdrawal, the retention erasure): ids, counts, group-1 facts and the audit log stay.
    public static func erasePersonalData(clientIds: [UUID], texts: ClientPersonalData.ErasureTexts, on conn: PostgresConnection)
        async throws
    {
        guard !clientIds.isEmpty else { return }
        for place in ClientPersonalData.places {
            _ = try await conn.execute(ClientPersonalData.update(place, ids: clientIds, texts: texts))
        }
    }
}
