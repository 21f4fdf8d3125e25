import FoundationEssentials
import KraamzorgRules
import PostgresClient

/// The SQL of the region and waitlist workflows (`RegionWorkflows`, `WaitlistWorkflows` in
/// KraamzorgUseCases; `ClientWorkflows` reads a waitlist here too), each on the caller's transaction.
/// They decide nothing: the caller checks the rules.
extension WaitlistStore {
    // MARK: regions

    /// A new region without ranges or preferent insurers (written apart); returns its id.
    public static func insertRegion(name: String, clientInfo: String, on conn: PostgresConnection) async throws -> UUID {
        let rows = try await conn.query(
            """
            INSERT INTO regions (name, client_info) VALUES (\(name), \(clientInfo)) RETURNING id
            """)
        return try rows[0].decode("id")
    }

    /// Changes the fields given (nil: unchanged); returns the region's name afterwards, or nil when no region has this id.
    public static func updateRegionFields(id: UUID, name: String?, clientInfo: String?, on conn: PostgresConnection) async throws -> String?
    {
        try await conn.query(
            """
            UPDATE regions SET name = coalesce(\(name), name), client_info = coalesce(\(clientInfo), client_info),
                   updated_at = now()
            WHERE id = \(id) RETURNING name
            """
        ).first.map { try $0.decode("name") }
    }

    /// Serialises changes of postcode ranges until the transaction ends, so a check of the ranges sees every committed region.
    public static func lockPostcodeRanges(on conn: PostgresConnection) async throws {
        _ = try await conn.query("SELECT pg_advisory_xact_lock(\(Int64(0x6B7A5F726567696F)))")
    }

    /// Every region but `id`.
    public static func regions(except id: UUID, on conn: PostgresConnection) async throws -> [RegionRecord] {
        try await conn.query(
            """
            SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r WHERE r.id <> \(id)
            """
        ).map(WaitlistStore.region)
    }

    /// The region's postcode ranges become `ranges` (the exclusion constraint still guards against a concurrent overlap).
    public static func replaceRanges(of id: UUID, with ranges: [PostcodeRange], on conn: PostgresConnection) async throws {
        _ = try await conn.execute("DELETE FROM region_postcode_ranges WHERE region_id = \(id)")
        for r in ranges {
            _ = try await conn.execute("INSERT INTO region_postcode_ranges (region_id, pc_from, pc_to) VALUES (\(id), \(r.from), \(r.to))")
        }
    }

    /// The region's preferent insurers become `insurerIds`.
    public static func replacePreferentInsurers(of regionId: UUID, with insurerIds: [UUID], on conn: PostgresConnection) async throws {
        _ = try await conn.execute("DELETE FROM region_preferent_insurers WHERE region_id = \(regionId)")
        _ = try await conn.execute(
            """
            INSERT INTO region_preferent_insurers (region_id, insurer_id) SELECT \(regionId), unnest(\(Array(Set(insurerIds)))::uuid[]) ON CONFLICT DO NOTHING
            """)
    }

    // MARK: checks

    /// How many of the distinct `ids` are organisations of `kind`.
    public static func countOrganizations(_ ids: [UUID], kind: OrganizationKind, on conn: PostgresConnection) async throws -> Int {
        try await conn.query(
            """
            SELECT count(*) AS n FROM organizations WHERE id = ANY(\(Array(Set(ids)))::uuid[]) AND kind = \(kind.rawValue)
            """)[0].decode("n", as: Int.self)
    }

    /// How many of the distinct `ids` are regions.
    public static func countRegions(_ ids: [UUID], on conn: PostgresConnection) async throws -> Int {
        try await conn.query("SELECT count(*) AS n FROM regions WHERE id = ANY(\(Array(Set(ids)))::uuid[])")[0].decode("n", as: Int.self)
    }

    // MARK: organisations' regions

    /// Locks the organisation's row until the transaction ends: two changes of its regions at once run one after the
    /// other, so the second replaces the first's set instead of colliding with it. `NO KEY UPDATE`, not `UPDATE`: a
    /// change from the region's side inserts a pair whose foreign key takes `KEY SHARE` on this row, which `FOR UPDATE`
    /// blocks while this transaction waits for that one's pair row: a deadlock (40P01, seen in
    /// `concurrentChangesOfAnOrganisationsRegionsAllSucceedAndTheLastOneStands`).
    public static func lockOrganization(id: UUID, on conn: PostgresConnection) async throws {
        _ = try await conn.query("SELECT 1 FROM organizations WHERE id = \(id) FOR NO KEY UPDATE")
    }

    // The inserts below skip a pair that exists: a change of the same pair from the other side (the region's
    // preferent insurers, the insurer's preferent regions) may have committed it since this statement's delete.

    /// The regions the care provider serves become `regionIds`.
    public static func replaceServedRegions(providerId: UUID, with regionIds: [UUID], on conn: PostgresConnection) async throws {
        _ = try await conn.execute("DELETE FROM provider_regions WHERE provider_id = \(providerId)")
        _ = try await conn.execute(
            "INSERT INTO provider_regions (provider_id, region_id) SELECT \(providerId), unnest(\(Array(Set(regionIds)))::uuid[]) ON CONFLICT DO NOTHING"
        )
    }

    /// The regions where the insurer is preferent become `regionIds`.
    public static func replacePreferentRegions(insurerId: UUID, with regionIds: [UUID], on conn: PostgresConnection) async throws {
        _ = try await conn.execute("DELETE FROM region_preferent_insurers WHERE insurer_id = \(insurerId)")
        _ = try await conn.execute(
            """
            INSERT INTO region_preferent_insurers (region_id, insurer_id) SELECT unnest(\(Array(Set(regionIds)))::uuid[]), \(insurerId) ON CONFLICT DO NOTHING
            """)
    }

    // MARK: waitlists

    public static func waitlist(id: UUID, lock: RowLock = .none, on conn: PostgresConnection) async throws -> WaitlistRecord? {
        try await conn.query(
            """
            SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.id = \(id) \(unsafeRaw: lock.sql)
            """
        ).first.map(WaitlistStore.waitlist)
    }

    /// Every waitlist of the region.
    public static func waitlists(inRegion regionId: UUID, on conn: PostgresConnection) async throws -> [WaitlistRecord] {
        try await conn.query(
            """
            SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w WHERE w.region_id = \(regionId)
            """
        ).map(WaitlistStore.waitlist)
    }

    public static func insertWaitlist(
        id: UUID, regionId: UUID, name: String, status: WaitlistStatus, dueDates: DueDateRange,
        on conn: PostgresConnection
    ) async throws -> WaitlistRecord {
        let rows = try await conn.query(
            """
            INSERT INTO waitlists AS w (id, region_id, name, status, due_from, due_to)
            VALUES (\(id), \(regionId), \(name), \(status.rawValue), \(dueDates.dueFrom), \(dueDates.dueTo))
            RETURNING \(unsafeRaw: WaitlistStore.waitlistColumns)
            """)
        return try WaitlistStore.waitlist(rows[0])
    }

    public static func updateWaitlistFields(
        id: UUID, name: String, status: WaitlistStatus, dueDates: DueDateRange,
        on conn: PostgresConnection
    ) async throws -> WaitlistRecord {
        let rows = try await conn.query(
            """
            UPDATE waitlists w SET name = \(name), status = \(status.rawValue), due_from = \(dueDates.dueFrom),
                   due_to = \(dueDates.dueTo), updated_at = now()
            WHERE w.id = \(id) RETURNING \(unsafeRaw: WaitlistStore.waitlistColumns)
            """)
        return try WaitlistStore.waitlist(rows[0])
    }
}
