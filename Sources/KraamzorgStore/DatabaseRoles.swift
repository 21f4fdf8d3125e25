import PostgresClient

/// Two database roles: the **owner** owns the tables and runs the migrations (`DATABASE_OWNER_URL`);
/// the **request role** serves requests and runs the jobs (`DATABASE_URL`) with only the grants it needs.
/// The request role owns nothing, so it cannot `ALTER TABLE … DISABLE TRIGGER`, and on `audit_events` it
/// may only `INSERT` and `SELECT`: the service itself cannot change or erase its audit log.
///
/// The grants are made by the migrator after migrating (inside the migrations' advisory lock), on every
/// start, so that they match the tables of this build exactly: all privileges the request role had on the
/// tables are revoked and the needed ones granted again, in one transaction.
///
/// With one role only (no `DATABASE_OWNER_URL`) the service migrates on `DATABASE_URL` as before, owns its
/// tables, and only the append-only trigger of migration 0001 guards the audit log.
public enum DatabaseRoles {
    /// Tables the request role may only read and append to.
    public static let appendOnlyTables = ["audit_events", "client_releases"]
    /// Tables the request role may only read: the migrations' record and the form key made by migration 0005.
    public static let readOnlyTables = ["schema_migrations", "page_secret"]

    /// What `migrate` did.
    public struct Outcome: Sendable {
        /// The migrations applied now (empty when the database was up to date).
        public let applied: [Int]
        /// The role the request privileges were granted to; nil with one role.
        public let requestRole: String?
    }

    /// Migrates as the owner and grants the request role what requests need.
    ///
    /// - `ownerURL` nil (one role): migrates on `requestPool`, grants nothing.
    /// - `requestRole` nil: the role `requestPool` logs in as (`current_user`). Name another role when the
    ///   login role of `DATABASE_URL` takes its privileges from a group role.
    /// When the request role turns out to be the owner itself, it migrates and grants nothing.
    public static func migrate(
        requestPool: PostgresPool, ownerURL: String?, requestRole: String? = nil, migrator: Migrator = .bundled()
    ) async throws -> Outcome {
        guard let ownerURL else {
            return Outcome(applied: try await migrator.migrate(requestPool), requestRole: nil)
        }
        var configuration = try PostgresConfiguration(url: ownerURL)
        configuration.poolSize = 1
        configuration.applicationName = requestPool.configuration.applicationName + "-migrations"
        let owner = PostgresPool(configuration: configuration)
        do {
            let role: String
            if let requestRole { role = requestRole } else { role = try await currentUser(requestPool) }
            let grantee = role == (try await currentUser(owner)) ? nil : role
            let applied = try await migrator.migrate(owner, grantingRequestPrivilegesTo: grantee)
            await owner.close()
            return Outcome(applied: applied, requestRole: grantee)
        } catch {
            await owner.close()
            throw error
        }
    }

    /// Why the role of `pool` could change or erase audit events (it is a superuser, owns `audit_events` or
    /// is a member of its owner, or holds UPDATE, DELETE or TRUNCATE on it), or nil when it cannot.
    public static func auditLogWeakness(_ pool: PostgresPool) async throws -> String? {
        let row = try await pool.query(
            """
            SELECT current_user::text AS role,
                   r.rolsuper AS superuser,
                   pg_has_role(current_user, c.relowner, 'USAGE') AS owner,
                   has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
                       OR has_table_privilege(c.oid, 'TRUNCATE') AS writes
            FROM pg_roles r, pg_class c
            WHERE r.rolname = current_user AND c.oid = 'audit_events'::regclass
            """)[0]
        let role = try row.decode("role", as: String.self)
        if try row.decode("superuser", as: Bool.self) { return "role \(role) is a superuser" }
        if try row.decode("owner", as: Bool.self) { return "role \(role) owns audit_events (or is a member of its owner)" }
        if try row.decode("writes", as: Bool.self) { return "role \(role) holds UPDATE, DELETE or TRUNCATE on audit_events" }
        return nil
    }

    /// The statements that give `role` the request privileges; run by the owner in one transaction.
    /// GRANT takes identifiers, which PostgreSQL cannot bind as parameters: the role name is quoted as an
    /// identifier (`quoteIdentifier`), and the table names are this file's constants, never input.
    /// `existing`: the tables there are (a database migrated to an earlier version lacks later ones); nil: all.
    static func grantStatements(to role: String, existing: Set<String>? = nil) -> [String] {
        let r = quoteIdentifier(role)
        let readOnly = readOnlyTables.filter { existing?.contains($0) ?? true }
        let appendOnly = appendOnlyTables.filter { existing?.contains($0) ?? true }
        return [
            "GRANT USAGE ON SCHEMA public TO \(r)",
            // Exactly what this build needs, whatever was granted before.
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM \(r)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(r)",
        ] + (readOnly.isEmpty ? [] : ["REVOKE INSERT, UPDATE, DELETE ON \(readOnly.joined(separator: ", ")) FROM \(r)"])
            + (appendOnly.isEmpty ? [] : ["REVOKE UPDATE, DELETE ON \(appendOnly.joined(separator: ", ")) FROM \(r)"]) + [
                "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM \(r)",
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(r)",
                // Tables and sequences the owner makes later (by hand, or before the next start re-grants).
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(r)",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO \(r)",
                // The audit log's monthly partitions (migration 0016): reached through audit_events only, never directly.
                Self.lockAuditPartitions,
            ]
    }

    /// Takes every privilege on the audit log's partitions from the roles other than their owner (a no-op before
    /// migration 0016).
    static let lockAuditPartitions = """
        DO $$ BEGIN
            IF to_regprocedure('audit_events_lock_partitions()') IS NOT NULL THEN PERFORM audit_events_lock_partitions(); END IF;
        END $$
        """

    /// Makes this month's audit partition and the next three if missing (a no-op before migration 0016).
    static let createAuditPartitions = """
        DO $$ BEGIN
            IF to_regprocedure('audit_events_create_partitions(integer)') IS NOT NULL THEN
                PERFORM audit_events_create_partitions(3);
            END IF;
        END $$
        """

    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    static func currentUser(_ pool: PostgresPool) async throws -> String {
        try await pool.query("SELECT current_user::text AS role")[0].decode("role", as: String.self)
    }
}
