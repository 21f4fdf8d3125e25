import FoundationEssentials
import JSONInput
import KraamzorgRules
import Testing

let strict: StrictJSONDecoder = {
    var d = StrictJSONDecoder()
    d.dateDecodingStrategy = .iso8601
    return d
}()

/// What a strict decode refused for unknown keys: the paths, and whether the type failed too.
func unknownKeys<T: Decodable>(_ type: T.Type, _ text: String) -> (paths: [String], failedToo: Bool)? {
    do {
        _ = try strict.decode(type, from: bytes(text))
        return nil
    } catch JSONInputError.unknownKeys(let paths, let decodingError) {
        return (paths.map(\.description), decodingError != nil)
    } catch {
        return (["other error: \(error)"], true)
    }
}

struct Person: Codable, Equatable {
    var name: String
    var age: Int?
    var address: Address?
    var pets: [Pet]?
    var labels: [String: String]?
}

struct Address: Codable, Equatable {
    var street: String
    var city: String?
}

struct Pet: Codable, Equatable {
    var kind: String
}

/// Reads `b` only when `a` is true, and `c` only when it is false: all three are its fields either way.
struct Conditional: Decodable {
    enum CodingKeys: String, CodingKey { case a, b, c }
    var value: String?
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        value =
            try c.decode(Bool.self, forKey: .a)
            ? try c.decodeIfPresent(String.self, forKey: .b) : try c.decodeIfPresent(String.self, forKey: .c)
    }
}

/// An item that reports its own unknown keys, as a batch item does.
struct SelfReporting: Decodable {
    enum CodingKeys: String, CodingKey { case id }
    var id: String?
    var unknown: [String]
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try? c.decode(String.self, forKey: .id)
        unknown = (decoder as? any StrictDecoder)?.claimUnknownKeys() ?? []
    }
}

/// Looks at `details` only to see whether it is there.
struct PresenceOnly: Decodable {
    enum CodingKeys: String, CodingKey { case details }
    var hasDetails: Bool
    init(from decoder: any Decoder) throws {
        hasDetails = try decoder.container(keyedBy: CodingKeys.self).contains(.details)
    }
}

/// Two containers on one object, with different keys (as the accreditation body and its single item).
struct TwoViews: Decodable {
    enum Outer: String, CodingKey { case items }
    enum Inner: String, CodingKey { case x }
    var x: Int?
    init(from decoder: any Decoder) throws {
        let outer = try decoder.container(keyedBy: Outer.self)
        if !outer.contains(.items) { x = try decoder.container(keyedBy: Inner.self).decodeIfPresent(Int.self, forKey: .x) }
    }
}

/// A `super` decoder and a nested container, as class hierarchies and hand-written nesting use them.
struct Nesting: Decodable {
    enum CodingKeys: String, CodingKey { case meta, list }
    enum MetaKeys: String, CodingKey { case version }
    var version: Int
    var first: String
    var superValue: Int?
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta).decode(Int.self, forKey: .version)
        var list = try c.nestedUnkeyedContainer(forKey: .list)
        first = try list.decode(String.self)
        superValue = try? c.superDecoder().singleValueContainer().decode(Int.self)
    }
}

