import Foundation
@testable import PostgresClient
import Testing
import DatesAndIDs

@Suite struct QueryBuildingTests {
    @Test func interpolatedValuesBecomeNumberedParameters() {
        let id = 42
        let name: String? = nil
        let email = "a@b.nl"
        let query: PostgresQuery = "SELECT * FROM \(unsafeRaw: "users") WHERE id = \(id) AND name = \(name) OR email = \(email)"
        #expect(query.sql == "SELECT * FROM users WHERE id = $1 AND name = $2 OR email = $3")
        #expect(query.binds == [.text("42"), .null, .text("a@b.nl")])
    }

    @Test func fragmentsKeepTheirParametersRenumbered() {
        let regions = ["r1", "r2"]
        let a: PostgresQuery = "c.region_id = ANY(\(regions)) AND c.status <> \("invited")"
        let b: PostgresQuery = "c.due_date >= \(7) AND c.x = $$dollar$$"
        let empty: PostgresQuery = "true"
        let query: PostgresQuery = "SELECT 1 WHERE c.id = \(5) AND \(a) AND \(empty) AND \(b) LIMIT \(10)"
        #expect(
            query.sql
                == "SELECT 1 WHERE c.id = $1 AND c.region_id = ANY($2) AND c.status <> $3 AND true AND c.due_date >= $4 AND c.x = $$dollar$$ LIMIT $5"
        )
        #expect(query.binds == [.text("5"), .text(#"{"r1","r2"}"#), .text("invited"), .text("7"), .text("10")])
        let first: PostgresQuery = "\(a) OR c.id = \(9)"
        #expect(first.sql == "c.region_id = ANY($1) AND c.status <> $2 OR c.id = $3")
        let ten: PostgresQuery = "\(1)+\(2)+\(3)+\(4)+\(5)+\(6)+\(7)+\(8)+\(9)+\(10)"
        let nine: PostgresQuery = "\(1)\(2)\(3)\(4)\(5)\(6)\(7)\(8)\(9) \(ten)"
        #expect(nine.sql.hasSuffix(" $10+$11+$12+$13+$14+$15+$16+$17+$18+$19"))
        #expect(nine.binds.count == 19)
    }

    @Test func bytesBindAsBinaryAndArraysAsLiterals() {
        let query: PostgresQuery = "SELECT \([UInt8]([0, 255])), \(["a", "b,c", "\"q\"", "back\\slash", "NULL"]), \([1, 2])"
        #expect(query.binds[0] == .binary([0, 255]))
        #expect(query.binds[1] == .text(#"{"a","b,c","\"q\"","back\\slash","NULL"}"#))
        #expect(query.binds[2] == .text(#"{"1","2"}"#))
    }

    @Test func arrayLiteralsDecode() throws {
        #expect(try PostgresArrayLiteral.decode("{}") == [])
        #expect(
            try PostgresArrayLiteral.decode(#"{a,"b,c","\"q\"","back\\slash",NULL,"NULL"}"#)
                == ["a", "b,c", "\"q\"", "back\\slash", nil, "NULL"])
        #expect(throws: (any Error).self) { try PostgresArrayLiteral.decode("{{1,2},{3,4}}") }
        #expect(throws: (any Error).self) { try PostgresArrayLiteral.decode("[0:1]={1,2}") }
        #expect(throws: (any Error).self) { try [Int](postgresText: "{1,NULL}") }
    }

    @Test func timestampsParseWithOffsetsAndFractions() throws {
        let base = try Date(postgresText: "2024-06-10 06:13:20+00")
        #expect(base.timeIntervalSince1970 == 1_718_000_000)
        #expect(try Date(postgresText: "2024-06-10 08:13:20+02") == base)
        #expect(try Date(postgresText: "2024-06-10 11:43:20+05:30") == base)
        #expect(try Date(postgresText: "2024-06-10T06:13:20Z") == base)
        #expect(try Date(postgresText: "2024-06-10 06:13:20") == base)
        #expect(try Date(postgresText: "2024-06-10 06:13:20.5+00").timeIntervalSince1970 == 1_718_000_000.5)
        #expect(try Date(postgresText: "2024-06-10 06:13:20.123456+00") == Date(timeIntervalSince1970: 1_718_000_000.123456))
        #expect(try Date(postgresText: "1969-12-31 23:59:59.999999+00") == Date(timeIntervalSince1970: -0.000001))
        #expect(try Date(postgresText: "infinity") == .distantFuture)
        #expect(throws: (any Error).self) { try Date(postgresText: "10-06-2024") }
        #expect(throws: (any Error).self) { try Date(postgresText: "2024-06-10 06:13:20+0") }
    }

    @Test func timestampsFormatAsISO8601WithMicroseconds() {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 1_718_000_000.123456)) == "2024-06-10T06:13:20.123456Z")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -0.000001)) == "1969-12-31T23:59:59.999999Z")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
    }

    @Test func byteaHexDecodes() throws {
        #expect(try [UInt8](postgresText: "\\x00ff7F") == [0, 255, 127])
        #expect(try [UInt8](postgresText: "\\x") == [])
        #expect(throws: (any Error).self) { try [UInt8](postgresText: "\\x0") }
        #expect(throws: (any Error).self) { try [UInt8](postgresText: "00ff") }
    }

    @Test func urlIsParsedAndPercentDecoded() throws {
        let configuration = try PostgresConfiguration(
            url:
                "postgres://app%40x:p%40ss%3Aw%2Frd@db.example.nl:6543/kraam%20zorg?sslmode=require&application_name=api&statement_timeout=1500"
        )
        #expect(configuration.user == "app@x")
        #expect(configuration.password == "p@ss:w/rd")
        #expect(configuration.host == "db.example.nl")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "kraam zorg")
        #expect(configuration.sslMode == "require")
        #expect(configuration.applicationName == "api")
        #expect(configuration.statementTimeout == .milliseconds(1500))
        #expect(configuration.poolSize == 10)
        #expect(configuration.connectTimeout == .seconds(5))
        #expect(configuration.acquireTimeout == .seconds(10))
        #expect(!configuration.description.contains("p@ss"))

        let ipv6 = try PostgresConfiguration(url: "postgresql://[::1]:5433/db")
        #expect(ipv6.host == "::1")
        #expect(ipv6.port == 5433)
        #expect(ipv6.user == nil)
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "mysql://x@y/z") }
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "postgresql://x@y:99999/z") }
    }

    @Test func errorDescriptionMasksQuotedValuesAndOmitsDetail() {
        let error = PostgresError(
            kind: .server, sqlState: .invalidTextRepresentation,
            message: #"invalid input syntax for type integer: "secret-123""#,
            detail: "Key (email)=(secret@x.nl) already exists.", file: "Store.swift", line: 12)
        #expect(!error.description.contains("secret"))
        #expect(error.description.contains("22P02"))
        #expect(error.description.contains("Store.swift:12"))
    }

    @Test func sqlStateClassifiesConnectionErrors() {
        #expect(SQLState("08006").isConnectionError)
        #expect(SQLState.adminShutdown.isConnectionError)
        #expect(!SQLState.uniqueViolation.isConnectionError)
        #expect(!SQLState.queryCanceled.isConnectionError)
    }
}

