import Foundation
import KraamzorgStore
import KraamzorgTestFixtures
import PostgresClient
import Testing
import TestSupport

/// The audit log partitioned by month (migration 0016): events land in their month's partition, months are made
/// ahead, an event of a month without one lands in the default partition, and the partitions are as append-only for
/// the request role as `audit_events` itself (`AuditAppendOnlyTests`): it may only read a partition directly.
@Suite struct AuditPartitionTests {
    static let database = Task<(request: PostgresPool, owner: PostgresPool), any Error> {
        guard let ownerURL = ProcessInfo.processInfo.environment["DATABASE_OWNER_URL"], !ownerURL.isEmpty else {
            throw FixtureError("DATABASE_OWNER_URL is not set: run under scripts/with-test-postgres.sh, which makes two roles")
        }
        let url = try await TestDatabases.createURL(prefix: "auditparts")
        let request = try await TestDatabases.migrated(url: url, poolSize: 2)
        var owner = try PostgresConfiguration(url: databaseURL(ownerURL, database: databaseName(of: url)))
        owner.poolSize = 1
        return (request, PostgresPool(configuration: owner))
    }

    /// An event written by the request role at `at` (the service's inserts take the time of the insert; the
    /// column is the partition key either way).
    func append(_ pool: PostgresPool, at: String) async throws -> UUID {
        let objectId = UUID()
        try await pool.execute(
            """
            INSERT INTO audit_events (at, action, object_type, object_id, client_id, details)
            VALUES (\(at)::timestamptz, 'read', 'client', \(objectId), \(objectId), '{}')
            """)
        return objectId
    }

    func partition(_ pool: PostgresPool, of objectId: UUID) async throws -> String {
        try await pool.query("SELECT tableoid::regclass::text AS p FROM audit_events WHERE object_id = \(objectId)")[0].decode("p")
    }

    func refusal(_ pool: PostgresPool, _ statement: String) async throws -> PostgresError? {
        do {
            try await pool.withConnection { conn in try await conn.simpleQuery(unsafeSQL: statement) }
            return nil
        } catch let error as PostgresError {
            return error
        }
    }

    @Test func eventsLandInTheirUTCMonthsPartitionAndAMonthWithoutOneInTheDefault() async throws {
        let (request, _) = try await Self.database.value
        // This month's partition and the next three exist from the migration and every start.
        let now = try await append(request, at: "now")
        let month = try await request.query("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM') AS m")[0].decode("m", as: String.self)
        #expect(try await partition(request, of: now) == "audit_events_\(month)")
        let ahead = try await request.query(
            """
            SELECT to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months 14 days', 'YYYY-MM-DD"T12:00:00Z"') AS at,
                   to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', 'YYYY_MM') AS m
            """)[0]
        let inThreeMonths = try await append(request, at: try ahead.decode("at", as: String.self))
        #expect(try await partition(request, of: inThreeMonths) == "audit_events_\(try ahead.decode("m", as: String.self))")

        // A month long ago: the default partition takes it, the insert never fails.
        let old = try await append(request, at: "2001-02-03T04:05:06Z")
        #expect(try await partition(request, of: old) == "audit_events_default")
        // Made ahead by the function the daily job calls (as the owner, whoever calls it): the next event lands there.
        let made = try await request.query("SELECT audit_events_create_partition('2001-03-01') AS made")[0].decode("made", as: Bool.self)
        #expect(made)
        #expect(try await partition(request, of: try await append(request, at: "2001-03-31T23:59:59Z")) == "audit_events_2001_03")
        // UTC months: 1 April 00:30 in Amsterdam is still March in UTC.
        #expect(try await partition(request, of: try await append(request, at: "2001-04-01T00:30:00+02:00")) == "audit_events_2001_03")
        // A month whose events already sit in the default partition keeps them there: no partition is made for it.
        #expect(
            try await request.query("SELECT audit_events_create_partition('2001-02-01') AS made")[0].decode("made", as: Bool.self) == false)
        #expect(try await partition(request, of: old) == "audit_events_default")

