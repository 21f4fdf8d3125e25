import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import Logging

/// Registers routes with the API's cross-cutting rules: which roles may call a route (checked before
/// the handler; object-level checks stay in the handler), and one mapping from errors to problems.
struct RouteBuilder {
    var router: Router
    let authenticator: Authenticator
    let logger: Logger

    /// A route for any valid token whose role is in `roles` (nil: every role).
    mutating func authed(
        _ method: HTTPMethod, _ path: String, roles: Set<Role>? = nil, options: RouteOptions = .init(),
        _ handler: @escaping @Sendable (HTTPRequest, Principal) async throws -> HTTPResponse
    ) {
        let authenticator = self.authenticator, logger = self.logger
        router.add(method, path, options: options) { request in
            try await RouteBuilder.mapErrors(request, logger) {
                let principal = try await authenticator.principal(for: request)
                if let roles, !roles.contains(principal.role) {
                    throw APIProblem.forbidden("your role (\(principal.role.rawValue)) may not do this")
                }
                let mark = authenticator.notificationMark(request)
                do {
                    let response = try await handler(request, principal)
                    await authenticator.afterWrite(request, succeeded: response.status.code < 300, mark: mark)
                    return response
                } catch {
                    await authenticator.afterWrite(request, succeeded: false, mark: mark)
                    throw error
                }
            }
        }
    }

    /// A public route (no token), rate-limited per client address.
    mutating func open(
        _ method: HTTPMethod, _ path: String, options: RouteOptions = .init(rateLimited: true),
        _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) {
        let logger = self.logger
        router.add(method, path, options: options) { request in
            try await RouteBuilder.mapErrors(request, logger) { try await handler(request) }
        }
    }

    static func mapErrors(
        _ request: HTTPRequest, _ logger: Logger,
        _ body: () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        do {
            return try await body()
        } catch {
            if let problem = ProblemMapping.problem(for: error) {
                var response = problem.response(requestId: request.requestId)
                if problem.status == HTTPStatus.unauthorized.code {
                    response.headers["WWW-Authenticate"] = "Bearer"
                }
                return response
            }
            throw error
        }
    }
}

extension HTTPRequest {
    /// A path parameter that must be a UUID; anything else is an unknown object (404).
    func uuidParameter(_ name: String, _ what: String) throws -> UUID {
        guard let text = pathParameters[name], let id = UUID(uuidString: text) else { throw APIProblem.notFound(what) }
        return id
    }

    /// `?limit=` and `?cursor=` per API.md; a bad value is a 400, not silently ignored.
    func pageRequest() throws -> PageRequest {
        var limit = PageRequest.defaultLimit
        if let text = query("limit") {
            guard let n = Int(text), n >= 1, n <= PageRequest.maxLimit else {
                throw APIProblem.validation([.init(field: "limit", message: "must be a whole number from 1 to \(PageRequest.maxLimit)")])
            }
            limit = n
        }
        var after: PageCursor?
        if let text = query("cursor") {
            guard let cursor = PageCursor(encoded: text) else {
                throw APIProblem.validation([.init(field: "cursor", message: "is not a cursor this API gave out")])
            }
            after = cursor
        }
        return PageRequest(limit: limit, after: after)
    }
}

/// The list envelope of API.md.
struct ListBody<Item: Encodable>: Encodable {
    let items: [Item]
    let total: Int
    @ExplicitNull var nextCursor: String?  // null on the last page, as the contract shows
}
