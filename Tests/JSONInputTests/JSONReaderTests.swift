import FoundationEssentials
import JSONInput
import Testing

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func parse(_ text: String) throws(JSONInputError) -> JSONValue { try JSONReader.parse(bytes(text)).root }

func duplicatePath(_ text: String) -> String? {
    do {
        _ = try JSONReader.parse(bytes(text))
        return nil
    } catch {
        if case .duplicateKey(let path) = error { return path.description }
        return "not a duplicate: \(error)"
    }
}

@Suite struct JSONReaderTests {
    @Test func valuesOfEveryKind() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("\tfalse\r\n") == .bool(false))
        #expect(try parse("-0.5e+3") == .number("-0.5e+3"))
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\té😀"))
        #expect(try parse("\"naïve 日本\"") == .string("naïve 日本"))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("[1, [2], {}]") == .array([.number("1"), .array([.number("2")]), .object(try objectOf("{}"))]))
        guard case .object(let o) = try parse(#"{"b": 1, "a": [true, null]}"#) else { Issue.record("not an object"); return }
        #expect(o.keys == ["b", "a"])
        #expect(o["a"] == .array([.bool(true), .null]))
        #expect(o["c"] == nil)
    }

    func objectOf(_ text: String) throws -> JSONObject {
        guard case .object(let o) = try parse(text) else { throw JSONInputError.syntax(offset: 0, reason: "not an object") }
        return o
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try JSONReader.parse([0xEF, 0xBB, 0xBF] + bytes("{}")).objectCount == 1)
    }

    @Test func largeObjectsAreIndexed() throws {
        let keys = (0..<40).map { "k\($0)" }
        let o = try objectOf("{" + keys.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ",") + "}")
        for (n, k) in keys.enumerated() { #expect(o[k] == .number("\(n)")) }
        #expect(o.keys == keys)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\" 1}", "{a:1}", "{'a':1}", "'a'",
        "01", "-01", "1.", ".5", "-", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-Infinity", "1 2", "[1 2]", "{} {}",
        "tru", "nul", "falsey", "True", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud800\"", "\"\\ud800x\"", "\"\\ud800\\u0041\"",
        "\"\\udc00\"", "\"a\u{1}b\"", "\"tab\there\"", "[1,2", "{\"a\":[}", "//c\n1", "/*c*/1", "1;", "\u{00a0}1",
    ])
    func syntaxErrors(_ text: String) {
        #expect(throws: JSONInputError.self, "\(text.debugDescription)") { try parse(text) }
        do { _ = try parse(text) } catch {
            guard case .syntax = error else { Issue.record("\(text.debugDescription): \(error)"); return }
        }
    }

    @Test func invalidUTF8IsASyntaxError() {
        for bad: [UInt8] in [
            [0x22, 0xC3, 0x28, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x61, 0x5C, 0x6E, 0xC3, 0x22],
            [0xC3, 0xA9],
        ] {
            #expect(throws: JSONInputError.self) { try JSONReader.parse(bad) }
        }
        // UTF-16 is not accepted (RFC 8259: JSON exchanged between systems is UTF-8).
        #expect(throws: JSONInputError.self) { try JSONReader.parse([0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00]) }
    }

    @Test func syntaxErrorsSayWhere() {
        #expect(throws: JSONInputError.syntax(offset: 8, reason: "expected , or } in an object")) { try parse(#"{"a": 1 "b": 2}"#) }
        #expect(throws: JSONInputError.syntax(offset: 0, reason: "the document is empty")) { try parse("") }
        #expect(throws: JSONInputError.syntax(offset: 1, reason: "a number may not start with 0")) {
            try JSONReader.parse([0xEF, 0xBB, 0xBF] + bytes("01"))
        }
    }

    @Test func nestingIsLimitedLikeJSONDecoder() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try parse(ok)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONInputError.self) { try parse(deep) }
        let deepObjects = String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(throws: JSONInputError.self) { try parse(deepObjects) }
    }

    @Test func duplicateKeysAreRefusedWithTheirPath() {
        #expect(duplicatePath(#"{"a": 1, "a": 2}"#) == "a")
        #expect(duplicatePath(#"{"a": 1, "b": 2, "a": 1}"#) == "a")
        #expect(duplicatePath(#"{"x": {"b": [1], "b": null}}"#) == "x.b")
        #expect(
            duplicatePath(
                #"{"items": [{}, {"n": 1}, {}, {"registrationNumber": "KCKZ-1", "completedOn": "x", "registrationNumber": "KCKZ-2"}]}"#)
                == "items[3].registrationNumber")
        #expect(duplicatePath(#"[[0, {"k": {"z": 1, "z": 1}}]]"#) == "[0][1].k.z")
        // The same key written differently is the same key.
        #expect(duplicatePath(#"{"a": 1, "\u0061": 2}"#) == "a")
        #expect(duplicatePath("{\"caf\\u00e9\": 1, \"cafe\u{301}\": 2}") == "cafe\u{301}")
        // Large objects (indexed) too, before and after the index is built.
        let many = (0..<20).map { "\"k\($0)\": \($0)" }
        #expect(duplicatePath("{" + (many + ["\"k3\": 0"]).joined(separator: ",") + "}") == "k3")
        #expect(duplicatePath("{" + (many[0..<8] + ["\"k0\": 0"]).joined(separator: ",") + "}") == "k0")
        #expect(duplicatePath("{" + (many[0..<7] + ["\"k0\": 0"]).joined(separator: ",") + "}") == "k0")
        // Distinct keys that only look alike are fine.
        #expect(duplicatePath(#"{"a": 1, "A": 2, "a ": 3, "": 4}"#) == nil)
        #expect(duplicatePath(#"[{"a": 1}, {"a": 2}]"#) == nil)
    }
}
