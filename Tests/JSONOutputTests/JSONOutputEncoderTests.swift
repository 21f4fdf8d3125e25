import FoundationEssentials
import JSONOutput
import KraamzorgRules
import DatesAndIDs
import Testing

/// The reference: what the service used before, and what clients have seen.
private let reference: JSONEncoder = {
    let e = JSONEncoder()
    e.dateEncodingStrategy = .iso8601
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return e
}()

private func ours<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try JSONOutputEncoder().encode(value), as: UTF8.self)
}

private func theirs<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try reference.encode(value), as: UTF8.self)
}

/// Byte-for-byte the same as JSONEncoder.
private func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(try ours(value) == theirs(value), sourceLocation: sourceLocation)
}

@Suite struct ScalarTests {
    @Test func stringsEscapeQuotesBackslashesAndControlCharacters() throws {
        let s = "a\"b\\c/d\u{0}\u{1}\u{1f}\n\t\r\u{8}\u{c}\u{7f}\u{2028}é😀 end"
        #expect(try ours(s) == #""a\"b\\c/d\u0000\u0001\u001f\n\t\r\b\f"# + "\u{7f}\u{2028}é😀 end\"")
        try expectSame(s)
        try expectSame(["", " ", "\u{0}", "naïve café", "日本語", "a/b"])
    }

    @Test func integersIncludingTheExtremes() throws {
        try expectSame([0, 1, -1, 9, 10, 99, 100, Int.max, Int.min, 1_234_567_890])
        try expectSame([Int8.min, Int8.max])
        try expectSame([UInt64.max, 0])
        try expectSame([Int32.min])
    }

    @Test func doublesInShortestFormWithoutTrailingZero() throws {
        try expectSame([1.0, 0.5, 1e20, 1e-7, 123456789.125, -0.0, 3.3, 1e16, 12345678901234567890.0, 0.1 + 0.2, 40.5, -2.25])
        try expectSame([Float(0.1), Float(1.5), Float(-3)])
        #expect(try ours([1.0, 0.5]) == "[1,0.5]")
    }

    @Test func nanAndInfinityAreRefusedLikeJSONEncoder() {
        #expect(throws: EncodingError.self) { try JSONOutputEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONOutputEncoder().encode(["x": Double.infinity]) }
        #expect(throws: EncodingError.self) { try JSONOutputEncoder().encode(Float.infinity) }
    }

    @Test func datesAsRFC3339UTCToTheSecond() throws {
        let dates = [0, 1.999, -0.5, 1_795_000_000.7, 951_782_400, -2_208_988_800, 4_102_444_799.9].map { Date(timeIntervalSince1970: $0) }
        try expectSame(dates)
        #expect(try ours([Date(timeIntervalSince1970: 951_782_400)]) == #"["2000-02-29T00:00:00Z"]"#)
    }

    @Test func yearsOutsideFourDigitsAsJSONEncoderWritesThem() throws {
        // 44 BC, year 0, 1582 (Julian before the Gregorian reform, in Foundation), 1583, year 10000: PostgreSQL can
        // hold such timestamps; they must not trap, lose digits or change calendar.
        let dates = [
            -63_514_627_200.0, -62_167_219_200, -12_219_292_800, -12_219_292_801, -12_212_553_600, -12_182_400_000,
            253_402_300_800, 253_402_300_799,
        ].map { Date(timeIntervalSince1970: $0) }
        try expectSame(dates)
    }

    @Test func boolNullAndTopLevelFragments() throws {
        try expectSame(true)
        try expectSame("top")
        try expectSame(42)
        try expectSame([true, false])
        try expectSame([Int?.none, 1])
        try expectSame(Optional<Int>.none)
    }

    @Test func urlsUUIDsAndData() throws {
        try expectSame([URL(string: "https://example.nl/a?b=c")!])
        try expectSame(["id": UUID(uuidString: "7C9E6679-7425-40DE-944B-E07FC1F90AE7")!])
        try expectSame(["bytes": Data([0, 1, 2, 250, 255])])
    }
}

