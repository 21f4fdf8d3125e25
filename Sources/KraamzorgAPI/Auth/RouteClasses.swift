import FoundationEssentials
import HTTPServer

/// The API's rate-limit classes. Each has its own bucket, so one kind of traffic cannot use up another's:
/// anonymous lookups of the public register do not make a client's own page answer 429.
public enum RouteClasses {
    /// Other public routes (agenda, norms, statistics, the quality-data question): per client address.
    public static let publicBucket = RateLimitPolicy.publicBucket
    /// Public register lookups and certificate checks: per client address.
    public static let lookupsBucket = "lookups"
    /// A client's own pages and link routes, and invitation links: per link token, so clients behind one
    /// proxy or carrier NAT do not share a bucket.
    public static let clientLinksBucket = "client-links"
    /// Bulk lookups (`POST /v1/register/lookups`): one token per number, per membership.
    public static let lookupNumbersBucket = "lookup-numbers"

    static let lookups = RateLimitPolicy(bucket: lookupsBucket)
    static let clientLinks = RateLimitPolicy(bucket: clientLinksBucket, key: .pathParameter("token"))
}

/// Monotonic nanoseconds for limiters the API charges itself.
enum MonotonicClock {
    private static let origin = ContinuousClock.now

    static func nanoseconds() -> UInt64 {
        let (seconds, attoseconds) = origin.duration(to: .now).components
        return UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
