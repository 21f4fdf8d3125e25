import FoundationEssentials
import JSONInput
import KraamzorgRules
import DatesAndIDs
import Testing

/// The reference: what request bodies were decoded with before.
let reference: JSONDecoder = {
    let d = JSONDecoder()
    d.dateDecodingStrategy = .iso8601
    return d
}()

/// Same value, or the same failure: kind, path and message for keyNotFound, valueNotFound and typeMismatch.
/// Where JSONDecoder gives up at the top ("The given data was not valid JSON.": a number that does not fit) or
/// names a bad ISO 8601 date at its container, this decoder gives `dataCorrupted` at the value's own path.
func expectSameDecoding<T: Decodable & Equatable>(_ type: T.Type, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let theirs = Result { try reference.decode(type, from: Data(text.utf8)) }
    let ours = Result { try strict.decode(type, from: bytes(text)) }
    switch (theirs, ours) {
    case let (.success(a), .success(b)):
        #expect(a == b, "\(text)", sourceLocation: sourceLocation)
    case let (.failure(a as DecodingError), .failure(b as DecodingError)):
        let expected = describe(a), got = describe(b)
        if case .dataCorrupted(let c) = a, c.codingPath.isEmpty || c.debugDescription.contains("ISO8601") {
            #expect(got.hasPrefix("dataCorrupted"), "\(text): JSONDecoder \(expected), ours \(got)", sourceLocation: sourceLocation)
        } else {
            #expect(expected == got, "\(text)", sourceLocation: sourceLocation)
        }
    case let (theirs, ours):
        Issue.record("\(text): JSONDecoder \(theirs), ours \(ours)", sourceLocation: sourceLocation)
    }
}

enum Kind: String, Codable, Equatable { case alpha, beta }

struct Inner: Codable, Equatable {
    var a: Int
    var b: String?
    var c: [Double]?
}

/// A value read through a single value container with a hand-written `init(from:)`, like Postcode.
struct Code: Codable, Equatable {
    var text: String
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard s.count == 4, s.allSatisfy(\.isNumber) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be four digits")
        }
        text = s
    }
}

struct Sample: Codable, Equatable {
    var name: String
    var count: Int
    var ratio: Double?
    var flag: Bool?
    var note: String?
    var tags: [String]?
    var inner: Inner?
    var inners: [Inner]?
    var at: Date?
    var day: CivilDate?
    var points: Points?
    var ids: [UUID]?
    var grid: [[Int]]?
    var small: Int8?
    var big: UInt64?
    var counts: [String: Int]?
    var kind: Kind?
    var maybe: [Int?]?
    var code: Code?
    var single: Float?
}

