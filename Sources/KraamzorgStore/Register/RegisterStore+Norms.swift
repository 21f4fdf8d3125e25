import FoundationEssentials
import Hashing
import KraamzorgRules
import PostgresClient
import Synchronization
import DatesAndIDs

/// The published norms, read from the database at most every few seconds (norms change rarely; a publish
/// on this instance refreshes at once). The seeded 2019/2023 norms are inserted from KraamzorgRules on first
/// use, so the requirement tables are written down once.
final class NormCache: Sendable {
    private struct State { var catalog: NormCatalog?; var loadedAt: ContinuousClock.Instant? }
    private let state = Mutex(State())
    static let maxAge: Duration = .seconds(5)

    func cached() -> NormCatalog? {
        state.withLock { s in
            guard let c = s.catalog, let at = s.loadedAt, ContinuousClock.now - at < NormCache.maxAge else { return nil }
            return c
        }
    }

    func set(_ catalog: NormCatalog?) {
        state.withLock { s in
            s.catalog = catalog; s.loadedAt = catalog == nil ? nil : ContinuousClock.now
        }
    }
}

extension RegisterStore {
    // MARK: norms

    public func normCatalog() async throws -> NormCatalog {
        if let c = norms.cached() { return c }
        var rows = try await pool.query("SELECT document::text AS document FROM norms ORDER BY applies_from")
        if rows.isEmpty || rows.count < NormCatalog.seeded.norms.count {
            for norm in NormCatalog.seeded.norms {
                let document = String(decoding: try JSONEncoder().encode(norm), as: UTF8.self)
                _ = try await pool.execute(
                    """
                    INSERT INTO norms (code, version, applies_from, document)
                    VALUES (\(norm.code), \(norm.version), \(norm.appliesFrom), \(document)::jsonb)
                    ON CONFLICT DO NOTHING
                    """)
            }
            rows = try await pool.query("SELECT document::text AS document FROM norms ORDER BY applies_from")
        }
        let decoder = JSONDecoder()
        let list = try rows.map { try decoder.decode(Norm.self, from: Data(try $0.decode("document", as: String.self).utf8)) }
        let catalog = NormCatalog(list)
        norms.set(catalog)
        return catalog
    }

    /// Publishes a norm (new code) or a correction (existing code, version + 1). The caller validated it.
    public func publishNorm(_ norm: Norm, by actor: AuditActor) async throws -> Norm {
        _ = try await normCatalog()  // seeds first, so a correction of 2023 bumps the seeded version
        let result: Norm = try await pool.withTransaction { conn in
            let existing = try await conn.query("SELECT version FROM norms WHERE code = \(norm.code) FOR UPDATE")
            var published = norm
            published.version = (try existing.first?.decode("version", as: Int.self) ?? 0) + 1
            let document = String(decoding: try JSONEncoder().encode(published), as: UTF8.self)
            _ = try await conn.execute(
                """
                INSERT INTO norms (code, version, applies_from, document) VALUES (\(published.code), \(published.version), \(published.appliesFrom), \(document)::jsonb)
                ON CONFLICT (code) DO UPDATE SET version = EXCLUDED.version, applies_from = EXCLUDED.applies_from,
                    document = EXCLUDED.document, updated_at = now()
                """)
            try await AuditLog.record(
                existing.isEmpty ? .create : .update, objectType: "norm", objectId: nil,
                details: ["code": published.code, "version": String(published.version)], by: actor, on: conn)
            return published
        }
        norms.set(nil)
        return result
    }
}
