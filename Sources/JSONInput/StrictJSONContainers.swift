import FoundationEssentials

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

    // The standard library's typed `decodeIfPresent` defaults read null as nil themselves: each is sent through
    // `present(_:_:)`, so `refusesNullForAbsentableKeys` holds for every type.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try present(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try present(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try present(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try present(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try present(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try present(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try present(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try present(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try present(type, key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try present(type, key) }

    /// nil when the key is absent (or null, unless the decoder refuses null there), else the value.
    private func present<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let v = lookup(key) else { return nil }
        if v == .null {
            guard session.refusesNull else { return nil }
            throw DecodingError.valueNotFound(
                type, .init(codingPath: path(key), debugDescription: "Expected \(type) value but found null instead."))
        }
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
