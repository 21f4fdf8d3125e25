import Synchronization

/// Open connections per peer address, across all loops, so one address cannot take every connection
/// (`ServerConfiguration.maxConnectionsPerAddress`). Trusted proxies are not counted: every client
/// behind them shares their address.
final class AddressConnectionCounts: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Counts one more connection from `address`; false (and nothing counted) when it is at the limit.
    func open(_ address: String) -> Bool {
        counts.withLock { counts in
            let n = counts[address, default: 0]
            guard n < limit else { return false }
            counts[address] = n + 1
            return true
        }
    }

    func close(_ address: String) {
        counts.withLock { counts in
            let n = counts[address, default: 0]
            counts[address] = n > 1 ? n - 1 : nil
        }
    }

    func count(_ address: String) -> Int { counts.withLock { $0[address, default: 0] } }
}
