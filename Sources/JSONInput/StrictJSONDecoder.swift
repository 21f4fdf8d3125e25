import FoundationEssentials

/// Decodes `Decodable` types like Foundation's `JSONDecoder` (default options, or `.iso8601` dates), from a
/// document `JSONReader` checked strictly, and then refuses keys no type asked for.
///
/// Same values as `JSONDecoder`: numbers are converted from their text as it converts them (`1e18` is an `Int`,
/// `1.5` is not, `1.0000000000000001` is 1); `null` and an absent key are both nil for `decodeIfPresent`; `Date`,
/// `Data` (Base64), `URL` and `Decimal` are read as it reads them. The same errors, mostly: the kind, the path and
/// the message of `keyNotFound`, `valueNotFound` and `typeMismatch` match. Where `JSONDecoder` gives up with "The
/// given data was not valid JSON." at the top (a number that does not fit the type), this throws `dataCorrupted`
/// at the value's path, and a bad ISO 8601 date is reported at its own key (not at its container's).
///
/// Unknown keys: a key of an object is known when some type that opened a keyed container on that object asked
/// about it (`decode…`, `contains`, `decodeNil`, `nestedContainer`, `superDecoder(forKey:)`), or when the
/// container's key type can represent it (`Key(stringValue:)` is not nil: a case of its `CodingKeys`, so a type
/// that reads some keys only in some cases still knows all of them, and a dictionary knows every key). After the
/// type has decoded, every other key of every object it opened is reported (`JSONInputError.unknownKeys`), with
/// its path; objects no type opened (a value only tested with `contains`) are not looked into. A type that
/// reports unknown keys itself takes them with `StrictDecoder.claimUnknownKeys()`.
public struct StrictJSONDecoder: Sendable {
    public enum DateDecodingStrategy: Sendable {
        /// `Date(from:)`: seconds since 2001-01-01 as a number (JSONDecoder's default).
        case deferredToDate
        /// `Date.ISO8601FormatStyle()`, as `JSONDecoder.DateDecodingStrategy.iso8601`.
        case iso8601
    }

    public var dateDecodingStrategy: DateDecodingStrategy = .deferredToDate

    public init() {}

    /// Throws `JSONInputError` (not JSON, a duplicate key, unknown keys), `DecodingError`, or what the type threw.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: try JSONReader.parse(bytes))
    }

    public func decode<T: Decodable>(_ type: T.Type, from document: JSONDocument) throws -> T {
        let session = DecodingSession(document: document, dates: dateDecodingStrategy)
        let value: T
        do {
            value = try session.unwrap(document.root, as: T.self, path: [])
        } catch let error as DecodingError {
            let unknown = session.unknownKeyPaths()
            if unknown.isEmpty { throw error }
            throw JSONInputError.unknownKeys(unknown, decodingError: error)
        }
        let unknown = session.unknownKeyPaths()
        guard unknown.isEmpty else { throw JSONInputError.unknownKeys(unknown, decodingError: nil) }
        return value
    }
}

/// The decoder a type is handed by `StrictJSONDecoder`.
public protocol StrictDecoder: Decoder {
    /// The keys of the object being decoded that nothing has asked for so far, in document order; they are no
    /// longer reported afterwards, so the type reports them itself (a batch item reports them as its own problem
    /// instead of failing the batch). Empty when the value is not an object.
    func claimUnknownKeys() -> [String]
}

// MARK: - The session: one per document

final class DecodingSession {
    let root: JSONValue
    let dates: StrictJSONDecoder.DateDecodingStrategy
    /// One flag per key of the document (`JSONObject.firstSlot` + position): asked for, or representable.
    var known: [Bool]
    var opened: [Bool]
    var openedObjects: [JSONObject] = []

    init(document: JSONDocument, dates: StrictJSONDecoder.DateDecodingStrategy) {
        root = document.root
        self.dates = dates
        known = [Bool](repeating: false, count: document.keyCount)
        opened = [Bool](repeating: false, count: document.objectCount)
    }

    func open<Key: CodingKey>(_ object: JSONObject, as _: Key.Type) {
        if !opened[object.id] {
            opened[object.id] = true
            openedObjects.append(object)
        }
        let base = object.firstSlot
        for (n, key) in object.keys.enumerated() where !known[base + n] {
            if Key(stringValue: key) != nil { known[base + n] = true }
        }
    }

    @inline(__always)
    func markKnown(_ object: JSONObject, _ position: Int) { known[object.firstSlot + position] = true }

    func claimUnknownKeys(_ object: JSONObject) -> [String] {
        var out: [String] = []
        for (n, key) in object.keys.enumerated() where !known[object.firstSlot + n] {
            known[object.firstSlot + n] = true
            out.append(key)
        }
        return out
    }

