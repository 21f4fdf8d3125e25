import Synchronization

/// Prometheus metrics: `http_requests_total{route,method,status}`, `http_request_duration_seconds`
/// (histogram by route) and `http_open_connections`.
///
/// Each event loop records into its own shard (an uncontended lock); `prometheusText()` sums the shards.
/// Labels are bounded: the route is the registered pattern (or "unmatched"), the method a standard one
/// (or "OTHER").
public final class HTTPMetrics: Sendable {
    static let bucketBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    struct Histogram {
        var buckets = [UInt64](repeating: 0, count: HTTPMetrics.bucketBounds.count)
        var count: UInt64 = 0
        var sum: Double = 0

        mutating func observe(_ seconds: Double) {
            count += 1
            sum += seconds
            for (index, bound) in HTTPMetrics.bucketBounds.enumerated() where seconds <= bound {
                buckets[index] += 1
                break  // cumulative counts are computed when rendering
            }
        }
    }

    struct ShardState {
        var requests: [RequestKey: UInt64] = [:]
        var durations: [String: Histogram] = [:]
    }

    final class Shard: Sendable {
        let state = Mutex(ShardState())
    }

    let shards: [Shard]
    let openConnections = Atomic<Int>(0)

    public init(shardCount: Int = 1) {
        shards = (0..<max(1, shardCount)).map { _ in Shard() }
    }

    func record(shard: Int, route: String, method: HTTPMethod, status: Int, seconds: Double) {
        let key = RequestKey(route: route, method: method.metricsLabel, status: status)
        shards[shard % shards.count].state.withLock { state in
            state.requests[key, default: 0] += 1
            state.durations[route, default: Histogram()].observe(seconds)
        }
    }

    /// Number of `http_requests_total` observations, all labels summed (for tests and health pages).
    public var totalRequests: UInt64 {
        shards.reduce(0) { sum, shard in sum + shard.state.withLock { $0.requests.values.reduce(0, +) } }
    }

    public var currentOpenConnections: Int { openConnections.load(ordering: .relaxed) }

    public func prometheusText() -> String {
        var requests: [RequestKey: UInt64] = [:]
        var durations: [String: Histogram] = [:]
        for shard in shards {
            shard.state.withLock { state in
                requests.merge(state.requests, uniquingKeysWith: +)
                for (route, histogram) in state.durations {
                    var merged = durations[route, default: Histogram()]
                    merged.count += histogram.count
                    merged.sum += histogram.sum
                    for i in merged.buckets.indices { merged.buckets[i] += histogram.buckets[i] }
                    durations[route] = merged
                }
            }
        }
        var out = "# HELP http_requests_total HTTP requests answered.\n# TYPE http_requests_total counter\n"
        for (key, value) in requests.sorted(by: {
            ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status)
        }) {
            out += "http_requests_total{route=\"\(Self.escape(key.route))\",method=\"\(key.method)\",status=\"\(key.status)\"} \(value)\n"
        }
        out += "# HELP http_request_duration_seconds Time from a request's head to its response being queued.\n"
        out += "# TYPE http_request_duration_seconds histogram\n"
        for (route, histogram) in durations.sorted(by: { $0.key < $1.key }) {
            let label = Self.escape(route)
            var cumulative: UInt64 = 0
            for (index, bound) in Self.bucketBounds.enumerated() {
                cumulative += histogram.buckets[index]
                out += "http_request_duration_seconds_bucket{route=\"\(label)\",le=\"\(Self.format(bound))\"} \(cumulative)\n"
            }
            out += "http_request_duration_seconds_bucket{route=\"\(label)\",le=\"+Inf\"} \(histogram.count)\n"
            out += "http_request_duration_seconds_sum{route=\"\(label)\"} \(histogram.sum)\n"
            out += "http_request_duration_seconds_count{route=\"\(label)\"} \(histogram.count)\n"
        }
        out += "# HELP http_open_connections Open client connections.\n# TYPE http_open_connections gauge\n"
        out += "http_open_connections \(openConnections.load(ordering: .relaxed))\n"
        return out
    }

    private static func format(_ bound: Double) -> String {
        bound == bound.rounded() ? String(Int(bound)) : String(bound)
    }

    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