        // The made partition belongs to the owner, and other roles may only read it.
        let owner = try await request.query(
            """
            SELECT pg_has_role(current_user, c.relowner, 'USAGE') AS mine, c.relacl IS NULL OR NOT EXISTS (
                       SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner AND a.privilege_type <> 'SELECT') AS locked
            FROM pg_class c WHERE c.oid = 'audit_events_2001_03'::regclass
            """)[0]
        #expect(try owner.decode("mine", as: Bool.self) == false)
        #expect(try owner.decode("locked", as: Bool.self))
    }

    @Test func theRequestRoleCannotChangeDeleteOrTruncateAPartitionDirectly() async throws {
        let (request, _) = try await Self.database.value
        let id = try await append(request, at: "now")
        let month = try await partition(request, of: id)
        for partition in [month, "audit_events_default"] {
            for statement in [
                "DELETE FROM \(partition) WHERE object_id = '\(id)'", "UPDATE \(partition) SET outcome = 'forged'",
                "TRUNCATE \(partition)",
                "INSERT INTO \(partition) (action, object_type) VALUES ('read', 'x')",
            ] {
                let error = try await refusal(request, statement)
                #expect(error?.sqlState == SQLState("42501"), "\(statement): \(String(describing: error))")
                #expect(
                    error?.message.contains("permission denied for table \(partition)") == true,
                    "\(statement): \(String(describing: error))")
            }
            // Reading is allowed (pg_dump as the request role reads each partition).
            #expect(try await refusal(request, "SELECT count(*) FROM \(partition)") == nil)
            let disable = try await refusal(request, "ALTER TABLE \(partition) DISABLE TRIGGER ALL")
            #expect(disable?.message.contains("must be owner of table \(partition)") == true, "\(String(describing: disable))")
        }
        // Through the parent, as before: refused too.
        #expect(try await refusal(request, "DELETE FROM audit_events WHERE object_id = '\(id)'")?.sqlState == SQLState("42501"))
        #expect(
            try await request.query("SELECT count(*)::bigint AS n FROM audit_events WHERE object_id = \(id)")[0].decode("n", as: Int.self)
                == 1)
    }

    @Test func evenTheOwnerMeetsTheAppendOnlyTriggersOnEveryPartition() async throws {
        let (request, owner) = try await Self.database.value
        let id = try await append(request, at: "now")
        let month = try await partition(request, of: id)
        for statement in [
            "DELETE FROM \(month) WHERE object_id = '\(id)'", "UPDATE \(month) SET outcome = 'forged' WHERE object_id = '\(id)'",
            "TRUNCATE \(month)", "TRUNCATE audit_events_default", "TRUNCATE audit_events",
        ] {
            let error = try await refusal(owner, statement)
            #expect(
                error?.message.contains("audit events cannot be changed or deleted") == true, "\(statement): \(String(describing: error))")
        }
        #expect(
            try await request.query("SELECT count(*)::bigint AS n FROM audit_events WHERE object_id = \(id)")[0].decode("n", as: Int.self)
                == 1)
    }

    @Test func theMigrationMovesExistingEventsIntoTheirMonths() async throws {
        // A database at the migrations before 0016, with events of three months, then migrated to this build.
        let url = try await TestDatabases.createURL(prefix: "auditmove")
        var configuration = try PostgresConfiguration(url: try #require(testOwnerURL(forDatabaseOf: url)))
        configuration.poolSize = 1
        let owner = PostgresPool(configuration: configuration)
        defer { Task { await owner.close() } }
        let before = Migrator(migrations: Migrator.bundled().migrations.filter { $0.version < 16 })
        try await before.migrate(owner)
        let ids = try await owner.query(
            """
            INSERT INTO audit_events (at, action, object_type, object_id, client_id)
            SELECT t, 'read', 'client', gen_random_uuid(), gen_random_uuid()
            FROM unnest(ARRAY['2019-11-30T23:59:59Z', '2019-12-01T00:00:00Z', '2020-01-15T10:00:00Z']::timestamptz[]) AS t
            RETURNING object_id, to_char(at AT TIME ZONE 'UTC', 'YYYY_MM') AS m
            """
        ).map { (try $0.decode("object_id", as: UUID.self), try $0.decode("m", as: String.self)) }
        try await Migrator.bundled().migrate(owner)
        for (id, month) in ids {
            let rows = try await owner.query(
                "SELECT tableoid::regclass::text AS p, action FROM audit_events WHERE object_id = \(id)")
            #expect(rows.count == 1)
            #expect(try rows.first?.decode("p", as: String.self) == "audit_events_\(month)")
        }
        #expect(try await owner.query("SELECT count(*)::bigint AS n FROM audit_events")[0].decode("n", as: Int.self) == 3)
        #expect(try await owner.query("SELECT to_regclass('audit_events_unpartitioned') IS NULL AS gone")[0].decode("gone", as: Bool.self))
    }

    @Test func theKeyHoldsThePartitionKeyAndTheOldIndexesAreThere() async throws {
        let (request, _) = try await Self.database.value
        let rows = try await request.query(
            """
            SELECT (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'audit_events'::regclass AND contype = 'p') AS pk,
                   (SELECT array_agg(indexname::text ORDER BY indexname) FROM pg_indexes WHERE tablename = 'audit_events') AS indexes,
                   (SELECT relkind::text FROM pg_class WHERE oid = 'audit_events'::regclass) AS kind
            """)[0]
        #expect(try rows.decode("pk", as: String.self) == "PRIMARY KEY (id, at)")
        #expect(try rows.decode("kind", as: String.self) == "p")
        let indexes: [String] = try rows.decode("indexes")
        #expect(Set(["audit_events_client", "audit_events_user", "audit_events_object", "audit_events_pkey"]).isSubset(of: Set(indexes)))
    }
}
