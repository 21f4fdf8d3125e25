import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import Logging

/// Turns `Authorization: Bearer <token>` into the membership the request acts for.
///
/// A token seen in the last `TokenCache.timeToLive` is answered from the cache, without a query; a revocation
/// empties the cache of every instance (`TokenCache`, `AuthNotifications`). `last_used_at` is written at most once
/// a minute per token and instance, off the request's path (a detached task), never once per request.
struct Authenticator: Sendable {
    let identity: IdentityStore
    let logger: Logger
    /// nil: every request looks its token up (no cache configured).
    let notifications: AuthNotifications?
    var cache: TokenCache? { notifications?.cache }

    init(identity: IdentityStore, logger: Logger, notifications: AuthNotifications? = nil) {
        self.identity = identity
        self.logger = logger
        self.notifications = notifications
    }

    /// How stale `last_used_at` may get before a request refreshes it: a write per minute, not per request.
    static let touchInterval: TimeInterval = 60

    func principal(for request: HTTPRequest) async throws -> Principal {
        guard let header = request.headers["Authorization"] else { throw APIProblem.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIProblem.unauthorized }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= 512 else { throw APIProblem.unauthorized }
        let hash = SecretToken.hash(token)
        let now = Date()
        var generation: UInt64?
        if let cache {
            switch cache.lookup(hash, now: now) {
            case .hit(let entry):
                touchIfDue(hash, tokenId: entry.principal.tokenId, lastUsed: entry.touchedAt ?? entry.principal.tokenLastUsedAt, now: now)
                return entry.principal
            case .miss(let current):
                generation = current
            }
        }
        guard let principal = try await identity.principal(tokenHash: hash) else { throw APIProblem.unauthorized }
        let touched = touchIfDue(hash, tokenId: principal.tokenId, lastUsed: principal.tokenLastUsedAt, now: now)
        if let cache, let generation {
            cache.store(hash, principal, generation: generation, touchedAt: touched ? now : principal.tokenLastUsedAt)
        }
        return principal
    }

    /// Records the token's use in the background when the last record is older than `touchInterval`; true if it did.
    @discardableResult
    private func touchIfDue(_ hash: [UInt8], tokenId: UUID, lastUsed: Date?, now: Date) -> Bool {
        guard (lastUsed.map { now.timeIntervalSince($0) > Authenticator.touchInterval }) ?? true else { return false }
        cache?.markTouched(hash, at: now)
        let identity = self.identity, logger = self.logger
        Task {
            do { try await identity.touchToken(id: tokenId) } catch {
                logger.log(.warn, "could not record token use", ["error": String(describing: error)])
            }
        }
        return true
    }

    /// Paths whose writes change identities (tokens, memberships, users, organisations). After this instance answered
    /// such a write, its own cache is emptied before the answer leaves, so the very next request here sees the change
    /// even if the notification is still on its way; other instances empty theirs when the `NOTIFY` reaches them.
    static let identityPaths = ["/v1/me", "/v1/tokens", "/v1/users", "/v1/memberships", "/v1/organizations"]

    /// How long a successful PATCH or DELETE of an identity waits for its own `NOTIFY` to come back (see `afterWrite`).
    static let echoWait: Duration = .milliseconds(250)

    private func changesIdentity(_ request: HTTPRequest) -> Bool {
        guard request.method != .GET, request.method != .HEAD else { return false }
        let path = request.path
        return Authenticator.identityPaths.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// The notifications this instance had heard before a write to an identity path (nil for any other request).
    func notificationMark(_ request: HTTPRequest) -> Int? {
        guard let notifications, changesIdentity(request) else { return nil }
        return notifications.notificationsReceived
    }

    /// After a write to an identity path: empties this instance's cache. After a successful PATCH or DELETE (they
    /// revoke or change, and so notify) it also waits, at most `echoWait`, until its own listener has heard a
    /// notification since the request began: PostgreSQL signals every listening session at the same commit, so by
    /// the time the answer leaves, the other instances' listeners have been sent theirs too. A creation (POST) makes
    /// nothing a cache holds stale, and is not held up.
    func afterWrite(_ request: HTTPRequest, succeeded: Bool, mark: Int?) async {
        guard let cache, changesIdentity(request) else { return }
        cache.empty()
        guard succeeded, let mark, let notifications, notifications.isListening,
            request.method == .PATCH || request.method == .DELETE || request.method == .PUT
        else { return }
        let deadline = ContinuousClock.now + Authenticator.echoWait
        while notifications.notificationsReceived == mark && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
}

extension Principal {
    /// The audit actor for this request.
    func actor(_ request: HTTPRequest) -> AuditActor {
        AuditActor(
            userId: user.id, userName: user.name, organizationId: organization.id, role: role.rawValue,
            membershipId: membership.id, requestId: request.requestId)
    }

    var isAdmin: Bool { role == .admin }
}
