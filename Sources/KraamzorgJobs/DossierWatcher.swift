#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// Turns bookings into `dossier.complete` events: after accreditations are booked, it evaluates the
/// practitioner's live periods and records the event once per period, the first time the dossier is
/// complete. It reads the event stream from its own cursor, locked, so one instance does it at a time.
/// (Done here rather than in the push, which books up to 10,000 completions in one request.)
public struct DossierWatcher: Sendable {
    let pool: PostgresPool
    let register: RegisterStore
    static let cursorName = "dossier-complete"

    public init(pool: PostgresPool) {
        self.pool = pool
        self.register = RegisterStore(pool: pool)
    }

    /// One pass; returns how many `dossier.complete` events it recorded.
    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> Int {
        let register = self.register
        let today = Job.civilDay(now)
        return try await pool.withTransaction { conn in
            guard let cursor = try await WorkerCursors.lock(Self.cursorName, on: conn) else { return 0 }
            let events = try await WorkerCursors.events(after: cursor, types: [DomainEvents.Kind.accreditationBooked.rawValue], limit: 1000, on: conn)
            guard let last = events.last else { return 0 }
            let catalog = try await register.normCatalog()
            // Evaluate first, write at the end (no transaction id while evaluating).
            var complete: [(practitionerId: UUID, periodId: UUID, norm: String)] = []
            for practitionerId in Set(events.compactMap(\.practitionerId)) {
                for record in try await register.periods(practitionerId: practitionerId) {
                    switch record.period.status {
                    case .active, .infoRequested, .upcoming: break
                    default: continue
                    }
                    guard let norm = catalog.norm(code: record.period.normCode) else { continue }
                    let inputs = try await register.dossierInputs(practitionerId: practitionerId, period: record.period)
                    let dossier = DossierEvaluator.evaluate(norm: norm, period: record.period, completions: inputs.completions,
                                                            ehboCertificates: inputs.ehbo, careHours: inputs.careHours, asOf: today)
                    if dossier.complete { complete.append((practitionerId, record.id, norm.code)) }
                }
            }
            var recorded = 0
            for c in complete where try await WorkerCursors.markDossierComplete(periodId: c.periodId, on: conn) {
                try await DomainEvents.record(.dossierComplete, practitionerId: c.practitionerId,
                                              data: ["periodId": c.periodId.lowercasedString, "norm": c.norm], on: conn)
                recorded += 1
            }
            try await WorkerCursors.move(Self.cursorName, to: last.cursor, on: conn)
            return recorded
        }
    }
}