@Suite struct ContainerTests {
    struct Person: Encodable {
        var zName = "Z"
        var age = 30
        var nickname: String? = nil
        var email: String? = "a@b.nl"
        var tags = ["x", "y"]
        var nested = Inner()
        struct Inner: Encodable { var b = 2; var a = 1 }
    }

    @Test func membersComeOutInKeyOrderAndNilOptionalsAreLeftOut() throws {
        #expect(try ours(Person()) == #"{"age":30,"email":"a@b.nl","nested":{"a":1,"b":2},"tags":["x","y"],"zName":"Z"}"#)
        try expectSame(Person())
        try expectSame([Person(), Person(nickname: "n")])
    }

    @Test func keysSortByTheirUTF8BytesAsJSONEncoderSortsThem() throws {
        // "e" + combining acute is not in NFC: String's < puts it after "f" (as é), its bytes put it before.
        let keys = ["e\u{301}", "f", "e", "ea", "z", "A\u{30A}", "B"]
        try expectSame(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }))
        #expect(
            try ours(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })).hasPrefix(
                #"{"A\#u{30A}":5,"B":6,"e":2,"ea":3,"e\#u{301}":0,"f":1"#))
    }

    @Test func dictionariesSortByCodePoint() throws {
        try expectSame(["b": 1, "B": 2, "a10": 3, "a2": 4, "_x": 5, "Z": 6, "é": 7, "e": 8, "aB": 9, "ab": 10])
        try expectSame([Int: String]())
        try expectSame([String: [String: Int]]())
        try expectSame([3: "c", 1: "a", 20: "t"])
    }

    @Test func emptyContainersAndValuesThatWriteNothing() throws {
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        struct EmptyObject: Encodable { func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: K.self) } }
        struct EmptyArray: Encodable { func encode(to encoder: any Encoder) throws { _ = encoder.unkeyedContainer() } }
        try expectSame([Nothing()])
        try expectSame(["a": EmptyObject()])
        try expectSame(["a": EmptyArray()])
        try expectSame([[Int]](), )
        try expectSame([[[Int]]]([[], [[]]]))
    }

    enum K: String, CodingKey { case a, b, c, d, lines, category, points }

    @Test func nestedContainersLeftOpenAreClosedInPlace() throws {
        struct Lines: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode("first", forKey: .d)
                var lines = c.nestedUnkeyedContainer(forKey: .lines)
                for i in 0..<3 {
                    var line = lines.nestedContainer(keyedBy: K.self)
                    try line.encode(Double(i) / 2, forKey: .points)
                    try line.encode("C", forKey: .category)
                    var deeper = line.nestedUnkeyedContainer(forKey: .a)
                    try deeper.encode(i)
                }
                try c.encode(true, forKey: .b)
                var more = c.nestedContainer(keyedBy: K.self, forKey: .c)
                try more.encodeNil(forKey: .a)
            }
        }
        try expectSame(Lines())
        try expectSame([Lines(), Lines()])
        #expect(try ours(Lines()).hasPrefix(#"{"b":true,"c":{"a":null},"d":"first","lines":[{"a":[0],"category":"C","points":0}"#))
    }

    @Test func writingToAContainerAfterALaterSiblingOpenedThrowsInsteadOfWritingWrongJSON() throws {
        struct Interleaved: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                var a = c.nestedContainer(keyedBy: K.self, forKey: .a)
                var b = c.nestedUnkeyedContainer(forKey: .b)
                try b.encode(1)
                try a.encode(2, forKey: .c)
            }
        }
        #expect(throws: (any Error).self) { try JSONOutputEncoder().encode(Interleaved()) }
        // The encoder is fine afterwards: reused frames carry no state from the failed call.
        try expectSame(["x": [1, 2]])
    }

    @Test func askingForTheSameContainerTwiceWritesOneObject() throws {
        struct Twice: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c1 = encoder.container(keyedBy: K.self)
                try c1.encode(1, forKey: .b)
                var c2 = encoder.container(keyedBy: K.self)
                try c2.encode(2, forKey: .a)
            }
        }
        try expectSame(Twice())
        #expect(try ours(Twice()) == #"{"a":2,"b":1}"#)
    }

    @Test func aKeyWrittenTwiceKeepsItsLastValue() throws {
        struct Again: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode(1, forKey: .b)
                try c.encode(["x"], forKey: .a)
                try c.encode(3, forKey: .b)
            }
        }
        try expectSame(Again())
    }

    @Test func superEncodersWriteUnderTheirKey() throws {
        struct Base: Encodable { var a = 1 }
        struct Derived: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode(2, forKey: .b)
                try Base().encode(to: c.superEncoder())
                _ = c.superEncoder(forKey: .c)  // used for nothing: {}
                try c.encode(4, forKey: .d)
            }
        }
        struct InArray: Encodable {
            func encode(to encoder: any Encoder) throws {
                var u = encoder.unkeyedContainer()
                try u.encode(1)
                var single = u.superEncoder().singleValueContainer()
                try single.encode("s")
                _ = u.superEncoder()
            }
        }
        try expectSame(Derived())
        try expectSame(InArray())
    }

    /// A class chain where each level encodes its super through the same super encoder: one object.
    @Test func aSuperEncoderAskedTwiceWritesOneObject() throws {
        class Base: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode(1, forKey: .a)
            }
        }
        class Child: Base {
            override func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode(2, forKey: .b)
                try super.encode(to: encoder)
            }
        }
        class Grandchild: Child {
            override func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode(3, forKey: .c)
                try super.encode(to: c.superEncoder())
            }
        }
        try expectSame(Grandchild())
        #expect(try ours(Grandchild()) == #"{"c":3,"super":{"a":1,"b":2}}"#)
    }

    @Test func aSuperEncoderUsedAfterItsOwnerWroteOnThrowsInsteadOfWritingWrongJSON() throws {
        struct Late: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                let sup = c.superEncoder(forKey: .a)
                try c.encode(1, forKey: .b)
                var s = sup.container(keyedBy: K.self)
                try s.encode(2, forKey: .c)
            }
        }
        struct LateSingle: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                let sup = c.superEncoder(forKey: .a)
                try c.encode(1, forKey: .b)
                var s = sup.singleValueContainer()
                try s.encode(2)
            }
        }
        #expect(throws: (any Error).self) { try JSONOutputEncoder().encode(Late()) }
        #expect(throws: (any Error).self) { try JSONOutputEncoder().encode(LateSingle()) }
    }
}

