import FoundationEssentials
import Hashing
import KraamzorgStore
import Synchronization

/// Form tokens (CSRF) bound to one link: Base64URL(HMAC-SHA256(key, "kraamzorg-page-form-v1" ‖ SHA-256 of the link token)).
/// A form from one client's page is therefore refused on another client's link, and a form not made by
/// this service is refused everywhere.
///
/// The key must be the same on every instance: `PAGE_SECRET` from the environment when set (at least 32
/// characters), else the random key PostgreSQL made once in migration 0005 (`page_secret`), read on
/// first use and kept in memory. No per-process secret, so a form made by one instance is accepted by another.
final class FormTokens: Sendable {
    static let fieldName = "_form"
    private static let context = Array("kraamzorg-page-form-v1".utf8)

    private let store: LinkPageStore
    private let cached: Mutex<[UInt8]?>

    init(store: LinkPageStore, configuredSecret: String?) {
        self.store = store
        let configured = configuredSecret.flatMap { $0.utf8.count >= 32 ? Array($0.utf8) : nil }
        cached = Mutex(configured)
    }

    private func key() async throws -> [UInt8] {
        if let key = cached.withLock({ $0 }) { return key }
        let key = try await store.pageSecret()
        cached.withLock { $0 = key }
        return key
    }

    func token(linkHash: [UInt8]) async throws -> String {
        Base64URL.encode(HMAC_SHA256.authenticate(message: Self.context + linkHash, key: try await key()))
    }

    func isValid(_ given: String?, linkHash: [UInt8]) async throws -> Bool {
        guard let given, let bytes = Base64URL.decode(given) else { return false }
        let expected = HMAC_SHA256.authenticate(message: Self.context + linkHash, key: try await key())
        return SecretToken.constantTimeEquals(bytes, expected)
    }
}
