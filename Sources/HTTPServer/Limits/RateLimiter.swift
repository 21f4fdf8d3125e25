import Synchronization

/// Token buckets, one per (bucket name, key), shared by all loops and open to the application (a bulk
/// route can charge one token per item). Each bucket name has its own `RateLimit`; the key is a client
/// address, a path parameter, or whatever the caller counts by. Memory is bounded by the default
/// limit's `maxTrackedClients`: when full, buckets that have refilled completely are dropped
/// (forgetting them changes nothing), then the least recently seen ones.
public final class RateLimiter: Sendable {
    public enum Decision: Equatable, Sendable {
        /// `remaining` tokens left; the bucket is full again in `resetSeconds`.
        case allowed(limit: Int, remaining: Int, resetSeconds: Int)
        /// Seconds until enough tokens are back (≥ 1), for `Retry-After`.
        case limited(limit: Int, retryAfter: Int)

        /// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (IETF httpapi draft) and, when
        /// limited, `Retry-After`.
        public var headers: HTTPHeaders {
            switch self {
            case .allowed(let limit, let remaining, let reset):
                return ["RateLimit-Limit": String(limit), "RateLimit-Remaining": String(remaining), "RateLimit-Reset": String(reset)]
            case .limited(let limit, let retryAfter):
                return [
                    "RateLimit-Limit": String(limit), "RateLimit-Remaining": "0", "RateLimit-Reset": String(retryAfter),
                    "Retry-After": String(retryAfter),
                ]
            }
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: UInt64
        var fullAfter: UInt64
    }

    private let defaultLimit: RateLimit
    private let limits: [String: RateLimit]
    private let buckets = Mutex<[String: Bucket]>([:])

    /// `limits` per bucket name; any other bucket uses `defaultLimit`.
    public init(_ defaultLimit: RateLimit, buckets limits: [String: RateLimit] = [:]) {
        self.defaultLimit = defaultLimit
        self.limits = limits
    }

    /// The limit a bucket name has.
    public func limit(for bucket: String) -> RateLimit { limits[bucket] ?? defaultLimit }

    /// Takes `cost` tokens for `key` in `bucket` at monotonic time `now` (nanoseconds). A cost above the
    /// bucket's size is never allowed; it is limited for a whole window.
    public func acquire(bucket: String, key: String, cost: Int = 1, now: UInt64) -> Decision {
        let limit = self.limit(for: bucket)
        let capacity = Double(limit.requests)
        let refillRate = capacity / Double(max(1, limit.window.nanoseconds))  // tokens per nanosecond
        let id = bucket + "\u{0}" + key
        let cost = Double(max(0, cost))
        return buckets.withLock { buckets in
            var b = buckets[id] ?? Bucket(tokens: capacity, updated: now, fullAfter: UInt64(capacity / refillRate))
            let elapsed = now >= b.updated ? Double(now - b.updated) : 0
            b.tokens = min(capacity, b.tokens + elapsed * refillRate)
            b.updated = now
            let decision: Decision
            if cost <= b.tokens {
                b.tokens -= cost
                let reset = (capacity - b.tokens) / refillRate / 1e9
                decision = .allowed(limit: limit.requests, remaining: Int(b.tokens.rounded(.down)), resetSeconds: Int(reset.rounded(.up)))
            } else {
                let wait = cost > capacity ? Double(limit.window.nanoseconds) / 1e9 : (cost - b.tokens) / refillRate / 1e9
                decision = .limited(limit: limit.requests, retryAfter: max(1, Int(wait.rounded(.up))))
            }
            if buckets[id] == nil && buckets.count >= defaultLimit.maxTrackedClients { evict(&buckets, now: now) }
            buckets[id] = b
            return decision
        }
    }

    /// Takes one token for `client` in the default bucket (the public routes' limit).
    func acquire(_ client: String, now: UInt64) -> Decision { acquire(bucket: RateLimitPolicy.publicBucket, key: client, now: now) }

    var trackedClients: Int { buckets.withLock { $0.count } }

    private func evict(_ buckets: inout [String: Bucket], now: UInt64) {
        let maxClients = defaultLimit.maxTrackedClients
        buckets = buckets.filter { now < $0.value.updated || now - $0.value.updated < $0.value.fullAfter }
        if buckets.count >= maxClients {
            // Still full of active clients: keep the most recently seen half.
            let keep = buckets.sorted { $0.value.updated > $1.value.updated }.prefix(maxClients / 2)
            buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