/// A seeded random tree of JSON values, to compare both encoders on shapes nobody wrote by hand.
private indirect enum Tree: Encodable {
    case string(String), int(Int), double(Double), bool(Bool), null, array([Tree]), object([String: Tree])

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    static func random(_ rng: inout SplitMix64, depth: Int) -> Tree {
        let pick = rng.next() % (depth > 3 ? 5 : 7)
        switch pick {
        case 0: return .string(randomString(&rng))
        case 1: return .int(Int(truncatingIfNeeded: rng.next()) >> Int(rng.next() % 64))
        case 2: return .double(Double(Int64(truncatingIfNeeded: rng.next()) % 1_000_000) / Double(1 + rng.next() % 1000))
        case 3: return .bool(rng.next() % 2 == 0)
        case 4: return .null
        case 5: return .array((0..<Int(rng.next() % 5)).map { _ in random(&rng, depth: depth + 1) })
        default:
            var o: [String: Tree] = [:]
            for _ in 0..<Int(rng.next() % 6) { o[randomString(&rng)] = random(&rng, depth: depth + 1) }
            return .object(o)
        }
    }

    static func randomString(_ rng: inout SplitMix64) -> String {
        let alphabet: [Character] = ["a", "b", "Z", "_", "0", "9", " ", "\"", "\\", "/", "\n", "\u{1}", "é", "€", "😀", "\u{7f}", "\t"]
        return String((0..<Int(rng.next() % 8)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }
}

@Suite struct AgreementTests {
    @Test func twoThousandRandomTreesEncodeAsJSONEncoderDoes() throws {
        var rng = SplitMix64(seed: 20261123)
        for _ in 0..<2000 {
            let tree = Tree.random(&rng, depth: 0)
            let a = try ours(tree), b = try theirs(tree)
            #expect(a == b)
            if a != b { return }
        }
    }

    @Test func aDossierEncodesAsBefore() throws {
        let period = RegistrationPeriod(id: "p2023", startDate: CivilDate(2023, 6, 1), normCode: "2023")
        var completions: [Completion] = []
        for i in 0..<30 {
            let lines = [
                AccreditationLine(
                    norm: "2023", category: ["A", "B", "C", "D"][i % 4], subject: i % 3 == 0 ? nil : "ehbo-theorie", points: 1.5),
                AccreditationLine(norm: "2019", category: "C", subject: nil, points: 2),
            ]
            completions.append(
                Completion(
                    id: "c\(i)", courseId: "course\(i % 8)", courseTitle: "Cursus \"\(i)\" / é",
                    completedOn: CivilDate(2023, 7, 1).adding(days: i * 20), recordedAt: nil,
                    withdrawn: i == 7, lines: lines))
        }
        let dossier = DossierEvaluator.evaluate(
            norm: .seeded2023, period: period, completions: completions,
            asOf: CivilDate(2025, 1, 1))
        try expectSame(dossier)
        #expect(try ours(dossier).utf8.count > 5_000)
    }
}

@Suite struct JSONWriterTests {
    @Test func writesWhatTheEncoderWritesForTheSameValues() throws {
        struct Row: Encodable { let a: String; let b: Int; let c: Bool; @ExplicitNull var d: String?; let e: Date }
        let row = Row(a: "x\"\\/\u{1}\u{8}\u{c}\né😀", b: -42, c: true, d: nil, e: Date(timeIntervalSince1970: 1_795_000_000.9))
        var w = JSONWriter()
        w.raw("{"); w.key("a"); w.string(row.a)
        w.raw(","); w.key("b"); w.int(row.b)
        w.raw(","); w.key("c"); w.bool(row.c)
        w.raw(","); w.key("d"); w.optionalString(row.d)
        w.raw(","); w.key("e"); w.timestamp(row.e); w.raw("}")
        #expect(String(decoding: w.bytes, as: UTF8.self) == (try theirs(row)))
    }
}

@Suite struct ExplicitNullTests {
    struct Row: Encodable {
        var plain: String? = nil
        @ExplicitNull var cursor: String? = nil
        @ExplicitNull var count: Int? = 3
        @ExplicitNull var at: Date? = Date(timeIntervalSince1970: 1_795_000_000.9)
        @ExplicitNull var inner: Inner? = nil
        @ExplicitNull var list: [Inner]? = [Inner(), Inner(b: nil)]
        struct Inner: Encodable {
            var a = "x/y"
            @ExplicitNull var b: Double? = 2.5
        }
    }

    @Test func nilIsWrittenAsNullWhereAPlainOptionalIsLeftOut() throws {
        #expect(
            try ours(Row())
                == #"{"at":"2026-11-18T11:06:40Z","count":3,"cursor":null,"inner":null,"list":[{"a":"x/y","b":2.5},{"a":"x/y","b":null}]}"#)
        try expectSame(Row())
    }

    @Test func valuesAreWrittenAsWithoutTheWrapper() throws {
        let full = Row(plain: "p", cursor: "c\"/", count: nil, at: nil, inner: .init(a: "", b: nil), list: nil)
        try expectSame(full)
        try expectSame([Row(), full, Row(cursor: "")])
        try expectSame(["k": Row.Inner(b: nil)])
        try expectSame(ExplicitNull<Int>(wrappedValue: nil))
        try expectSame([ExplicitNull(wrappedValue: 1), ExplicitNull(wrappedValue: nil)])
    }
}
