import Hashing
import PostgresClient
import DatesAndIDs

/// One numbered migration from `Migrations/` (`0001_identity.swift`).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public var checksum: String { Hex.encode(SHA256.hash(Array(sql.utf8))) }
}

public enum MigrationError: Error, CustomStringConvertible {
    case changedAfterApplying(version: Int, name: String)

    public var description: String {
        switch self {
        case .changedAfterApplying(let v, let name):
            return "migration \(v) (\(name)) was changed after it was applied; add a new migration instead"
        }
    }
}

/// Applies the numbered migrations in order, each in its own transaction, and records them in
/// `schema_migrations`. A session advisory lock makes instances that start together take turns.
public struct Migrator: Sendable {
    /// Arbitrary constant shared by every instance: "kraamzorg" as a number.
    static let lockKey: Int64 = 0x6B7261616D7A6F72

    public let migrations: [Migration]

    public init(migrations: [Migration]) { self.migrations = migrations.sorted { $0.version < $1.version } }

    /// The migrations shipped with this build, in order (one Swift file each in `Migrations/`).
    public static func bundled() -> Migrator {
        Migrator(migrations: [
            .v0001_identity, .v0002_register, .v0003_waitlists, .v0004_delivery, .v0005_page_secret, .v0006_reminders,
            .v0007_event_log_references,
            .v0008_outbox_links, .v0009_webhook_secrets,
            .v0010_course_accreditation,
            .v0011_refusal,
            .v0012_organization_contact,
            .v0013_hand_backs,
            .v0014_idempotency_keys,
            .v0015_webhooks_complete,
            .v0016_audit_partitions,
            .v0017_auth_notify,
            .v0018_client_list_indexes,
            .v0019_notification_kinds,
            .v0024_event_trace,
            .v0025_client_counts_and_bookings,
        ])
    }

    /// Returns the versions it applied now (empty when the database was up to date).
    ///
    /// `requestRole`: when given, that role then gets the request privileges (`DatabaseRoles`), in the same
    /// advisory lock (concurrent GRANTs on one table can fail with "tuple concurrently updated").
    @discardableResult
    public func migrate(_ pool: PostgresPool, grantingRequestPrivilegesTo requestRole: String? = nil) async throws -> [Int] {
        let migrations = self.migrations
        return try await pool.withConnection { conn in
            _ = try await conn.query("SELECT pg_advisory_lock(\(Migrator.lockKey))")
            do {
                let applied = try await Migrator.applyPending(migrations, on: conn)
                // The audit log's coming months (migration 0016), on every start; the daily job does it too.
                try await conn.simpleQuery(unsafeSQL: DatabaseRoles.createAuditPartitions)
                if let requestRole { try await Migrator.grant(to: requestRole, on: conn) }
                _ = try await conn.query("SELECT pg_advisory_unlock(\(Migrator.lockKey))")
                return applied
            } catch {
                _ = try? await conn.query("SELECT pg_advisory_unlock(\(Migrator.lockKey))")
                throw error
            }
        }
    }

    private static func grant(to role: String, on conn: PostgresConnection) async throws {
        try await conn.simpleQuery(unsafeSQL: "BEGIN")
        do {
            let existing = Set(
                try await conn.query("SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public'").map {
                    try $0.decode("name", as: String.self)
                })
            for statement in DatabaseRoles.grantStatements(to: role, existing: existing) {
                try await conn.simpleQuery(unsafeSQL: statement)
            }
            try await conn.simpleQuery(unsafeSQL: "COMMIT")
        } catch {
            try? await conn.simpleQuery(unsafeSQL: "ROLLBACK")
            throw error
        }
    }

    private static func applyPending(_ migrations: [Migration], on conn: PostgresConnection) async throws -> [Int] {
        try await conn.simpleQuery(
            unsafeSQL: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        var done: [Int: String] = [:]
        for row in try await conn.query("SELECT version, checksum FROM schema_migrations") {
            done[try row.decode("version", as: Int.self)] = try row.decode("checksum", as: String.self)
        }
        var applied: [Int] = []
        for m in migrations {
            if let checksum = done[m.version] {
                guard checksum == m.checksum else { throw MigrationError.changedAfterApplying(version: m.version, name: m.name) }
                continue
            }
            try await conn.simpleQuery(unsafeSQL: "BEGIN")
            do {
                try await conn.simpleQuery(unsafeSQL: m.sql)
                _ = try await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(m.version), \(m.name), \(m.checksum))")
                try await conn.simpleQuery(unsafeSQL: "COMMIT")
            } catch {
                try? await conn.simpleQuery(unsafeSQL: "ROLLBACK")
                throw error
            }
            applied.append(m.version)
        }
        return applied
    }
}
