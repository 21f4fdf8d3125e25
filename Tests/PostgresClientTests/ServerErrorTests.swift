import PostgresClient
import Testing

@Suite(needsDatabase) struct ServerErrorTests {
    @Test func uniqueViolationNamesTheConstraint() async throws {
        try await makePool().using { pool in
            let table = uniqueName("users")
            try await pool.execute(
                """
                CREATE TABLE \(unsafeRaw: table) (id int PRIMARY KEY,
                    email text NOT NULL CONSTRAINT \(unsafeRaw: table)_email_key UNIQUE)
                """)
            try await pool.execute("INSERT INTO \(unsafeRaw: table) VALUES (1, \("secret@example.nl"))")
            let error = await #expect(throws: PostgresError.self) {
                try await pool.execute("INSERT INTO \(unsafeRaw: table) VALUES (2, \("secret@example.nl"))")
            }
            #expect(error?.kind == .server)
            #expect(error?.sqlState == .uniqueViolation)
            #expect(error?.constraint == "\(table)_email_key")
            #expect(error?.table == table)
            // The description is for logs: no values, no SQL.
            let description = try #require(error?.description)
            #expect(!description.contains("secret"))
            #expect(!description.contains("INSERT"))
            #expect(description.contains("23505"))
            #expect(description.contains("ServerErrorTests.swift"))
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func foreignKeyCheckAndNotNullViolations() async throws {
        try await makePool().using { pool in
            let parent = uniqueName("parent")
            let child = uniqueName("child")
            try await pool.withConnection { connection in
                try await connection.simpleQuery(
                    unsafeSQL: """
                        CREATE TABLE \(parent) (id int PRIMARY KEY);
                        CREATE TABLE \(child) (
                            id int PRIMARY KEY,
                            parent_id int CONSTRAINT \(child)_parent_fk REFERENCES \(parent) (id),
                            weeks int NOT NULL CONSTRAINT \(child)_weeks_check CHECK (weeks BETWEEN 0 AND 52));
                        """)
            }
            let foreignKey = await #expect(throws: PostgresError.self) {
                try await pool.execute("INSERT INTO \(unsafeRaw: child) VALUES (1, \(99), 1)")
            }
            #expect(foreignKey?.sqlState == .foreignKeyViolation)
            #expect(foreignKey?.constraint == "\(child)_parent_fk")
            let check = await #expect(throws: PostgresError.self) {
                try await pool.execute("INSERT INTO \(unsafeRaw: child) VALUES (1, NULL, \(60))")
            }
            #expect(check?.sqlState == .checkViolation)
            #expect(check?.constraint == "\(child)_weeks_check")
            let notNull = await #expect(throws: PostgresError.self) {
                try await pool.execute("INSERT INTO \(unsafeRaw: child) VALUES (1, NULL, \(Int?.none))")
            }
            #expect(notNull?.sqlState == .notNullViolation)
            #expect(notNull?.column == "weeks")
            try await pool.withConnection { connection in
                try await connection.simpleQuery(unsafeSQL: "DROP TABLE \(child); DROP TABLE \(parent)")
            }
        }
    }

    @Test func exclusionViolationNamesTheConstraint() async throws {
        try await makePool().using { pool in
            let table = uniqueName("bookings")
            try await pool.execute(
                """
                CREATE TABLE \(unsafeRaw: table) (id int PRIMARY KEY, period tstzrange NOT NULL,
                    CONSTRAINT \(unsafeRaw: table)_no_overlap EXCLUDE USING gist (period WITH &&))
                """)
            try await pool.execute(
                "INSERT INTO \(unsafeRaw: table) VALUES (1, tstzrange(\("2025-01-01T00:00:00Z"), \("2025-01-08T00:00:00Z")))")
            let error = await #expect(throws: PostgresError.self) {
                try await pool.execute(
                    "INSERT INTO \(unsafeRaw: table) VALUES (2, tstzrange(\("2025-01-05T00:00:00Z"), \("2025-01-09T00:00:00Z")))")
            }
            #expect(error?.sqlState == .exclusionViolation)
            #expect(error?.constraint == "\(table)_no_overlap")
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func invalidInputDoesNotLeakTheValueIntoTheDescription() async throws {
        try await makePool().using { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT \("not-a-number-secret")::int AS n")
            }
            #expect(error?.sqlState == .invalidTextRepresentation)
            #expect(error?.message.contains("not-a-number-secret") == true)
            #expect(error.map { !$0.description.contains("not-a-number-secret") } == true)
            #expect(error.map { !$0.description.contains("SELECT") } == true)
        }
    }

    @Test func raisedExceptionCarriesItsSQLState() async throws {
        try await makePool().using { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try await connection.simpleQuery(unsafeSQL: "DO $$ BEGIN RAISE EXCEPTION 'nope'; END $$")
                }
            }
            #expect(error?.sqlState == .raiseException)
            #expect(error?.message == "nope")
        }
    }

    @Test func syntaxErrorIsNotCachedAsPrepared() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            for _ in 0..<2 {
                let error = await #expect(throws: PostgresError.self) { try await pool.query("SELEC 1") }
                #expect(error?.sqlState == .syntaxError)
            }
            let rows = try await pool.query("SELECT 1 AS one")
            #expect(try rows[0].decode("one", as: Int.self) == 1)
        }
    }
}
