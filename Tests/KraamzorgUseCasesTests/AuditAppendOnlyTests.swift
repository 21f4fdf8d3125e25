import Foundation
import KraamzorgStore
import KraamzorgTestFixtures
import PostgresClient
import Testing
import TestSupport

/// An audit log the service itself cannot erase: requests run as a role of their own (`DATABASE_URL`) that
/// may only append to and read `audit_events`, owns no table, and so cannot switch the append-only trigger
/// off either. The owner (`DATABASE_OWNER_URL`) migrated this database and made the grants (`DatabaseRoles`).
/// Every refusal must be PostgreSQL's "permission denied", not the trigger's exception (which also says
/// 42501): the privileges, not the trigger, are what stop the request role here.
@Suite struct AuditAppendOnlyTests {
    /// A database of this suite's own: the request role's pool, and the owner's.
    static let database = Task<(request: PostgresPool, owner: PostgresPool), any Error> {
        guard let ownerURL = ProcessInfo.processInfo.environment["DATABASE_OWNER_URL"], !ownerURL.isEmpty else {
            throw FixtureError("DATABASE_OWNER_URL is not set: run under scripts/with-test-postgres.sh, which makes two roles")
        }
        let url = try await TestDatabases.createURL(prefix: "audit")
        let request = try await TestDatabases.migrated(url: url, poolSize: 2)
        var owner = try PostgresConfiguration(url: databaseURL(ownerURL, database: databaseName(of: url)))
        owner.poolSize = 1
        return (request, PostgresPool(configuration: owner))
    }

    /// One event written by the request role, as the service writes them; returns its id.
    func appendEvent(_ pool: PostgresPool) async throws -> UUID {
        let objectId = UUID()
        try await pool.withConnection { conn in
            try await AuditLog.record(
                .read, objectType: "client", objectId: objectId, clientId: objectId,
                details: ["why": "append-only test"], by: .system, on: conn)
        }
        return try await pool.query("SELECT id FROM audit_events WHERE object_id = \(objectId)")[0].decode("id", as: UUID.self)
    }

    /// Runs `statement` as the request role and returns PostgreSQL's refusal (nil when it was not refused).
    func refusal(_ pool: PostgresPool, _ statement: String) async throws -> PostgresError? {
        do {
            try await pool.withConnection { conn in try await conn.simpleQuery(unsafeSQL: statement) }
            return nil
        } catch let error as PostgresError {
            return error
        }
    }

    func expectPermissionDenied(_ error: PostgresError?, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.sqlState == SQLState("42501"), "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(
            error?.message.contains("audit events cannot be changed") == false, "the trigger, not the privileges, refused it",
            sourceLocation: sourceLocation)
    }

    func summary(_ pool: PostgresPool, _ id: UUID) async throws -> String? {
        try await pool.query("SELECT action || ' ' || outcome || ' ' || object_type AS s FROM audit_events WHERE id = \(id)")
            .first.map { try $0.decode("s", as: String.self) }
    }

    @Test func theRequestRoleAppendsAuditEventsAndReadsThemBack() async throws {
        let (request, _) = try await Self.database.value
        let id = try await appendEvent(request)
        #expect(try await summary(request, id) == "read success client")
        #expect(try await request.query("SELECT count(*)::bigint AS n FROM audit_events")[0].decode("n", as: Int.self) >= 1)
    }

    @Test func theRequestRoleCannotUpdateAnAuditEvent() async throws {
        let (request, _) = try await Self.database.value
        let id = try await appendEvent(request)
        expectPermissionDenied(
            try await refusal(request, "UPDATE audit_events SET outcome = 'forged' WHERE id = '\(id)'"),
            "permission denied for table audit_events")
        #expect(try await summary(request, id) == "read success client")
    }

    @Test func theRequestRoleCannotDeleteAnAuditEvent() async throws {
        let (request, _) = try await Self.database.value
        let id = try await appendEvent(request)
        expectPermissionDenied(
            try await refusal(request, "DELETE FROM audit_events WHERE id = '\(id)'"), "permission denied for table audit_events")
        #expect(try await summary(request, id) == "read success client")
    }

    @Test func theRequestRoleCannotTruncateTheAuditLog() async throws {
        let (request, _) = try await Self.database.value
        let id = try await appendEvent(request)
        expectPermissionDenied(try await refusal(request, "TRUNCATE audit_events"), "permission denied for table audit_events")
        #expect(try await summary(request, id) == "read success client")
    }

    @Test func theRequestRoleCannotDisableTheAuditLogsTriggersForItOwnsNoTable() async throws {
        let (request, _) = try await Self.database.value
        let id = try await appendEvent(request)
        expectPermissionDenied(
            try await refusal(request, "ALTER TABLE audit_events DISABLE TRIGGER ALL"), "must be owner of table audit_events")
        expectPermissionDenied(
            try await refusal(request, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"),
            "must be owner of table audit_events")
        let owned = try await request.query(
            """
            SELECT count(*)::bigint AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
            WHERE s.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')
            """)[0].decode("n", as: Int.self)
        #expect(owned == 0)
        #expect(try await summary(request, id) == "read success client")
    }

    @Test func theRequestRoleCannotSkipTheTriggersWithSessionReplicationRoleAndThenDelete() async throws {
        let (request, _) = try await Self.database.value
        let id = try await appendEvent(request)
        let (set, delete) = try await request.withConnection { conn -> (PostgresError?, PostgresError?) in
            var set: PostgresError?, delete: PostgresError?
            do { try await conn.simpleQuery(unsafeSQL: "SET session_replication_role = replica") } catch let e as PostgresError { set = e }
            do { try await conn.simpleQuery(unsafeSQL: "DELETE FROM audit_events WHERE id = '\(id)'") } catch let e as PostgresError {
                delete = e
            }
            return (set, delete)  // nothing to reset: the SET was refused (and so would a RESET be)
        }
        expectPermissionDenied(set, "permission denied to set parameter \"session_replication_role\"")
        expectPermissionDenied(delete, "permission denied for table audit_events")
        #expect(try await summary(request, id) == "read success client")
    }

    @Test func theStartUpCheckFindsNoWeaknessInTheRequestRoleButFindsTheOwnersOwnership() async throws {
        let (request, owner) = try await Self.database.value
        #expect(try await DatabaseRoles.auditLogWeakness(request) == nil)
        let weakness = try #require(try await DatabaseRoles.auditLogWeakness(owner))
        #expect(weakness.contains("owns audit_events") || weakness.contains("superuser"))
    }

    @Test func theRequestRoleStillWritesTheOrdinaryTablesAndTheRegisterSequence() async throws {
        let (request, _) = try await Self.database.value
        let privileges = try await request.query(
            """
            SELECT has_table_privilege('clients', 'SELECT,INSERT,UPDATE,DELETE') AS clients,
                   has_table_privilege('schema_migrations', 'INSERT') OR has_table_privilege('schema_migrations', 'UPDATE')
                       OR has_table_privilege('schema_migrations', 'DELETE') AS migrations,
                   has_table_privilege('audit_events', 'REFERENCES') OR has_table_privilege('audit_events', 'TRIGGER') AS extras,
                   has_sequence_privilege('registration_number_seq', 'USAGE') AS sequence
            """)[0]
        #expect(try privileges.decode("clients", as: Bool.self))
        #expect(try !privileges.decode("migrations", as: Bool.self))
        #expect(try !privileges.decode("extras", as: Bool.self))
        #expect(try privileges.decode("sequence", as: Bool.self))
    }
}
