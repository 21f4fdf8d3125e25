/// What a handler is: an async function from a request to a response. Throw a `Problem` (or any
/// `HTTPResponseError`) for an error answer; any other error becomes a 500 carrying only the request id.
public typealias HTTPHandler = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// A handler that answers at once, without suspending or blocking (`/healthz`): the event loop calls it
/// while reading the request, on its own thread, with no task and no hop. Every other connection of that
/// loop waits while it runs, so it must take microseconds.
public typealias HTTPImmediateHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// Per-route settings.
public struct RouteOptions: Sendable {
    /// Largest accepted body (decoded size for chunked bodies); clamped to 10 MiB. Default 1 MiB.
    public var bodyLimit: Int
    /// The rate-limit bucket and key of this route; nil: not limited.
    public var rateLimit: RateLimitPolicy?
    /// Whether a rate limit applies.
    public var rateLimited: Bool { rateLimit != nil }
    /// Runs the handler on the event loop's own thread (as a task whose executor preference is the loop),
    /// saving two thread hops. Only for handlers that never block and whose work between awaits takes
    /// microseconds (awaiting a database answer is fine, it is not run on the loop): while the handler runs,
    /// every other connection of that loop waits. The public register lookup is one.
    public var inline: Bool

    /// `rateLimited: true` is the public bucket per client address; `rateLimit` names another policy.
    public init(bodyLimit: Int = 1 << 20, rateLimited: Bool = false, rateLimit: RateLimitPolicy? = nil, inline: Bool = false) {
        self.bodyLimit = max(0, min(bodyLimit, 10 << 20))
        self.rateLimit = rateLimit ?? (rateLimited ? .publicRoutes : nil)
        self.inline = inline
    }
}

/// One registered route.
public struct Route: Sendable {
    public let method: HTTPMethod
    /// The pattern as registered, e.g. "/v1/users/:id"; also the `route` label of metrics and logs.
    public let pattern: String
    public let options: RouteOptions
    public let handler: HTTPHandler
    /// Set for routes added with `immediate:`; `handler` then calls it too.
    public let immediate: HTTPImmediateHandler?
    /// Segment positions of `:name` parameters.
    let parameterNames: [(position: Int, name: String)]
}

/// The outcome of matching a method and path.
public enum RouteMatch: Sendable {
    case matched(Route, parameters: [String: String])
    /// The path exists, but not for this method. `allowed` is what `Allow` lists.
    case methodNotAllowed(allowed: [HTTPMethod])
    /// OPTIONS on a path with no OPTIONS route: answer 204 with `Allow`.
    case options(allowed: [HTTPMethod])
    case notFound
}

/// Routes by method and path: literal segments and `:name` parameters (a literal wins over a parameter
/// at the same position, for every method: a path with routes of its own never falls through to a parameter). Empty segments are ignored, so "/a/" and "/a" are the same path.
/// HEAD is served by the GET route (the server drops the body and keeps Content-Length).
public struct Router: Sendable {
    private struct Node: Sendable {
        var literals: [String: Node] = [:]
        /// At most one element: the `:param` child.
        var parameter: [Node] = []
        var routes: [HTTPMethod: Route] = [:]
    }

    private var root = Node()
    public private(set) var routes: [Route] = []
    /// Routes without parameters by their normalized path ("/healthz"): most requests are answered from
    /// here without splitting or decoding the path.
    private var literal: [String: [HTTPMethod: Route]] = [:]

    public init() {}

