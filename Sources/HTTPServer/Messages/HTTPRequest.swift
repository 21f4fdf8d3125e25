/// A complete request as handlers see it: head, decoded path, and the whole (already size-checked) body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target exactly as received (path and query, still percent-encoded).
    public var target: String
    /// The percent-decoded path, without the query.
    public var path: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer's IP address as text (no port). Proxies' forwarding headers are not trusted here.
    public var remoteAddress: String
    /// Values of the matched route's `:name` segments, percent-decoded.
    public var pathParameters: [String: String]
    /// The client's `X-Request-Id` when it is sane (1–128 visible ASCII characters), otherwise generated.
    public var requestId: String

    /// Builds a request as the server would (for tests and in-process calls). Returns nil when the
    /// target's path is not valid percent-encoded UTF-8.
    public init?(
        method: HTTPMethod, target: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
        remoteAddress: String = "127.0.0.1", pathParameters: [String: String] = [:], requestId: String? = nil
    ) {
        guard let path = HTTPRequest.decodePath(of: target) else { return nil }
        self.init(
            method: method, target: target, path: path, headers: headers, body: body,
            remoteAddress: remoteAddress, pathParameters: pathParameters,
            requestId: requestId ?? RequestID.sanitized(headers["X-Request-Id"]) ?? RequestID.generateStandalone())
    }

    public init(
        method: HTTPMethod, target: String, path: String, headers: HTTPHeaders, body: [UInt8],
        remoteAddress: String, pathParameters: [String: String], requestId: String
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.pathParameters = pathParameters
        self.requestId = requestId
    }

    /// The raw (still encoded) query string, without the `?`; empty when there is none.
    public var rawQuery: Substring {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return "" }
        return target[target.index(after: q)...]
    }

    /// First value of the query parameter `name`, percent- and `+`-decoded. O(length of the query).
    public func query(_ name: String) -> String? {
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawName, rawValue) = Self.splitPair(pair)
            if rawName == name || PercentDecoding.decodeLenient(rawName, plusAsSpace: true) == name {
                return PercentDecoding.decodeLenient(rawValue, plusAsSpace: true)
            }
        }
        return nil
    }

    /// Every query parameter in order, decoded. Computed on each access.
    public var queryItems: [(name: String, value: String)] {
        rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let (rawName, rawValue) = Self.splitPair(pair)
            return (
                name: PercentDecoding.decodeLenient(rawName, plusAsSpace: true),
                value: PercentDecoding.decodeLenient(rawValue, plusAsSpace: true)
            )
        }
    }

    private static func splitPair(_ pair: Substring) -> (Substring, Substring) {
        if let eq = pair.firstIndex(of: "=") {
            return (pair[..<eq], pair[pair.index(after: eq)...])
        }
        return (pair, "")
    }

    /// The decoded path of a target (nil when malformed).
    static func decodePath(of target: String) -> String? {
        let raw = rawPath(of: target)
        return PercentDecoding.decode(raw, plusAsSpace: false)
    }

    /// Searches the bytes: `firstIndex(of: Character)` compares grapheme clusters, slow on every request.
    static func rawPath(of target: String) -> Substring {
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<q] }
        return target[...]
    }
}