    func unknownKeyPaths() -> [JSONPath] {
        let anyUnknown = openedObjects.contains { o in (0..<o.count).contains { !known[o.firstSlot + $0] } }
        guard anyUnknown else { return [] }
        var out: [JSONPath] = []
        var path: [JSONPath.Component] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .array(let values):
                for (n, v) in values.enumerated() {
                    path.append(.index(n)); walk(v); path.removeLast()
                }
            case .object(let o):
                let isOpened = opened[o.id]
                for n in 0..<o.count {
                    path.append(.key(o.keys[n]))
                    if isOpened && !known[o.firstSlot + n] { out.append(JSONPath(path)) }
                    walk(o.values[n])
                    path.removeLast()
                }
            default:
                break
            }
        }
        walk(root)
        return out
    }

    // MARK: Values

    /// `path` is built only when needed: for a nested type's decoder, or for an error.
    func unwrap<T: Decodable>(_ value: JSONValue, as type: T.Type, path: @autoclosure () -> [any CodingKey]) throws -> T {
        if T.self == String.self { return try string(value, path()) as! T }
        if T.self == Int.self { return try integer(value, Int.self, path()) as! T }
        if T.self == Bool.self { return try bool(value, path()) as! T }
        if T.self == Double.self { return try floatingPoint(value, Double.self, path()) as! T }
        if T.self == Date.self { return try date(value, path()) as! T }
        if T.self == Data.self { return try data(value, path()) as! T }
        if T.self == URL.self { return try url(value, path()) as! T }
        if T.self == Decimal.self { return try decimal(value, path()) as! T }
        return try T(from: ValueDecoder(session: self, value: value, codingPath: path()))
    }

    func notNull<T>(_ value: JSONValue, _ type: T.Type, _ path: @autoclosure () -> [any CodingKey]) throws {
        if case .null = value {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: path(), debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
    }

    func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) -> DecodingError {
        .typeMismatch(
            type, .init(codingPath: path(), debugDescription: "Expected to decode \(type) but found \(Self.describe(value)) instead."))
    }

    /// As `JSONDecoder` names what it found.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string: "a string"
        case .number: "number"
        case .bool: "bool"
        case .null: "null"
        case .object: "a dictionary"
        case .array: "an array"
        }
    }

    func bool(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        // Like JSONDecoder: null here is a type mismatch, not a missing value.
        guard case .bool(let b) = value else { throw mismatch(Bool.self, value, path()) }
        return b
    }

    func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        try notNull(value, String.self, path())
        guard case .string(let s) = value else { throw mismatch(String.self, value, path()) }
        return s
    }

    func integer<T: FixedWidthInteger>(_ value: JSONValue, _ type: T.Type, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
        try notNull(value, type, path())
        guard case .number(let text) = value else { throw mismatch(type, value, path()) }
        if let v = T(text, radix: 10) { return v }
        // As JSONDecoder: through Double when that is exact (below 2^53), else the decimal digits themselves.
        func outOfRange() -> DecodingError {
            .dataCorrupted(.init(codingPath: path(), debugDescription: "must be a whole number from \(T.min) to \(T.max)"))
        }
        if let d = Double(text) {
            guard let v = T(exactly: d) else { throw outOfRange() }
            if d.magnitude < 9_007_199_254_740_992 { return v }
        }
        guard let v = Self.integerFromDecimalText(text, as: type) else { throw outOfRange() }
        return v
    }

    /// `[-]digits[.digits][e[+-]digits]` as an integer, the fraction cut off (as `JSONDecoder`'s detour through
    /// `Decimal` does); nil when it does not fit.
    static func integerFromDecimalText<T: FixedWidthInteger>(_ text: String, as _: T.Type) -> T? {
        var digits: [UInt8] = []
        var negative = false, pointPosition: Int?, exponent = 0, exponentSign = 1, inExponent = false
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "-"): if inExponent { exponentSign = -1 } else { negative = true }
            case UInt8(ascii: "+"): break
            case UInt8(ascii: "."): pointPosition = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            default:
                if inExponent {
                    guard exponent < 100_000 else { return nil }
                    exponent = exponent * 10 + Int(b - 48)
                } else {
                    digits.append(b - 48)
                }
            }
        }
        let integerDigits = (pointPosition ?? digits.count) + exponentSign * exponent
        if integerDigits <= 0 { return negative && !T.isSigned ? nil : 0 }
        var magnitude: T.Magnitude = 0
        for k in 0..<integerDigits {
            let d = k < digits.count ? T.Magnitude(digits[k]) : 0
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            magnitude = s
        }
        if negative {
            guard T.isSigned else { return magnitude == 0 ? 0 : nil }
            if magnitude == T.Magnitude(T.max) + 1 { return T.min }
            guard let v = T(exactly: magnitude) else { return nil }
            return 0 - v
        }
        return T(exactly: magnitude)
    }

    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ value: JSONValue, _ type: T.Type, _ path: @autoclosure () -> [any CodingKey]
    ) throws -> T {
        try notNull(value, type, path())
        guard case .number(let text) = value else { throw mismatch(type, value, path()) }
        func outOfRange() -> DecodingError {
            .dataCorrupted(.init(codingPath: path(), debugDescription: "must be a number \(T.self) can hold"))
        }
        guard let v = T(text), v.isFinite else { throw outOfRange() }
        // A value so small it rounded to zero is refused, as JSONDecoder refuses it.
        if v == 0 {
            for b in text.utf8 {
                if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { break }
                if b >= UInt8(ascii: "1") && b <= UInt8(ascii: "9") { throw outOfRange() }
            }
        }
        return v
    }

    func date(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Date {
        try notNull(value, Date.self, path())
        switch dates {
        case .deferredToDate:
            return try Date(from: ValueDecoder(session: self, value: value, codingPath: path()))
        case .iso8601:
            let s = try string(value, path())
            guard let d = try? Date.ISO8601FormatStyle().parse(s) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: path(), debugDescription: "Expected date string to be ISO8601-formatted."))
            }
            return d
        }
    }

    func data(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Data {
        try notNull(value, Data.self, path())
        guard case .string(let s) = value else { throw mismatch(String.self, value, path()) }
        guard let d = Data(base64Encoded: s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "Encountered Data is not valid Base64."))
        }
        return d
    }

    func url(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> URL {
        try notNull(value, URL.self, path())
        let s = try string(value, path())
        guard let u = URL(string: s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "Invalid URL string."))
        }
        return u
    }

    func decimal(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Decimal {
        try notNull(value, Decimal.self, path())
        guard case .number(let text) = value else {
            throw DecodingError.typeMismatch(Decimal.self, .init(codingPath: path(), debugDescription: ""))
        }
        guard let d = Decimal(string: text), !d.isNaN else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "must be a number Decimal can hold"))
        }
        return d
    }
}

