import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgStore
import DatesAndIDs

/// `/v1/tokens`: every token manages its own membership's tokens: list, rotate, revoke.
struct TokenRoutes {
    let identity: IdentityStore

    static let defaultDays = 365
    static let maxDays = 730

    static func expiry(days: Int) -> Date { Date().addingTimeInterval(TimeInterval(days) * 86_400) }

    struct CreateBody: Decodable { let expiresInDays: Int? }

    func register(_ routes: inout RouteBuilder) {
        let identity = self.identity

        routes.authed(.GET, "/v1/tokens") { _, principal in
            let tokens = try await identity.tokens(membershipId: principal.membership.id)
            return try APIJSON.response(
                ListBody(items: tokens.map { TokenJSON($0, current: principal.tokenId) }, total: tokens.count, nextCursor: nil))
        }

        routes.authed(.POST, "/v1/tokens") { request, principal in
            // An empty body means the defaults.
            let body = request.body.isEmpty ? CreateBody(expiresInDays: nil) : try APIJSON.decode(CreateBody.self, from: request)
            let days = body.expiresInDays ?? TokenRoutes.defaultDays
            guard (1...TokenRoutes.maxDays).contains(days) else {
                throw APIProblem.validation([.init(field: "expiresInDays", message: "must be from 1 to \(TokenRoutes.maxDays)")])
            }
            let token = SecretToken.generate()
            let record = try await identity.createToken(
                membershipId: principal.membership.id, tokenHash: SecretToken.hash(token),
                expiresAt: TokenRoutes.expiry(days: days), by: principal.actor(request))
            return try APIJSON.response(
                CreatedTokenJSON(id: record.id.lowercasedString, token: token, createdAt: record.createdAt, expiresAt: record.expiresAt),
                status: .created, location: "/v1/tokens/\(record.id.lowercasedString)", showsASecret: true)
        }

        routes.authed(.DELETE, "/v1/tokens/:id") { request, principal in
            let id = try request.uuidParameter("id", "token")
            try await identity.revokeToken(id: id, membershipId: principal.membership.id, by: principal.actor(request))
            return HTTPResponse(status: .noContent)
        }
    }
}

struct TokenJSON: Encodable {
    let id: String
    let createdAt: Date
    let expiresAt: Date?
    let lastUsedAt: Date?
    /// True for the token this request was made with.
    let current: Bool

    init(_ t: TokenRecord, current: UUID) {
        id = t.id.lowercasedString
        createdAt = t.createdAt
        expiresAt = t.expiresAt
        lastUsedAt = t.lastUsedAt
        self.current = t.id == current
    }
}

struct CreatedTokenJSON: Encodable {
    let id: String
    let token: String
    let createdAt: Date
    let expiresAt: Date?
}
