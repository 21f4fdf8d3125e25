import FoundationEssentials
import PostgresClient

/// The first answer to a POST sent with an `Idempotency-Key`, per membership, for 24 hours (migration 0014).
///
/// Claiming inserts a row without a response; the request that inserted it runs, then stores its answer
/// (`complete`) or, when the answer is not final (a 5xx, 409, 429, 503), removes the row (`release`) so a retry
/// runs again. Every instance shares the table, so the key holds across instances.
public struct IdempotencyKeys: Sendable {
    /// How long a key is kept.
    public static let lifetime: TimeInterval = 24 * 60 * 60
    /// A claim without a response this old belongs to a request that died (statements end after seconds):
    /// a retry takes it over.
    public static let abandonedAfter: TimeInterval = 120

    /// A response as stored and replayed.
    public struct StoredResponse: Sendable, Equatable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        /// nil: withheld (the answer showed a credential once; it is not kept).
        public var body: [UInt8]?

        public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]?) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public static func == (a: StoredResponse, b: StoredResponse) -> Bool {
            a.status == b.status && a.body == b.body && a.headers.map { [$0.name, $0.value] } == b.headers.map { [$0.name, $0.value] }
        }
    }

    /// What a claim found.
    public enum Claim: Sendable, Equatable {
        /// The key is new (or expired): this request runs and then completes or releases it.
        case claimed
        /// The same request was answered before: replay this.
        case replay(StoredResponse)
        /// The key was used for another request (method, target or body differ).
        case mismatch
        /// The first request with this key is still running.
        case inProgress
    }

    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func claim(membershipId: UUID, key: String, requestHash: [UInt8], now: Date) async throws -> Claim {
        let expired = now.addingTimeInterval(-Self.lifetime), abandoned = now.addingTimeInterval(-Self.abandonedAfter)
        let hash = Data(requestHash)
        return try await pool.withConnection { conn in
            // Cleanup on insert: expired keys of everyone (the index on created_at finds them), and this key's
            // abandoned claim.
            _ = try await conn.execute("DELETE FROM idempotency_keys WHERE created_at < \(expired)")
            _ = try await conn.execute(
                """
                DELETE FROM idempotency_keys
                WHERE membership_id = \(membershipId) AND key = \(key) AND response_status IS NULL AND created_at < \(abandoned)
                """)
            let inserted = try await conn.query(
                """
                INSERT INTO idempotency_keys (membership_id, key, request_hash, created_at)
                VALUES (\(membershipId), \(key), \(hash), \(now))
                ON CONFLICT (membership_id, key) DO NOTHING
                RETURNING 1 AS claimed
                """)
            if !inserted.isEmpty { return .claimed }
            let rows = try await conn.query(
                """
                SELECT request_hash, response_status, response_headers, response_body
                FROM idempotency_keys WHERE membership_id = \(membershipId) AND key = \(key)
                """)
            // Released between the insert and this read: the first request's answer was not final; try again.
            guard let row = rows.first else { return .inProgress }
            guard try row.decode("request_hash", as: Data.self) == hash else { return .mismatch }
            guard let status = try row.decode("response_status", as: Int?.self) else { return .inProgress }
            let headers = Self.decodeHeaders(try row.decode("response_headers", as: String?.self) ?? "")
            let body = try row.decode("response_body", as: Data?.self)
            return .replay(StoredResponse(status: status, headers: headers, body: body.map { Array($0) }))
        }
    }

    /// Stores the answer of a claimed key.
    public func complete(membershipId: UUID, key: String, response: StoredResponse) async throws {
        let headers = Self.encodeHeaders(response.headers), body = response.body.map { Data($0) }
        _ = try await pool.execute(
            """
            UPDATE idempotency_keys SET response_status = \(response.status), response_headers = \(headers), response_body = \(body)
            WHERE membership_id = \(membershipId) AND key = \(key) AND response_status IS NULL
            """)
    }

    /// Gives a claimed key up (the answer was not final), so a retry runs the request again.
    public func release(membershipId: UUID, key: String) async throws {
        _ = try await pool.execute(
            "DELETE FROM idempotency_keys WHERE membership_id = \(membershipId) AND key = \(key) AND response_status IS NULL")
    }

    /// Header fields one per line, `name: value` (a field value never holds CR or LF).
    static func encodeHeaders(_ headers: [(name: String, value: String)]) -> String {
        headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    static func decodeHeaders(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            return (name: String(line[..<colon]), value: String(value))
        }
    }
}
