import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import Logging
import PostgresClient

/// Registers routes with the API's cross-cutting rules: which roles may call a route (checked before
/// the handler; object-level checks stay in the handler), and one mapping from errors to problems.
struct RouteBuilder {
    var router: Router
    let authenticator: Authenticator
    let logger: Logger
    /// `Idempotency-Key` on authenticated POSTs (nil: the header is ignored).
    var idempotency: Idempotency?
    /// The lock every authenticated write to a resource takes (nil: none, and `If-Match` is checked unlocked).
    var locks: ResourceLocks?
    /// Each GET pattern's handler: a write's `If-Match` is checked against what it answers.
    let representations = Representations()
    /// `PUBLIC_BASE_URL`: problem types are `<it>/problems/<slug>`.
    let problemTypeBase: String

    /// A route for any valid token whose role is in `roles` (nil: every role).
    ///
    /// GET answers carry an `ETag` (and answer `If-None-Match` with 304); POSTs honour `Idempotency-Key`;
    /// PATCH, PUT and DELETE honour `If-Match`; writes to a resource (`/v1/<collection>/<id>` and below) run
    /// under that resource's lock. See `Preconditions` and `Idempotency`.
    mutating func authed(
        _ method: HTTPMethod, _ path: String, roles: Set<Role>? = nil, options: RouteOptions = .init(),
        _ handler: @escaping @Sendable (HTTPRequest, Principal) async throws -> HTTPResponse
    ) {
        let authenticator = self.authenticator, logger = self.logger, typeBase = problemTypeBase
        let idempotency = self.idempotency, locks = self.locks, representations = self.representations
        let answer: @Sendable (HTTPRequest, Principal) async throws -> HTTPResponse = { request, principal in
            try await RouteBuilder.mapErrors(request, logger, typeBase: typeBase) {
                // A write to an identity empties the token caches of every instance before it is answered.
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
        if method == .GET { representations.set(path, answer) }
        @Sendable func authorized(_ request: HTTPRequest) async throws -> HTTPResponse {
            try await RouteBuilder.mapErrors(request, logger, typeBase: typeBase) {
                let principal = try await authenticator.principal(for: request)
                if let roles, !roles.contains(principal.role) {
                    throw APIProblem.forbidden("your role (\(principal.role.rawValue)) may not do this")
                }
                switch method {
                case .GET:
                    return Preconditions.tagged(try await answer(request, principal), for: request)
                case .POST:
                    let write: @Sendable () async throws -> HTTPResponse = {
                        try await RouteBuilder.locked(request, locks) { try await answer(request, principal) }
                    }
                    if let idempotency, let key = try Idempotency.key(of: request) {
                        return try await idempotency.perform(key: key, request, principal, write)
                    }
                    return try await write()
                default:
                    return try await RouteBuilder.locked(request, locks) {
                        guard let ifMatch = request.headers["If-Match"] else { return try await answer(request, principal) }
                        let representation = representations.get(path)
                        var get = request
                        get.method = .GET
                        get.body = []
                        get.headers.remove(name: "If-None-Match")
                        try Preconditions.check(ifMatch: ifMatch, current: try await representation?(get, principal))
                        var response = try await answer(request, principal)
                        // The new tag, still under the lock, for the caller's next conditional write.
                        if let representation, method != .DELETE, (200..<300).contains(response.status.code) {
                            let after = try await representation(get, principal)
                            if after.status.code == 200 {
                                response.headers["ETag"] = after.headers["ETag"] ?? Preconditions.entityTag(of: after.body)
                            }
                        }
                        return response
                    }
                }
            }
        }
        router.add(method, path, options: options) { request in
            try await RouteBuilder.traced(request) { try await authorized(request) }
        }
    }

    /// Runs a request with its valid `traceparent` as the transaction setting `kraamzorg.traceparent`, so the
    /// events its changes write keep it (migration 0024) and webhook deliveries pass it on.
    static func traced(_ request: HTTPRequest, _ body: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        guard let trace = request.traceParent else { return try await body() }
        return try await PostgresTransactionSettings.$current.withValue([.init(name: "kraamzorg.traceparent", value: trace.header)]) {
            try await body()
        }
    }

    /// Runs a write under the lock of the resource its path names (`/v1/<collection>/<id>`, the first three
    /// segments); a path of fewer segments (a collection) takes none.
    static func locked(
        _ request: HTTPRequest, _ locks: ResourceLocks?, _ body: @Sendable () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        guard let locks, segments.count >= 3 else { return try await body() }
        return try await locks.withLock("/" + segments.prefix(3).joined(separator: "/"), body)
    }

    /// A public route (no token), rate-limited per client address. Its GET answers carry an `ETag`.
    mutating func open(
        _ method: HTTPMethod, _ path: String, options: RouteOptions = .init(rateLimited: true),
        _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) {
        let logger = self.logger, typeBase = problemTypeBase
        router.add(method, path, options: options) { request in
            let response = try await RouteBuilder.traced(request) {
                try await RouteBuilder.mapErrors(request, logger, typeBase: typeBase) { try await handler(request) }
            }
            return method == .GET ? Preconditions.tagged(response, for: request) : response
        }
    }

    static func mapErrors(
        _ request: HTTPRequest, _ logger: Logger, typeBase: String,
        _ body: () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        do {
            return try await body()
        } catch {
            if let problem = ProblemMapping.problem(for: error) {
                var response = problem.response(requestId: request.requestId, typeBase: typeBase)
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
