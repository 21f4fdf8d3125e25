import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import Logging

/// Turns `Authorization: Bearer <token>` into the membership the request acts for.
struct Authenticator: Sendable {
    let identity: IdentityStore
    let logger: Logger

    /// How stale `last_used_at` may get before a request refreshes it: a write per minute, not per request.
    static let touchInterval: TimeInterval = 60

    func principal(for request: HTTPRequest) async throws -> Principal {
        guard let header = request.headers["Authorization"] else { throw APIProblem.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIProblem.unauthorized }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= 512 else { throw APIProblem.unauthorized }
        guard let principal = try await identity.principal(tokenHash: SecretToken.hash(token)) else { throw APIProblem.unauthorized }
        if (principal.tokenLastUsedAt.map { Date().timeIntervalSince($0) > Authenticator.touchInterval }) ?? true {
            let identity = self.identity, logger = self.logger, tokenId = principal.tokenId
            Task {
                do { try await identity.touchToken(id: tokenId) } catch {
                    logger.log(.warn, "could not record token use", ["error": String(describing: error)])
                }
            }
        }
        return principal
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