@Suite struct StrictJSONDecoderTests {
    @Test func decodesWhatItIsGiven() throws {
        let p = try strict.decode(
            Person.self,
            from: bytes(
                #"{"name": "Ada", "age": 36, "address": {"street": "Main 1"}, "pets": [{"kind": "cat"}], "labels": {"any": "key", "at": "all"}}"#
            ))
        #expect(
            p
                == Person(
                    name: "Ada", age: 36, address: Address(street: "Main 1", city: nil), pets: [Pet(kind: "cat")],
                    labels: ["any": "key", "at": "all"]))
        #expect(try strict.decode(Person.self, from: bytes(#"{"name": "Ada", "age": null}"#)).age == nil)
        let n = try strict.decode(Nesting.self, from: bytes(#"{"meta": {"version": 2}, "list": ["a", "b"], "super": 7}"#))
        #expect(n.version == 2 && n.first == "a" && n.superValue == 7)
        #expect(try strict.decode([Int?].self, from: bytes("[1, null, 3]")) == [1, nil, 3])
        #expect(try strict.decode(String.self, from: bytes(#""top""#)) == "top")
    }

    @Test func unknownKeysAreReportedWithTheirPaths() {
        #expect(unknownKeys(Person.self, #"{"name": "Ada", "nmae": "Ada"}"#)?.paths == ["nmae"])
        #expect(unknownKeys(Person.self, #"{"name": "Ada", "address": {"street": "x", "zip": "1234"}}"#)?.paths == ["address.zip"])
        #expect(
            unknownKeys(Person.self, #"{"name": "Ada", "pets": [{"kind": "cat"}, {"kind": "dog", "name": "Rex", "age": 3}], "z": 1}"#)?
                .paths
                == ["pets[1].name", "pets[1].age", "z"])
        #expect(unknownKeys([Pet].self, #"[{"kind": "cat"}, {"kind": "dog", "x": {"deep": 1}}]"#)?.paths == ["[1].x"])
        // A dictionary has every key.
        #expect(unknownKeys(Person.self, #"{"name": "Ada", "labels": {"nmae": "fine"}}"#) == nil)
        // Keys inside an unknown key's value are not looked at: the key itself is the finding.
        #expect(unknownKeys(Person.self, #"{"name": "Ada", "extra": {"a": 1}}"#)?.paths == ["extra"])
        // Nested unknown keys of a value read through nested containers.
        #expect(unknownKeys(Nesting.self, #"{"meta": {"version": 2, "build": 1}, "list": ["a"]}"#)?.paths == ["meta.build"])
    }

    @Test func aTypeThatFailsStillHasItsUnknownKeysNamed() {
        let r = unknownKeys(Person.self, #"{"nmae": "Ada"}"#)
        #expect(r?.paths == ["nmae"] && r?.failedToo == true)
        // Without unknown keys, the type's own error comes through unchanged.
        #expect(throws: DecodingError.self) { try strict.decode(Person.self, from: bytes(#"{"age": 1}"#)) }
    }

    @Test func keysATypeMayReadAreKnownEvenWhenItDidNotReadThem() throws {
        #expect(try strict.decode(Conditional.self, from: bytes(#"{"a": true, "b": "yes", "c": "ignored"}"#)).value == "yes")
        #expect(try strict.decode(Conditional.self, from: bytes(#"{"a": false, "b": "ignored", "c": "no"}"#)).value == "no")
        #expect(unknownKeys(Conditional.self, #"{"a": false, "d": 1}"#)?.paths == ["d"])
        // Two views of one object: either may know a key.
        #expect(try strict.decode(TwoViews.self, from: bytes(#"{"x": 1}"#)).x == 1)
        #expect(unknownKeys(TwoViews.self, #"{"items": [], "x": 1}"#)?.paths == ["x"])
    }

    @Test func aValueOnlyTestedForPresenceIsNotLookedInto() throws {
        #expect(try strict.decode(PresenceOnly.self, from: bytes(#"{"details": {"anything": [1, {"goes": true}]}}"#)).hasDetails)
    }

    @Test func aTypeMayClaimItsUnknownKeysAndReportThemItself() throws {
        let items = try strict.decode([SelfReporting].self, from: bytes(#"[{"id": "a"}, {"id": "b", "nmae": 1, "x": null}]"#))
        #expect(items.map(\.id) == ["a", "b"])
        #expect(items.map(\.unknown) == [[], ["nmae", "x"]])
    }

    @Test func duplicatesComeBeforeAnyDecoding() {
        #expect(throws: JSONInputError.duplicateKey(JSONPath([.key("pets"), .index(0), .key("kind")]))) {
            try strict.decode(Person.self, from: bytes(#"{"name": "A", "pets": [{"kind": "cat", "kind": "dog"}]}"#))
        }
        // Also in a value nobody reads.
        #expect(throws: JSONInputError.self) { try strict.decode(PresenceOnly.self, from: bytes(#"{"details": {"a": 1, "a": 1}}"#)) }
    }

    @Test func errorsCarryTheirPaths() {
        func failure(_ text: String) -> String {
            do { _ = try strict.decode(Person.self, from: bytes(text)); return "decoded" } catch let e as DecodingError {
                return describe(e)
            } catch { return "\(error)" }
        }
        #expect(failure(#"{"name": 1}"#) == "typeMismatch String name: Expected to decode String but found number instead.")
        #expect(failure(#"{"name": null}"#) == "valueNotFound String name: Cannot get value of type String -- found null value instead")
        #expect(failure(#"{"age": 3}"#).hasPrefix("keyNotFound name (body): No value associated with key"))
        #expect(
            failure(#"{"name": "A", "pets": [{"kind": "cat"}, {"kind": 3}]}"#)
                == "typeMismatch String pets[1].kind: Expected to decode String but found number instead.")
        #expect(failure(#"{"name": "A", "pets": [{}]}"#).hasPrefix("keyNotFound kind pets[0]: "))
        #expect(failure(#"{"name": "A", "age": 1.5}"#) == "dataCorrupted age: must be a whole number from \(Int.min) to \(Int.max)")
        #expect(
            failure(#"{"name": "A", "address": "Main 1"}"#)
                == "typeMismatch Dictionary<String, Any> address: Expected to decode Dictionary<String, Any> but found a string instead.")
        #expect(
            failure(#"{"name": "A", "pets": {}}"#)
                == "typeMismatch Array<Any> pets: Expected to decode Array<Any> but found a dictionary instead.")
        #expect(
            failure("[]")
                == "typeMismatch Dictionary<String, Any> (body): Expected to decode Dictionary<String, Any> but found an array instead.")
    }
}

func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for k in keys {
            if let i = k.intValue { out += "[\(i)]" } else { out += out.isEmpty ? k.stringValue : "." + k.stringValue }
        }
        return out.isEmpty ? "(body)" : out
    }
    switch error {
    case .typeMismatch(let t, let c): return "typeMismatch \(t) \(path(c.codingPath)): \(c.debugDescription)"
    case .valueNotFound(let t, let c): return "valueNotFound \(t) \(path(c.codingPath)): \(c.debugDescription)"
    case .keyNotFound(let k, let c): return "keyNotFound \(k.stringValue) \(path(c.codingPath)): \(c.debugDescription)"
    case .dataCorrupted(let c): return "dataCorrupted \(path(c.codingPath)): \(c.debugDescription)"
    @unknown default: return "\(error)"
    }
}
