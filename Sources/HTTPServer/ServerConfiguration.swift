import Glibc
import CLinuxSystem

/// A token-bucket rate limit: `requests` per `window` for each key of a bucket (see `RateLimitPolicy`).
public struct RateLimit: Sendable, Equatable {
    /// Bucket size: requests allowed in a burst, refilled evenly over `window`.
    public var requests: Int
    public var window: Duration
    /// Most client addresses tracked at once; past it, full buckets and then the least recently seen
    /// are evicted (bounded memory). Default 100,000.
    public var maxTrackedClients: Int

    public init(requests: Int = 120, per window: Duration = .seconds(60), maxTrackedClients: Int = 100_000) {
        self.requests = max(1, requests)
        self.window = window
        self.maxTrackedClients = max(16, maxTrackedClients)
    }
}

/// Everything the server can be tuned with. Defaults suit a JSON API behind nothing (no proxy).
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 binds an ephemeral port; `Server.start()` returns the port bound.
    public var port: Int
    /// Event loop threads, each with its own epoll and SO_REUSEPORT listener. Default: number of cores.
    public var eventLoopCount: Int
    /// Open connections allowed across all loops; a connection over it is answered 503 and closed.
    public var maxConnections: Int
    /// Open connections allowed from one peer address (trusted proxies exempt), below `maxConnections`
    /// so one address cannot take them all. Default 256.
    public var maxConnectionsPerAddress: Int
    /// Peers whose `X-Forwarded-For`/`Forwarded` name the client (`TRUSTED_PROXIES`). Default none:
    /// the socket peer is the client.
    public var trustedProxies: [AddressRange]
    public var limits: ParserLimits
    /// From the first byte of a request (or from accept) to its complete head. Slowloris guard. Default 10 s.
    public var headerTimeout: Duration
    /// Keep-alive connection with no request in progress. Default 30 s.
    public var idleTimeout: Duration
    /// From a complete head to the complete body. Default 30 s.
    public var bodyTimeout: Duration
    /// A response that makes no write progress for this long (the client stopped reading). Default 30 s.
    public var writeTimeout: Duration
    /// How long `shutdown()` lets in-flight requests finish before closing everything. Default 10 s.
    public var shutdownGracePeriod: Duration
    /// The public routes' limit per client address (bucket `RateLimitPolicy.publicBucket`), and the
    /// default of any bucket not in `rateLimitBuckets`.
    public var rateLimit: RateLimit
    /// Limits of other buckets by name (routes name theirs in `RouteOptions.rateLimit`).
    public var rateLimitBuckets: [String: RateLimit] = [:]
    /// Listen backlog per loop.
    public var backlog: Int
    /// Which browser origins may call (`CORS_ORIGINS`). Default none: no CORS headers at all.
    public var cors = CORSPolicy()
    /// `Content-Encoding: gzip` for bodies over 1 KB when the request accepts it (`ResponseCompression`).
    public var compression = true

    /// The `type` URI of the server's own problem answers (404, 405, 429, 503, parse errors) by status;
    /// nil, or nil for a status: `about:blank`. The application sets it so every problem has one table of types.
    public var problemType: (@Sendable (Int) -> String?)? = nil

    /// The type URI of a problem the server answers itself with this status.
    func problemTypeURI(_ status: HTTPStatus) -> String? { problemType?(status.code) }

    public init(
        host: String = "127.0.0.1", port: Int = 0, eventLoopCount: Int = ServerConfiguration.coreCount,
        maxConnections: Int = 4096, maxConnectionsPerAddress: Int = 256, trustedProxies: [AddressRange] = [],
        limits: ParserLimits = ParserLimits(),
        headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(30),
        bodyTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30),
        shutdownGracePeriod: Duration = .seconds(10), rateLimit: RateLimit = RateLimit(), backlog: Int = 1024
    ) {
        self.host = host
        self.port = port
        self.eventLoopCount = max(1, eventLoopCount)
        self.maxConnections = max(1, maxConnections)
        self.maxConnectionsPerAddress = max(1, maxConnectionsPerAddress)
        self.trustedProxies = trustedProxies
        self.limits = limits
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.writeTimeout = writeTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.rateLimit = rateLimit
        self.backlog = backlog
    }

    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

extension Duration {
    /// Whole nanoseconds, saturating at zero.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
