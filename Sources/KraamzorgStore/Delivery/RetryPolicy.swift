import FoundationEssentials
import Glibc  // pow: full Foundation re-exported it, FoundationEssentials does not

/// Exponential backoff for outbox messages and webhook deliveries: `base · 2^(attempt−1)`, capped,
/// and `failed` once `maxAttempts` tries have been made.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var base: Duration
    public var cap: Duration
    /// How long a claim holds a row; after it runs out (a crashed sender) any instance may retry.
    public var lease: Duration

    public init(maxAttempts: Int = 8, base: Duration = .seconds(30), cap: Duration = .seconds(6 * 3600), lease: Duration = .seconds(120)) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
        self.lease = lease
    }

    /// Seconds to wait after the `attempt`-th failure (1-based).
    public func delay(afterAttempt attempt: Int) -> Double {
        let seconds = Double(base.components.seconds) * pow(2, Double(max(0, attempt - 1)))
        return min(seconds, Double(cap.components.seconds))
    }

    var leaseSeconds: Double { Double(lease.components.seconds) }
}
