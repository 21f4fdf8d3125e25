import FoundationEssentials

// MARK: - The session: one per document

final class DecodingSession {
    let root: JSONValue
    let dates: StrictJSONDecoder.DateDecodingStrategy
    /// One flag per key of the document (`JSONObject.firstSlot` + position): asked for, or representable.
    var known: [Bool]
    var opened: [Bool]
    var openedObjects: [JSONObject] = []

    /// `StrictJSONDecoder.refusesNullForAbsentableKeys`.
    let refusesNull: Bool

    init(document: JSONDocument, dates: StrictJSONDecoder.DateDecodingStrategy, refusesNull: Bool = false) {
        root = document.root
        self.dates = dates
        self.refusesNull = refusesNull
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