// MARK: - The decoder and its single value container

struct ValueDecoder: StrictDecoder, SingleValueDecodingContainer {
    let session: DecodingSession
    let value: JSONValue
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .object(let o):
            session.open(o, as: Key.self)
            return KeyedDecodingContainer(KeyedContainer<Key>(session: session, object: o, codingPath: codingPath))
        case .null:
            throw DecodingError.valueNotFound(
                [String: Any].self,
                .init(codingPath: codingPath, debugDescription: "Cannot get keyed decoding container -- found null value instead"))
        default:
            throw DecodingError.typeMismatch(
                [String: Any].self,
                .init(
                    codingPath: codingPath,
                    debugDescription: "Expected to decode \([String: Any].self) but found \(DecodingSession.describe(value)) instead."))
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .array(let values):
            return UnkeyedContainer(session: session, values: values, codingPath: codingPath)
        case .null:
            throw DecodingError.valueNotFound(
                [Any].self,
                .init(codingPath: codingPath, debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
        default:
            throw DecodingError.typeMismatch(
                [Any].self,
                .init(
                    codingPath: codingPath,
                    debugDescription: "Expected to decode \([Any].self) but found \(DecodingSession.describe(value)) instead."))
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func claimUnknownKeys() -> [String] {
        guard case .object(let o) = value else { return [] }
        return session.claimUnknownKeys(o)
    }

    // SingleValueDecodingContainer
    func decodeNil() -> Bool { value == .null }
    func decode(_: Bool.Type) throws -> Bool { try session.bool(value, codingPath) }
    func decode(_: String.Type) throws -> String { try session.string(value, codingPath) }
    func decode(_: Double.Type) throws -> Double { try session.floatingPoint(value, Double.self, codingPath) }
    func decode(_: Float.Type) throws -> Float { try session.floatingPoint(value, Float.self, codingPath) }
    func decode(_: Int.Type) throws -> Int { try session.integer(value, Int.self, codingPath) }
    func decode(_: Int8.Type) throws -> Int8 { try session.integer(value, Int8.self, codingPath) }
    func decode(_: Int16.Type) throws -> Int16 { try session.integer(value, Int16.self, codingPath) }
    func decode(_: Int32.Type) throws -> Int32 { try session.integer(value, Int32.self, codingPath) }
    func decode(_: Int64.Type) throws -> Int64 { try session.integer(value, Int64.self, codingPath) }
    func decode(_: UInt.Type) throws -> UInt { try session.integer(value, UInt.self, codingPath) }
    func decode(_: UInt8.Type) throws -> UInt8 { try session.integer(value, UInt8.self, codingPath) }
    func decode(_: UInt16.Type) throws -> UInt16 { try session.integer(value, UInt16.self, codingPath) }
    func decode(_: UInt32.Type) throws -> UInt32 { try session.integer(value, UInt32.self, codingPath) }
    func decode(_: UInt64.Type) throws -> UInt64 { try session.integer(value, UInt64.self, codingPath) }
    @available(macOS 15.0, *)
    func decode(_: Int128.Type) throws -> Int128 { try session.integer(value, Int128.self, codingPath) }
    @available(macOS 15.0, *)
    func decode(_: UInt128.Type) throws -> UInt128 { try session.integer(value, UInt128.self, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try session.unwrap(value, as: type, path: codingPath) }
}

// MARK: - Keyed

struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let session: DecodingSession
    let object: JSONObject
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    @inline(__always)
    func lookup(_ key: some CodingKey) -> JSONValue? {
        guard let n = object.position(of: key.stringValue) else { return nil }
        session.markKnown(object, n)
        return object.values[n]
    }

    func value(_ key: Key) throws -> JSONValue {
        guard let v = lookup(key) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return v
    }

    func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try session.bool(try value(key), path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try session.string(try value(key), path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try session.floatingPoint(try value(key), type, path(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try session.floatingPoint(try value(key), type, path(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try session.integer(try value(key), type, path(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try session.integer(try value(key), type, path(key)) }
    @available(macOS 15.0, *)
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try session.integer(try value(key), type, path(key)) }
    @available(macOS 15.0, *)
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try session.integer(try value(key), type, path(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try session.unwrap(try value(key), as: type, path: path(key)) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = lookup(key), v != .null else { return nil }
        return try session.unwrap(v, as: type, path: path(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(session: session, value: try value(key), codingPath: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(session: session, value: try value(key), codingPath: path(key)).unkeyedContainer()
    }

    /// As JSONDecoder: an absent key gives a decoder of null.
    func superDecoder() throws -> any Decoder {
        ValueDecoder(session: session, value: lookup(JSONKey.super) ?? .null, codingPath: codingPath + [JSONKey.super])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(session: session, value: lookup(key) ?? .null, codingPath: path(key))
    }
}

// MARK: - Unkeyed

struct UnkeyedContainer: UnkeyedDecodingContainer {
    let session: DecodingSession
    let values: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(session: DecodingSession, values: [JSONValue], codingPath: [any CodingKey]) {
        self.session = session
        self.values = values
        self.codingPath = codingPath
    }

    var count: Int? { values.count }
    var isAtEnd: Bool { currentIndex >= values.count }

    var currentPath: [any CodingKey] { codingPath + [JSONKey(index: currentIndex)] }

    func next<T>(_ type: T.Type, _ message: String = "Unkeyed container is at end.") throws -> JSONValue {
        guard !isAtEnd else { throw DecodingError.valueNotFound(type, .init(codingPath: currentPath, debugDescription: message)) }
        return values[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard try next(Never.self) == .null else { return false }
        currentIndex += 1
        return true
    }

    /// `read` gets the element's path as a function: built only for a nested decoder or an error.
    mutating func take<T>(_ type: T.Type, _ read: (DecodingSession, JSONValue, () -> [any CodingKey]) throws -> T) throws -> T {
        let base = codingPath, index = currentIndex
        let v = try read(session, try next(type), { base + [JSONKey(index: index)] })
        currentIndex += 1
        return v
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try take(type) { try $0.bool($1, $2()) } }
    mutating func decode(_ type: String.Type) throws -> String { try take(type) { try $0.string($1, $2()) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try take(type) { try $0.floatingPoint($1, type, $2()) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try take(type) { try $0.floatingPoint($1, type, $2()) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try take(type) { try $0.integer($1, type, $2()) } }
    @available(macOS 15.0, *)
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try take(type) { try $0.integer($1, type, $2()) } }
    @available(macOS 15.0, *)
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try take(type) { try $0.integer($1, type, $2()) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try take(type) { try $0.unwrap($1, as: type, path: $2()) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try take(KeyedDecodingContainer<NestedKey>.self) {
            try ValueDecoder(session: $0, value: $1, codingPath: $2()).container(keyedBy: type)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try take((any UnkeyedDecodingContainer).self, { try ValueDecoder(session: $0, value: $1, codingPath: $2()).unkeyedContainer() })
    }

    mutating func superDecoder() throws -> any Decoder {
        let v = try next((any Decoder).self, "Cannot get superDecoder() -- unkeyed container is at end.")
        defer { currentIndex += 1 }
        return ValueDecoder(session: session, value: v, codingPath: currentPath)
    }
}
