import FoundationEssentials
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import DatesAndIDs

/// Turns bookings into `dossier.complete` events (`RegisterNoticeWorkflows.recordCompleteDossiers`), on
/// the delivery service's tick. (Done here rather than in the push, which books up to 10,000 completions
/// in one request.)
public struct DossierWatcher: Sendable {
    let register: RegisterStore

    public init(pool: PostgresPool) {
        self.register = RegisterStore(pool: pool)
    }

    /// One pass; returns how many `dossier.complete` events it recorded.
    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> Int {
        try await RegisterNoticeWorkflows(store: register, clock: .fixed(now)).recordCompleteDossiers()
    }
}