@Suite struct UUIDParsingTests {
    @Test func parsesWhatUUIDStringParses() throws {
        for _ in 0..<500 {
            let id = UUID()
            #expect(UUID(hyphenatedHex: id.uuidString) == id)
            #expect(UUID(hyphenatedHex: id.uuidString.lowercased()) == id)
            #expect(try UUID(postgresText: id.uuidString.lowercased()) == id)
        }
        #expect(UUID(hyphenatedHex: "00000000-0000-0000-0000-000000000000") == UUID(uuidString: "00000000-0000-0000-0000-000000000000"))
        #expect(UUID(hyphenatedHex: "FFFFFFFF-ffff-FFFF-ffff-FFFFFFFFFFFF") == UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"))
    }

    @Test(arguments: [
        "", "7c9e6679742540de944be07fc1f90ae7", "7c9e6679-7425-40de-944b-e07fc1f90ae", "7c9e6679-7425-40de-944b-e07fc1f90ae77",
        "7c9e6679-7425-40de-944b_e07fc1f90ae7", "7c9e6679-7425-40de-944b-e07fc1f90aeg", "{7c9e6679-7425-40de-944b-e07fc1f90ae}",
        " 7c9e6679-7425-40de-944b-e07fc1f90ae", "7c9e667９-7425-40de-944b-e07fc1f90ae7",
    ])
    func refusesAnythingElse(text: String) {
        #expect(UUID(hyphenatedHex: text) == nil)
        #expect(throws: (any Error).self) { try UUID(postgresText: text) }
    }
}

@Suite struct UUIDFormattingTests {
    @Test func lowercasedStringIsUUIDStringLowercased() {
        for _ in 0..<500 {
            let id = UUID()
            #expect(id.lowercasedString == id.uuidString.lowercased())
            #expect(UUID(hyphenatedHex: id.lowercasedString) == id)
        }
        let edge = UUID(uuidString: "00000000-0000-0000-0000-00000000000F")!
        #expect(edge.lowercasedString == "00000000-0000-0000-0000-00000000000f")
        #expect(edge.postgresBind == .text("00000000-0000-0000-0000-00000000000f"))
    }
}

@Suite struct ArrayLiteralTests {
    @Test func decodesQuotedEscapedNullAndUnicodeElements() throws {
        #expect(try PostgresArrayLiteral.decode("{}") == [])
        #expect(try PostgresArrayLiteral.decode("{a,NULL,\"NULL\",\"\"}") == ["a", nil, "NULL", ""])
        #expect(
            try PostgresArrayLiteral.decode(#"{"b,c","\"q\"","back\\slash","{x}",é😀}"#) == ["b,c", "\"q\"", "back\\slash", "{x}", "é😀"])
        #expect(try PostgresArrayLiteral.decode(#"{"[{\"norm\": \"2023\", \"points\": 0.5}]"}"#) == [#"[{"norm": "2023", "points": 0.5}]"#])
    }

    @Test(arguments: ["", "{", "{a", "{a,}", "{,a}", "{\"a}", "{\"a\"b}", "{{1,2}}", "[1:2]={a,b}", "{a}x", "{\"a\\"])
    func refusesMalformedLiterals(text: String) {
        #expect(throws: (any Error).self) { try PostgresArrayLiteral.decode(text) }
    }

    @Test func decodeUndoesEncode() throws {
        let values = ["plain", "with space", "comma,inside", "quote\"inside", "back\\slash", "NULL", "", "{braces}", "é😀", "new\nline"]
        let literal = PostgresArrayLiteral.encode(values.map { .text($0) } + [.null])
        #expect(try PostgresArrayLiteral.decode(literal) == values.map { Optional($0) } + [nil])
    }
}
