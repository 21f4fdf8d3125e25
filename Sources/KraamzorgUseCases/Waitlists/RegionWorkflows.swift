import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// Regions (DOMAIN §7) and who serves or is preferent where, each change in one transaction with its
/// audit event. A postcode area belongs to at most one region: the rules check every range, and every
/// conflict is named.
public struct RegionWorkflows: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func createRegion(_ new: NewRegion, by actor: AuditActor) async throws -> RegionRecord {
        try await pool.withTransaction { conn in
            let id = try await WaitlistStore.insertRegion(name: new.name, clientInfo: new.clientInfo, on: conn)
            try await RegionWorkflows.replaceRanges(of: id, name: new.name, new.postcodeRanges, on: conn)
            try await RegionWorkflows.replacePreferent(of: id, new.preferentInsurerIds, on: conn)
            try await AuditLog.record(.create, objectType: "region", objectId: id, details: ["name": new.name], by: actor, on: conn)
            return try await WaitlistStore.region(id: id, on: conn)!
        }
    }

    public func updateRegion(id: UUID, _ changes: RegionChanges, by actor: AuditActor) async throws -> RegionRecord {
        try await pool.withTransaction { conn in
            guard
                let name = try await WaitlistStore.updateRegionFields(id: id, name: changes.name, clientInfo: changes.clientInfo, on: conn)
            else {
                throw StoreError.notFound("region")
            }
            if let ranges = changes.postcodeRanges { try await RegionWorkflows.replaceRanges(of: id, name: name, ranges, on: conn) }
            if let ids = changes.preferentInsurerIds { try await RegionWorkflows.replacePreferent(of: id, ids, on: conn) }
            var fields: [String] = []
            if changes.name != nil { fields.append("name") }
            if changes.postcodeRanges != nil { fields.append("postcodeRanges") }
            if changes.preferentInsurerIds != nil { fields.append("preferentInsurerIds") }
            if changes.clientInfo != nil { fields.append("clientInfo") }
            try await AuditLog.record(
                .update, objectType: "region", objectId: id, details: ["fields": fields.joined(separator: ",")], by: actor, on: conn)
            return try await WaitlistStore.region(id: id, on: conn)!
        }
    }

    /// Refused (422 on `field`) unless every id is a region; before an organisation is created with them.
    public func validateRegions(_ ids: [UUID], field: String) async throws {
        try await pool.withConnection { conn in try await WaitlistChecks.requireRegions(ids, field: field, on: conn) }
    }

    /// Care provider: the regions it serves; insurer: the regions where it is preferent (nil: unchanged).
    public func setOrganizationRegions(id: UUID, served: [UUID]?, preferent: [UUID]?, by actor: AuditActor) async throws {
        guard served != nil || preferent != nil else { return }
        try await pool.withTransaction { conn in
            try await WaitlistStore.lockOrganization(id: id, on: conn)
            if let served {
                try await WaitlistChecks.requireRegions(served, field: "regionIds", on: conn)
                try await WaitlistStore.replaceServedRegions(providerId: id, with: served, on: conn)
            }
            if let preferent {
                try await WaitlistChecks.requireRegions(preferent, field: "preferentRegionIds", on: conn)
                try await WaitlistStore.replacePreferentRegions(insurerId: id, with: preferent, on: conn)
            }
            try await AuditLog.record(
                .update, objectType: "organization", objectId: id,
                details: [
                    "fields": [served.map { _ in "regionIds" }, preferent.map { _ in "preferentRegionIds" }].compactMap { $0 }.joined(
                        separator: ",")
                ],
                by: actor, on: conn)
        }
    }

    /// Checks the ranges with the rules (every conflict named), then writes them; the exclusion
    /// constraint still guards against a concurrent region taking the same areas.
    static func replaceRanges(of id: UUID, name: String, _ ranges: [PostcodeRange], on conn: PostgresConnection) async throws {
        // Serialise range changes so the rule check sees every committed region.
        try await WaitlistStore.lockPostcodeRanges(on: conn)
        let others = try await WaitlistStore.regions(except: id, on: conn).map(\.rule)
        let candidate = Region(id: id.lowercasedString, name: name, postcodeRanges: ranges)
        let conflicts = Region.postcodeConflicts(of: candidate, with: others)
        if !conflicts.isEmpty {
            let names = Dictionary(others.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let text = conflicts.map { c -> String in
                let other = c.firstRegionId == candidate.id ? c.secondRegionId : c.firstRegionId
                return WaitlistRefusals.postcodeAreasTaken(c.overlap, byRegionNamed: other == candidate.id ? nil : names[other] ?? other)
            }
            throw StoreError.conflict(text.joined(separator: "; "))
        }
        try await WaitlistStore.replaceRanges(of: id, with: ranges, on: conn)
    }

    static func replacePreferent(of regionId: UUID, _ insurerIds: [UUID], on conn: PostgresConnection) async throws {
        try await WaitlistChecks.requireKind(.insurer, insurerIds, field: "preferentInsurerIds", on: conn)
        try await WaitlistStore.replacePreferentInsurers(of: regionId, with: insurerIds, on: conn)
    }
}
