import Logging
import PostgresClient
import Synchronization

/// The connection that listens for identity changes (`TokenCache.authChannel`) and empties the token cache on each
/// one. Started with the app; `stop()` at shutdown. See `TokenCache` for why the cache is unused while not listening.
final class AuthNotifications: Sendable {
    let cache: TokenCache
    private let listener: PostgresListener
    /// Notifications received so far (tests and `/metrics` read it).
    private let received = Counter()

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Times the listener started listening (1 + reconnections).
    private let listens = Counter()

    init(configuration: PostgresConfiguration, cache: TokenCache, channel: String = TokenCache.authChannel, logger: Logger) {
        self.cache = cache
        let received = self.received, listens = self.listens
        self.listener = PostgresListener(configuration: configuration, channel: channel) { event in
            switch event {
            case .listening:
                cache.setListening(true)
                listens.value.add(1, ordering: .relaxed)
            case .notification:
                cache.empty()
                received.value.add(1, ordering: .relaxed)
            case .lost(let reason):
                let wasListening = cache.isListening
                cache.setListening(false)
                if wasListening && reason != "stopped" {
                    logger.log(
                        .warn, "not listening for token revocations: requests look their tokens up until it reconnects", ["reason": reason])
                }
            }
        }
    }

    func start() { listener.start() }

    func stop() {
        listener.stop()
        cache.setListening(false)
    }

    var isListening: Bool { listener.isListening }
    var notificationsReceived: Int { received.value.load(ordering: .relaxed) }
    var timesListened: Int { listens.value.load(ordering: .relaxed) }
}