    /// Registers `handler` for `method` and `pattern`. Registering the same method and pattern twice
    /// replaces the first; a bad pattern (parameter without a name) traps at startup.
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, options: RouteOptions = .init(),
        _ handler: @escaping HTTPHandler
    ) {
        add(method, pattern, options: options, handler: handler, immediate: nil)
    }

    /// Registers a handler the event loop runs synchronously (see `HTTPImmediateHandler`).
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, options: RouteOptions = .init(),
        immediate: @escaping HTTPImmediateHandler
    ) {
        add(method, pattern, options: options, handler: { immediate($0) }, immediate: immediate)
    }

    private mutating func add(
        _ method: HTTPMethod, _ pattern: String, options: RouteOptions,
        handler: @escaping HTTPHandler, immediate: HTTPImmediateHandler?
    ) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true)
        var parameterNames: [(position: Int, name: String)] = []
        for (position, segment) in segments.enumerated() where segment.hasPrefix(":") {
            let name = String(segment.dropFirst())
            precondition(!name.isEmpty, "route pattern \(pattern) has a parameter without a name")
            parameterNames.append((position, name))
        }
        let route = Route(
            method: method, pattern: pattern, options: options, handler: handler, immediate: immediate,
            parameterNames: parameterNames)
        routes.removeAll { $0.method == method && $0.pattern == pattern }
        routes.append(route)
        if parameterNames.isEmpty { literal["/" + segments.joined(separator: "/"), default: [:]][method] = route }
        Self.insert(route, segments: segments[...], into: &root)
    }

    private static func insert(_ route: Route, segments: ArraySlice<Substring>, into node: inout Node) {
        guard let first = segments.first else {
            node.routes[route.method] = route
            return
        }
        if first.hasPrefix(":") {
            if node.parameter.isEmpty { node.parameter.append(Node()) }
            insert(route, segments: segments.dropFirst(), into: &node.parameter[0])
        } else {
            insert(route, segments: segments.dropFirst(), into: &node.literals[String(first), default: Node()])
        }
    }

    /// Matches a percent-decoded path, or a raw one when `rawPath` is given (each segment is then
    /// decoded on its own, so an encoded "/" stays inside its parameter).
    public func match(method: HTTPMethod, path: String) -> RouteMatch {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return match(method: method, segments: segments)
    }

    func match(method: HTTPMethod, rawPath: Substring) -> RouteMatch {
        // A path as the literal table keys it (no escapes, no empty segments) whose method is there: done.
        // Anything else (a parameter route, 405, OPTIONS) goes through the tree, which gives the same answer.
        if Self.isNormalized(rawPath), let byMethod = literal[String(rawPath)],
            let route = byMethod[method] ?? (method == .HEAD ? byMethod[.GET] : nil)
        {
            return .matched(route, parameters: [:])
        }
        var segments: [String] = []
        segments.reserveCapacity(6)
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = PercentDecoding.decode(raw, plusAsSpace: false) else { return .notFound }
            segments.append(decoded)
        }
        return match(method: method, segments: segments)
    }

    /// No escapes, no empty segments, no trailing slash (except "/" itself): the form the literal table uses.
    private static func isNormalized(_ path: Substring) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "%") || (byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/")) { return false }
            previous = byte
        }
        return previous != UInt8(ascii: "/") || path.utf8.count == 1
    }

    private func match(method: HTTPMethod, segments: [String]) -> RouteMatch {
        var terminals: [Node] = []
        Self.collect(root, segments: segments, index: 0, into: &terminals)
        // The most specific path wins outright: a literal segment that names routes of its own is never a
        // parameter's value, so `Allow` lists exactly the methods that path answers (`/v1/register/lookups` is
        // POST only, not also the GET of `/v1/register/:number`).
        guard let node = terminals.first else { return .notFound }
        if let route = node.routes[method] ?? (method == .HEAD ? node.routes[.GET] : nil) {
            var parameters: [String: String] = [:]
            if !route.parameterNames.isEmpty {
                parameters.reserveCapacity(route.parameterNames.count)
                for (position, name) in route.parameterNames { parameters[name] = segments[position] }
            }
            return .matched(route, parameters: parameters)
        }
        var allowed = Set<HTTPMethod>(node.routes.keys)
        if allowed.contains(.GET) { allowed.insert(.HEAD) }
        allowed.insert(.OPTIONS)
        let order: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .PATCH, .DELETE, .OPTIONS]
        let sorted = order.filter(allowed.contains) + allowed.subtracting(order).sorted { $0.rawValue < $1.rawValue }
        return method == .OPTIONS ? .options(allowed: sorted) : .methodNotAllowed(allowed: sorted)
    }

    /// Depth-first, literal before parameter; collects every node whose path matches, in priority order.
    private static func collect(_ node: Node, segments: [String], index: Int, into terminals: inout [Node]) {
        if index == segments.count {
            if !node.routes.isEmpty { terminals.append(node) }
            return
        }
        if let literal = node.literals[segments[index]] {
            collect(literal, segments: segments, index: index + 1, into: &terminals)
        }
        if let parameter = node.parameter.first {
            collect(parameter, segments: segments, index: index + 1, into: &terminals)
        }
    }
}
