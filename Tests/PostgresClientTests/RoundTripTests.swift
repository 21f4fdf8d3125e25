import Foundation
import PostgresClient
import Testing

@Suite(needsDatabase) struct RoundTripTests {
    @Test func hostileAndUnicodeTextComesBackUnchanged() async throws {
        try await makePool().using { pool in
            let table = uniqueName("texts")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (id int PRIMARY KEY, body text)")
            let values = [
                "it's \"quoted\"", "'; DROP TABLE \(table); --", "$1 and $2", "back\\slash\\", "",
                "😀 👩‍👩‍👧 ĳsselmeer café naïve Ölands coördinatie", String(repeating: "groot ", count: 200_000),
            ]
            for (id, value) in values.enumerated() {
                try await pool.execute("INSERT INTO \(unsafeRaw: table) (id, body) VALUES (\(id), \(value))")
            }
            try await pool.execute("INSERT INTO \(unsafeRaw: table) (id, body) VALUES (\(values.count), \(String?.none))")
            let rows = try await pool.query("SELECT id, body, body IS NULL AS missing FROM \(unsafeRaw: table) ORDER BY id")
            #expect(rows.count == values.count + 1)
            #expect(rows.columns == ["id", "body", "missing"])
            for (id, value) in values.enumerated() {
                #expect(try rows[id].decode("body", as: String.self) == value)
                #expect(try rows[id].decode("missing", as: Bool.self) == false)
            }
            let last = try #require(rows.last)
            #expect(last.isNull("body"))
            #expect(try last.decode("body", as: String?.self) == nil)
            #expect(try last.decode("missing", as: Bool.self))
            #expect(try rows[4].decode("body", as: String?.self) == "")
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func everyByteValueRoundTripsThroughBytea() async throws {
        try await makePool().using { pool in
            let table = uniqueName("blobs")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (id int PRIMARY KEY, data bytea NOT NULL)")
            let bytes = (0...255).map(UInt8.init) + (0...255).reversed().map(UInt8.init)
            try await pool.execute("INSERT INTO \(unsafeRaw: table) VALUES (1, \(bytes)), (2, \([UInt8]()))")
            let rows = try await pool.query(
                "SELECT data, octet_length(data) AS n, get_byte(data || '\\x00'::bytea, 0) AS b0 FROM \(unsafeRaw: table) ORDER BY id")
            #expect(try rows[0].decode("data", as: [UInt8].self) == bytes)
            #expect(try rows[0].decode("n", as: Int.self) == 512)
            #expect(try rows[0].decode("b0", as: Int.self) == 0)
            #expect(try rows[1].decode("data", as: [UInt8].self) == [])
            // Server-side comparison: the bytes arrived as sent, not as text.
            let match = try await pool.query("SELECT count(*) AS n FROM \(unsafeRaw: table) WHERE data = \(bytes)")
            #expect(try match[0].decode("n", as: Int.self) == 1)
            let data = try await pool.query("SELECT \(Data(bytes)) AS d")
            #expect(try data[0].decode("d", as: Data.self) == Data(bytes))
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func scalarTypesRoundTrip() async throws {
        try await makePool().using { pool in
            let uuid = UUID()
            let rows = try await pool.query(
                """
                SELECT \(Int.max)::int8 AS big, \(Int.min)::int8 AS small, \(Int32.max)::int4 AS i32,
                       \(Int16.min)::int2 AS i16, \(Int64(-7))::int8 AS i64, \(true)::bool AS yes, \(false)::bool AS no,
                       \(0.1)::float8 AS tenth, \(-1.5e300)::float8 AS huge, \(Double.infinity)::float8 AS inf,
                       \(uuid)::uuid AS id, \(Int?.none)::int AS nothing, \(Int?.some(5))::int AS five
                """)
            let row = rows[0]
            #expect(try row.decode("big", as: Int.self) == Int.max)
            #expect(try row.decode("small", as: Int.self) == Int.min)
            #expect(try row.decode("i32", as: Int32.self) == Int32.max)
            #expect(try row.decode("i16", as: Int16.self) == Int16.min)
            #expect(try row.decode("i64", as: Int64.self) == -7)
            #expect(try row.decode("yes", as: Bool.self) == true)
            #expect(try row.decode("no", as: Bool.self) == false)
            #expect(try row.decode("tenth", as: Double.self) == 0.1)
            #expect(try row.decode("huge", as: Double.self) == -1.5e300)
            #expect(try row.decode("inf", as: Double.self) == .infinity)
            #expect(try row.decode("id", as: UUID.self) == uuid)
            #expect(try row.decode("nothing", as: Int?.self) == nil)
            #expect(try row.decode("five", as: Int?.self) == 5)
            #expect(try row.decode(0, as: Int.self) == Int.max)
        }
    }

    @Test func datesRoundTripToTheMicrosecondInAnySessionTimeZone() async throws {
        try await makePool { $0.poolSize = 1 }.using { pool in
            let dates = [
                Date(timeIntervalSince1970: 1_718_000_000.123456), Date(timeIntervalSince1970: -86_400 * 365 + 0.000001),
                Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 4_102_444_800.999999),
            ]
            try await pool.withConnection { connection in
                for zone in ["UTC", "Europe/Amsterdam", "Asia/Kolkata", "America/St_Johns"] {
                    try await connection.simpleQuery(unsafeSQL: "SET TIME ZONE '\(zone)'")
                    for date in dates {
                        let rows = try await connection.query(
                            "SELECT \(date)::timestamptz AS t, extract(epoch FROM \(date)::timestamptz)::text AS e")
                        #expect(try rows[0].decode("t", as: Date.self) == date, "\(zone)")
                    }
                }
                try await connection.simpleQuery(unsafeSQL: "RESET TIME ZONE")
            }
            let known = try await pool.query("SELECT '2024-06-10 08:13:20.5+02'::timestamptz AS t, '2024-06-10'::date AS d")
            #expect(try known[0].decode("t", as: Date.self) == Date(timeIntervalSince1970: 1_718_000_000.5))
            #expect(try known[0].decode("d", as: Date.self) == Date(timeIntervalSince1970: 1_717_977_600))
        }
    }

    @Test func arraysRoundTripAndWorkWithAny() async throws {
        try await makePool().using { pool in
            let words = ["a", "b,c", "\"q\"", "back\\slash", "NULL", "", "{}", "😀 spatie"]
            let numbers = [3, -1, Int.max]
            let ids = [UUID(), UUID()]
            let rows = try await pool.query(
                """
                SELECT \(words)::text[] AS words, \(numbers)::int8[] AS numbers, \(ids)::uuid[] AS ids,
                       \([String]())::text[] AS empty, cardinality(\(words)::text[]) AS n,
                       2 = ANY(\([1, 2, 3])::int8[]) AS found, ARRAY['x', NULL] AS with_null
                """)
            let row = rows[0]
            #expect(try row.decode("words", as: [String].self) == words)
            #expect(try row.decode("numbers", as: [Int].self) == numbers)
            #expect(try row.decode("ids", as: [UUID].self) == ids)
            #expect(try row.decode("empty", as: [String].self) == [])
            #expect(try row.decode("n", as: Int.self) == words.count)
            #expect(try row.decode("found", as: Bool.self))
            #expect(throws: PostgresError.self) { try row.decode("with_null", as: [String].self) }

            let table = uniqueName("tagged")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (id uuid PRIMARY KEY)")
            for id in ids { try await pool.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(id))") }
            let found = try await pool.query("SELECT id FROM \(unsafeRaw: table) WHERE id = ANY(\(ids + [UUID()]))")
            #expect(Set(try found.map { try $0.decode("id", as: UUID.self) }) == Set(ids))
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }

    @Test func decodingErrorsNameTheColumnNotTheValue() async throws {
        try await makePool().using { pool in
            let rows = try await pool.query("SELECT 'secret-text' AS word, NULL::int AS nothing")
            let notANumber = #expect(throws: PostgresError.self) { try rows[0].decode("word", as: Int.self) }
            #expect(notANumber?.kind == .decoding)
            #expect(notANumber?.column == "word")
            #expect(notANumber.map { !$0.description.contains("secret") } == true)
            let null = #expect(throws: PostgresError.self) { try rows[0].decode("nothing", as: Int.self) }
            #expect(null?.kind == .decoding)
            #expect(null?.column == "nothing")
            let unknown = #expect(throws: PostgresError.self) { try rows[0].decode("missing", as: Int.self) }
            #expect(unknown?.kind == .decoding)
            #expect(unknown?.column == "missing")
        }
    }

    @Test func textWithNULIsRejectedNotTruncated() async throws {
        try await makePool().using { pool in
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT \("a\u{0}b")::text") }
            #expect(error?.sqlState == .characterNotInRepertoire)
            // The connection is still fine.
            let rows = try await pool.query("SELECT 1 AS one")
            #expect(try rows[0].decode("one", as: Int.self) == 1)
        }
    }

    @Test func affectedRowsAreCounted() async throws {
        try await makePool().using { pool in
            let table = uniqueName("counted")
            try await pool.execute("CREATE TABLE \(unsafeRaw: table) (n int)")
            #expect(try await pool.execute("INSERT INTO \(unsafeRaw: table) SELECT generate_series(1, 5)") == 5)
            #expect(try await pool.execute("UPDATE \(unsafeRaw: table) SET n = n + 1 WHERE n > \(2)") == 3)
            #expect(try await pool.query("SELECT n FROM \(unsafeRaw: table)").affectedRows == 5)
            #expect(try await pool.execute("DELETE FROM \(unsafeRaw: table)") == 5)
            try await pool.execute("DROP TABLE \(unsafeRaw: table)")
        }
    }
}
