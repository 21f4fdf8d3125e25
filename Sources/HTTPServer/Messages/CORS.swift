/// Cross-origin requests from browsers (`CORS_ORIGINS`): only the listed origins, compared exactly, get CORS
/// headers. A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from one of them is
/// answered 204 with the methods the path really has; actual answers carry `Access-Control-Allow-Origin`,
/// `Vary: Origin` and the headers a script may read. Other origins get no CORS headers, so browsers refuse them.
/// No credentials (cookies) are involved: the API takes bearer tokens.
public struct CORSPolicy: Sendable {
    /// Exact origins (`https://app.example.nl`), without a trailing slash.
    public var origins: Set<String>
    /// How long a browser may cache a preflight.
    public var maxAgeSeconds: Int
    public var allowedHeaders: [String]
    public var exposedHeaders: [String]

    public init(
        origins: [String] = [], maxAgeSeconds: Int = 600,
        allowedHeaders: [String] = [
            "Accept", "Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match", "traceparent", "tracestate",
            "X-Request-Id",
        ],
        exposedHeaders: [String] = [
            "ETag", "Location", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-Request-Id",
            "Idempotent-Replayed", "Content-Disposition",
        ]
    ) {
        self.origins = Set(origins.map { CORSPolicy.normalized(Substring($0)) }.filter { !$0.isEmpty })
        self.maxAgeSeconds = maxAgeSeconds
        self.allowedHeaders = allowedHeaders
        self.exposedHeaders = exposedHeaders
    }

    /// `CORS_ORIGINS`: comma-separated origins.
    public init(parsing list: String) {
        self.init(origins: list.split(separator: ",").map { String(CORSPolicy.normalized($0)) })
    }

    static func normalized(_ origin: Substring) -> String {
        var text = origin.trimmingWhitespace()
        while text.hasSuffix("/") { text.removeLast() }
        return String(text)
    }

    public var isEnabled: Bool { !origins.isEmpty }

    func allows(_ origin: String?) -> Bool {
        guard let origin else { return false }
        return origins.contains(origin)
    }

    /// The preflight answer's headers, or nil when this is no preflight from an allowed origin.
    func preflightHeaders(_ request: HTTPHeaders, allowed: [HTTPMethod]) -> HTTPHeaders? {
        guard isEnabled, let origin = request["Origin"], allows(origin), request.contains("Access-Control-Request-Method") else {
            return nil
        }
        var headers = HTTPHeaders()
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Allow-Methods"] = allowed.map(\.rawValue).joined(separator: ", ")
        headers["Access-Control-Allow-Headers"] = allowedHeaders.joined(separator: ", ")
        headers["Access-Control-Max-Age"] = String(maxAgeSeconds)
        return headers
    }

    /// Adds the CORS headers of an actual answer (and `Vary: Origin` whenever CORS is on).
    func decorate(_ response: inout HTTPResponse, requestHeaders: HTTPHeaders) {
        guard isEnabled else { return }
        response.headers.addVary("Origin")
        guard let origin = requestHeaders["Origin"], allows(origin) else { return }
        response.headers["Access-Control-Allow-Origin"] = origin
        if !response.headers.contains("Access-Control-Allow-Methods") {
            response.headers["Access-Control-Expose-Headers"] = exposedHeaders.joined(separator: ", ")
        }
    }
}
