import FoundationEssentials

/// A JSON document as read by `JSONReader`: every value checked against RFC 8259, objects without duplicate keys.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text as written (already checked against the grammar); converted when a type asks for it,
    /// so `1e18` can become an `Int` and `0.1` a `Double` exactly as `JSONDecoder` converts them.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// An object's members in document order; keys are unique (`String` equality, as `JSONDecoder` compares them).
public final class JSONObject: Sendable, Equatable {
    public let keys: [String]
    public let values: [JSONValue]
    /// Numbered as objects close (0, 1, …), and the number of the first key among all keys of the document: the
    /// decoder marks which keys some type asked for in one flat array with these.
    let id: Int
    let firstSlot: Int
    /// Built only for larger objects; small ones are searched in order.
    private let index: [String: Int]?

    static let indexThreshold = 8

    init(keys: [String], values: [JSONValue], id: Int, firstSlot: Int, index: [String: Int]?) {
        self.keys = keys
        self.values = values
        self.id = id
        self.firstSlot = firstSlot
        self.index = index
    }

    /// The position of `key` among `keys`.
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in keys.indices where keys[i] == key { return i }
        return nil
    }

    public subscript(key: String) -> JSONValue? { position(of: key).map { values[$0] } }

    public var count: Int { keys.count }

    public static func == (a: JSONObject, b: JSONObject) -> Bool { a.keys == b.keys && a.values == b.values }
}

/// Where a value sits in a document: `items[3].registrationNumber`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// `a.b[2].c`; empty for the document itself.
    public var description: String {
        var out = ""
        for c in components {
            switch c {
            case .key(let k): out += out.isEmpty ? k : "." + k
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    /// The same path as coding keys (an index as an int key), as `DecodingError` paths are given.
    public var codingPath: [any CodingKey] {
        components.map { c -> any CodingKey in
            switch c {
            case .key(let k): JSONKey(stringValue: k)
            case .index(let i): JSONKey(index: i)
            }
        }
    }
}

/// The coding key this module puts in paths: an object's key, or an array's index (`intValue`, shown `Index 3`
/// like `JSONDecoder`'s).
public struct JSONKey: CodingKey, Sendable, Hashable {
    public let stringValue: String
    public let intValue: Int?

    public init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    public init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }

    public init(index: Int) {
        self.stringValue = "Index \(index)"
        self.intValue = index
    }

    static let `super` = JSONKey(stringValue: "super")
}

/// Why a body was refused before or after a type decoded it.
public enum JSONInputError: Error, Sendable, Equatable {
    /// Not JSON (RFC 8259): what was wrong and at which byte (counted from 0, after a UTF-8 byte order mark).
    case syntax(offset: Int, reason: String)
    /// An object names the same key twice; the path ends with that key. A reader that keeps the first and one
    /// that keeps the last would see different requests.
    case duplicateKey(JSONPath)
    /// Keys of objects the type decoded that it never asked for (and whose key type has no such case), in
    /// document order. `decodingError` is what the type threw when it also failed; the reported paths then cover
    /// only the objects it had opened by then.
    case unknownKeys([JSONPath], decodingError: DecodingError?)

    public static func == (a: JSONInputError, b: JSONInputError) -> Bool {
        switch (a, b) {
        case let (.syntax(o1, r1), .syntax(o2, r2)): o1 == o2 && r1 == r2
        case let (.duplicateKey(p1), .duplicateKey(p2)): p1 == p2
        case let (.unknownKeys(p1, e1), .unknownKeys(p2, e2)): p1 == p2 && (e1 == nil) == (e2 == nil)
        default: false
        }
    }
}