enum Pools {
    static let strings = [
        #""plain""#, #""""#, #""with \"quotes\" and \\ backslash""#, #""caf\u00e9 \ud83d\ude00""#, #""日本語""#, #""tab\there""#,
    ]
    static let integers = [
        "0", "-0", "42", "-7", "1e2", "1E2", "1.0", "1.5", "-2.50", "1e18", "1e19", "0.1e1", "1e-2", "1.0000000000000001",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "9007199254740993", "9007199254740993.0", "123456789012345678901234567890", "1e-400", "1e400", "-1.5e3",
        "12345678901234567890e-2", "100000000000000000000e-5",
    ]
    static let doubles = [
        "0", "-0.0", "3.14159", "1e308", "1e309", "-1e309", "1e-400", "0e-400", "0.0e5", "2.5e-308", "4.9e-324", "1e-324",
        "123456789012345678901234567890", "0.1", "17",
    ]
    static let small = ["127", "-128", "1e2", "128", "-129", "1.0", "2e2", "-0"]
    static let big = [
        "18446744073709551615", "0", "1e19", "18446744073709551616", "-1", "-0", "1.8446744073709552e19", "0.5", "9007199254740993e1",
    ]
    static let dates = [
        #""2024-01-02T03:04:05Z""#, #""2024-01-02T03:04:05+01:00""#, #""2024-01-02T03:04:05.123Z""#, #""2024-01-02""#,
        #""nope""#, "12345", #""2024-13-02T03:04:05Z""#,
    ]
    static let days = [
        #""2024-02-29""#, #""1900-01-01""#, #""2200-12-31""#, #""2023-02-29""#, #""1899-12-31""#, #""x""#, "20240101", #""2024-1-1""#,
    ]
    static let points = ["2.5", "12", "0", "2.55", "-1", "1000", "1001", "1e1", "0.1", "999.9", #""2""#]
    static let uuids = [
        #""6F1E2D3C-0000-4000-8000-000000000001""#, #""6f1e2d3c-0000-4000-8000-000000000001""#, #""00000000-0000-0000-0000-000000000000""#,
        #""not-a-uuid""#, "1",
    ]
    static let kinds = [#""alpha""#, #""beta""#, #""alpha""#, #""gamma""#, #""Alpha""#]
    static let codes = [#""1234""#, #""5678""#, #""0000""#, #""12345""#, #""abcd""#, "1234"]
    static let floats = ["1.5", "3.4028235e38", "0.1", "3.5e38", "1e-50", "16777217"]
    static let wrong = [#""str""#, "1", "true", "[]", "{}", "null", "[1]", #"{"a": 1}"#]
}

struct DocumentGenerator {
    var rng: SplitMix64

    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &rng)] }
    /// Mostly one of the first `ordinary` values of a pool, now and then any (the edge cases).
    mutating func value(_ values: [String], ordinary: Int = 3) -> String {
        chance(0.8) ? pick(Array(values.prefix(ordinary))) : pick(values)
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    mutating func array(_ count: ClosedRange<Int>, _ element: (inout DocumentGenerator) -> String) -> String {
        let n = Int.random(in: count, using: &rng)
        var items: [String] = []
        for _ in 0..<n { items.append(element(&self)) }
        return "[" + items.joined(separator: chance(0.5) ? "," : " ,\n ") + "]"
    }

    /// A member of kind `valid`, now and then null, of the wrong kind, or absent.
    mutating func member(_ key: String, required: Bool = false, _ valid: (inout DocumentGenerator) -> String) -> String? {
        let roll = Double.random(in: 0..<1, using: &rng)
        if !required && roll < 0.25 { return nil }
        let value: String
        if roll > 0.98 { value = "null" } else if roll > 0.96 { value = pick(Pools.wrong) } else { value = valid(&self) }
        return "\"\(key)\":" + (chance(0.3) ? " " : "") + value
    }

    mutating func object(_ members: [String?]) -> String {
        var present = members.compactMap { $0 }
        present.shuffle(using: &rng)
        return "{" + present.joined(separator: chance(0.5) ? "," : ", ") + "}"
    }

    mutating func inner() -> String {
        object([
            member("a", required: true) { $0.value(Pools.integers) },
            member("b") { $0.value(Pools.strings) },
            member("c") { g in g.array(0...3) { $0.value(Pools.doubles) } },
        ])
    }

    mutating func sample() -> String {
        object([
            member("name", required: chance(0.9)) { $0.value(Pools.strings) },
            member("count", required: chance(0.9)) { $0.value(Pools.integers) },
            member("ratio") { $0.value(Pools.doubles) },
            member("flag") { $0.pick(["true", "false"]) },
            member("note") { $0.value(Pools.strings) },
            member("tags") { g in g.array(0...3) { $0.value(Pools.strings) } },
            member("inner") { $0.inner() },
            member("inners") { g in g.array(0...2) { $0.inner() } },
            member("at") { $0.value(Pools.dates) },
            member("day") { $0.value(Pools.days) },
            member("points") { $0.value(Pools.points) },
            member("ids") { g in g.array(0...2) { $0.value(Pools.uuids) } },
            member("grid") { g in g.array(0...2) { h in h.array(0...2) { $0.pick(["1", "2", "1.5", "null"]) } } },
            member("small") { $0.value(Pools.small) },
            member("big") { $0.value(Pools.big) },
            member("counts") { $0.pick([#"{}"#, #"{"x": 1, "y": 2}"#, #"{"x": "no"}"#, #"{"x": null}"#]) },
            member("kind") { $0.value(Pools.kinds) },
            member("maybe") { g in g.array(0...3) { $0.pick(["1", "null", "2.0", #""3""#]) } },
            member("code") { $0.value(Pools.codes) },
            member("single") { $0.value(Pools.floats) },
        ])
    }
}

@Suite struct EquivalenceTests {
    @Test func generatedDocumentsDecodeAsJSONDecoderDecodesThem() {
        var generator = DocumentGenerator(rng: SplitMix64(seed: 20_240_601))
        var decoded = 0
        for _ in 0..<600 {
            let text = generator.sample()
            expectSameDecoding(Sample.self, text)
            if (try? strict.decode(Sample.self, from: bytes(text))) != nil { decoded += 1 }
        }
        // Both outcomes are exercised.
        #expect(decoded > 20 && decoded < 580, "\(decoded) of 600 decoded")
    }

    @Test func numbersAsEveryIntegerAndFloatingPointType() {
        for n in Pools.integers + Pools.doubles + Pools.small + Pools.big + Pools.floats {
            expectSameDecoding(Int.self, n)
            expectSameDecoding([Int8].self, "[\(n)]")
            expectSameDecoding([UInt8].self, "[\(n)]")
            expectSameDecoding([Int32].self, "[\(n)]")
            expectSameDecoding([Int64].self, "[\(n)]")
            expectSameDecoding([UInt64].self, "[\(n)]")
            expectSameDecoding([UInt].self, "[\(n)]")
            expectSameDecoding([Double].self, "[\(n)]")
            expectSameDecoding([String: Float].self, #"{"v": \#(n)}"#)
            expectSameDecoding(Points.self, n)
        }
    }

    /// JSONDecoder refuses some zeros with an exponent as a floating-point number (`0e5`, `0.000e5`: its check for a
    /// value that underflowed to zero looks at the exponent's digits too, depending on where they fall), and takes
    /// others (`0.0e5`). They are all zero; this decoder reads them as 0.
    @Test func aZeroWithAnExponentIsZero() throws {
        for text in ["0e5", "0.000e5", "0.0e5", "-0E+2"] {
            #expect(try strict.decode([Double].self, from: bytes("[\(text)]")) == [0])
            #expect(try strict.decode([Int].self, from: bytes("[\(text)]")) == [0])
        }
        #expect(throws: DecodingError.self) { try reference.decode([Double].self, from: Data("[0e5]".utf8)) }
    }

    @Test func optionalsPresentAbsentAndNull() {
        expectSameDecoding(Inner.self, #"{"a": 1}"#)
        expectSameDecoding(Inner.self, #"{"a": 1, "b": null, "c": null}"#)
        expectSameDecoding(Inner.self, #"{"a": 1, "b": "x", "c": [1, 2.5]}"#)
        expectSameDecoding(Inner.self, #"{"a": null}"#)
        expectSameDecoding(Inner.self, #"{"b": "x"}"#)
        expectSameDecoding([Int?].self, "[null, 1, null]")
        expectSameDecoding([[String?]?].self, #"[null, [null, "a"]]"#)
        expectSameDecoding(Int?.self, "null")
        expectSameDecoding(Bool.self, "null")
        expectSameDecoding([Bool].self, "[null]")
        expectSameDecoding([String: Bool].self, #"{"k": null}"#)
        expectSameDecoding([String: Bool?].self, #"{"k": null}"#)
    }

    @Test func theRulesOwnTypes() {
        let norm =
            #"{"code": "2030", "version": 3, "appliesFrom": "2030-01-01", "minTotalPoints": 40, "ehboCertificateRequired": true, "careHoursPerYear": null, "#
            + #""categories": [{"code": "A", "name": "Zorg", "minPoints": 10.5, "subjects": [{"code": "s", "name": "S", "minCompletions": 1}], "#
            + #""annotations": [{"subject": "s", "minPoints": 2, "label": "L"}]}]}"#
        expectSameDecoding(Norm.self, norm)
        expectSameDecoding(Norm.self, #"{"code": "2030", "appliesFrom": "2030-01-01", "minTotalPoints": 40, "categories": []}"#)
        expectSameDecoding(Norm.self, #"{"code": "2030", "appliesFrom": "2030-02-30", "minTotalPoints": 40, "categories": []}"#)
        expectSameDecoding(Norm.self, #"{"code": "2030", "appliesFrom": "2030-01-01", "minTotalPoints": 40.25, "categories": []}"#)
        expectSameDecoding(
            Norm.self,
            #"{"code": "2030", "appliesFrom": "2030-01-01", "minTotalPoints": 40, "categories": [{"code": "A", "minPoints": 1}]}"#)
        expectSameDecoding(
            QualityDataSituation.self,
            #"{"year": 2024, "providerKind": "selfEmployed", "bedsViaAgency": 3, "agencyDeliversUnderHerName": true}"#)
        expectSameDecoding(QualityDataSituation.self, #"{"year": 2024, "providerKind": "freelance"}"#)
        expectSameDecoding(QualityDataSituation.self, #"{"year": 2024.5, "providerKind": "organisation"}"#)
        expectSameDecoding([PostcodeRange].self, #"[{"from": 8400, "to": 9299}, {"from": 1000, "to": 1000}]"#)
        expectSameDecoding([PostcodeRange].self, #"[{"from": 9400, "to": 9299}]"#)
        expectSameDecoding(
            [AccreditationLine].self,
            #"[{"norm": "2023", "category": "A", "subject": null, "points": 2.5}, {"norm": "2019", "category": "C", "points": 1}]"#)
        expectSameDecoding([AccreditationLine].self, #"[{"norm": "2023", "category": "A", "points": 2.55}]"#)
        expectSameDecoding([CivilDate].self, #"["2024-02-29", "2200-12-31"]"#)
        expectSameDecoding([CivilDate].self, #"["2201-01-01"]"#)
    }

    @Test func foundationTypes() {
        expectSameDecoding([Date].self, #"["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.5+02:00"]"#)
        expectSameDecoding([Date].self, #"["2024-01-02"]"#)
        expectSameDecoding([Date].self, "[0]")
        expectSameDecoding([Data].self, #"["aGVsbG8=", ""]"#)
        expectSameDecoding([Data].self, #"["not base64!"]"#)
        expectSameDecoding([URL].self, #"["https://example.nl/a?b=c", "relative/path"]"#)
        expectSameDecoding([UUID].self, #"["not a uuid"]"#)
        expectSameDecoding([Decimal].self, "[1, 2.5, -0.001, 12345678901234567890.5]")
        expectSameDecoding([Decimal].self, #"["1"]"#)
        expectSameDecoding([String: [Int]].self, #"{"a": [1], "b": []}"#)
        expectSameDecoding([Int: String].self, #"{"1": "a", "-2": "b"}"#)
        expectSameDecoding([Int: String].self, #"{"x": "a"}"#)
    }

    @Test func containersOfTheWrongKind() {
        for text in [#""x""#, "1", "true", "null", "[]", "{}", "[1]", #"{"a": 1}"#] {
            expectSameDecoding(Inner.self, text)
            expectSameDecoding([Int].self, text)
            expectSameDecoding([String: Int].self, text)
            expectSameDecoding(String.self, text)
            expectSameDecoding(CivilDate.self, text)
        }
    }
}
