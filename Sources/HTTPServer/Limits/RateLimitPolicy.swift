/// Which bucket a route's requests are counted in, and by what key. Routes of one class share a bucket
/// (public lookups do not use up a client's own page); the key is the client address, or a path
/// parameter when one caller is better told apart by it (a personal link behind a shared proxy).
public struct RateLimitPolicy: Sendable, Equatable {
    public enum Key: Sendable, Equatable {
        /// The client's address (after `ServerConfiguration.trustedProxies`).
        case clientAddress
        /// The value of this path parameter (falls back to the client address when absent).
        case pathParameter(String)
    }

    public var bucket: String
    public var key: Key

    public init(bucket: String, key: Key = .clientAddress) {
        self.bucket = bucket
        self.key = key
    }

    /// The bucket of `ServerConfiguration.rateLimit`, per client address.
    public static let publicBucket = "public"
    public static let publicRoutes = RateLimitPolicy(bucket: publicBucket)
}
