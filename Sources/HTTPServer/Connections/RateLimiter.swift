import Synchronization

/// Token buckets per client address, shared by all loops. Memory is bounded by
/// `RateLimit.maxTrackedClients`: when full, buckets that have refilled completely are dropped
/// (forgetting them changes nothing), then the least recently seen ones.
final class RateLimiter: Sendable {
    enum Decision: Equatable {
        case allowed
        /// Seconds until one token is back (≥ 1), for `Retry-After`.
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    private let capacity: Double
    /// Tokens per nanosecond.
    private let refillRate: Double
    private let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(_ limit: RateLimit) {
        capacity = Double(limit.requests)
        refillRate = Double(limit.requests) / Double(max(1, limit.window.nanoseconds))
        maxClients = limit.maxTrackedClients
    }

    /// Takes a token for `client` at monotonic time `now` (nanoseconds).
    func acquire(_ client: String, now: UInt64) -> Decision {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now >= bucket.updated ? Double(now - bucket.updated) : 0
            bucket.tokens = min(capacity, bucket.tokens + elapsed * refillRate)
            bucket.updated = now
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                let wait = (1 - bucket.tokens) / refillRate / 1e9
                decision = .limited(retryAfter: max(1, Int(wait.rounded(.up))))
            }
            if buckets[client] == nil && buckets.count >= maxClients { evict(&buckets, now: now) }
            buckets[client] = bucket
            return decision
        }
    }

    var trackedClients: Int { buckets.withLock { $0.count } }

    private func evict(_ buckets: inout [String: Bucket], now: UInt64) {
        let fullAfter = UInt64(capacity / refillRate)
        buckets = buckets.filter { now < $0.value.updated || now - $0.value.updated < fullAfter }
        if buckets.count >= maxClients {
            // Still full of active clients: keep the most recently seen half.
            let keep = buckets.sorted { $0.value.updated > $1.value.updated }.prefix(maxClients / 2)
            buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
