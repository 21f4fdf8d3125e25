/// The three container kinds of `Encoder`, writing through `OutputEncoder`.
///
/// Every write first closes containers opened below this one (`close(downTo:)`), so nested containers
/// that their owner simply stopped using end up closed in the right place.

struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: OutputEncoder
    let frame: Frame
    /// The frame's use this container belongs to; -1 for a container handed out by a closed one.
    let generation: Int
    var codingPath: [any CodingKey] { [] }

    init(encoder: OutputEncoder, frame: Frame, generation: Int? = nil) {
        self.encoder = encoder
        self.frame = frame
        self.generation = generation ?? frame.generation
    }

    private var isOpen: Bool { frame.generation == generation }

    private func member(_ key: Key) throws {
        guard isOpen else { throw Misuse.closedContainer(key.stringValue) }
        encoder.close(downTo: frame.depth)
        frame.member(key.stringValue, encoder.out)
    }

    mutating func encodeNil(forKey key: Key) throws { try member(key); Scalars.null(encoder.out) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try member(key); Scalars.bool(value, encoder.out) }
    mutating func encode(_ value: String, forKey key: Key) throws { try member(key); ByteWriter.string(value, to: encoder.out) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try Scalars.check(value); try member(key); ByteWriter.floatingPoint(value, to: encoder.out)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try Scalars.check(value); try member(key); ByteWriter.floatingPoint(value, to: encoder.out)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try member(key); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try member(key); try encoder.encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<
        NestedKey
    > {
        guard (try? member(key)) != nil else {
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, frame: frame, generation: -1))
        }
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, frame: encoder.push(.object)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        guard (try? member(key)) != nil else { return UnkeyedContainer(encoder: encoder, frame: frame, generation: -1) }
        return UnkeyedContainer(encoder: encoder, frame: encoder.push(.array))
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named key: String) -> any Encoder {
        guard isOpen else { return SuperEncoder(base: encoder, depth: encoder.stack.count, valueStart: nil) }
        encoder.close(downTo: frame.depth)
        frame.member(key, encoder.out)
        frame.awaitValue(at: encoder.out.count)
        return SuperEncoder(base: encoder, depth: frame.depth, valueStart: encoder.out.count)
    }
}

struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: OutputEncoder
    let frame: Frame
    let generation: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { isOpen ? frame.count : 0 }

    init(encoder: OutputEncoder, frame: Frame, generation: Int? = nil) {
        self.encoder = encoder
        self.frame = frame
        self.generation = generation ?? frame.generation
    }

    private var isOpen: Bool { frame.generation == generation }

    private func element() throws {
        guard isOpen else { throw Misuse.closedContainer("[\(frame.count)]") }
        encoder.close(downTo: frame.depth)
        frame.next(encoder.out)
    }

    mutating func encodeNil() throws { try element(); Scalars.null(encoder.out) }
    mutating func encode(_ value: Bool) throws { try element(); Scalars.bool(value, encoder.out) }
    mutating func encode(_ value: String) throws { try element(); ByteWriter.string(value, to: encoder.out) }
    mutating func encode(_ value: Double) throws {
        try Scalars.check(value); try element(); ByteWriter.floatingPoint(value, to: encoder.out)
    }
    mutating func encode(_ value: Float) throws {
        try Scalars.check(value); try element(); ByteWriter.floatingPoint(value, to: encoder.out)
    }
    mutating func encode(_ value: Int) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int8) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int16) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int32) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int64) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt8) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt16) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt32) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt64) throws { try element(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode<T: Encodable>(_ value: T) throws { try element(); try encoder.encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        guard (try? element()) != nil else {
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, frame: frame, generation: -1))
        }
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, frame: encoder.push(.object)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        guard (try? element()) != nil else { return UnkeyedContainer(encoder: encoder, frame: frame, generation: -1) }
        return UnkeyedContainer(encoder: encoder, frame: encoder.push(.array))
    }

    mutating func superEncoder() -> any Encoder {
        guard (try? element()) != nil else { return SuperEncoder(base: encoder, depth: encoder.stack.count, valueStart: nil) }
        frame.awaitValue(at: encoder.out.count)
        return SuperEncoder(base: encoder, depth: frame.depth, valueStart: encoder.out.count)
    }
}

/// One value written in place. `depth`: the containers that stay open while it is written.
struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: OutputEncoder
    let depth: Int
    /// From a super encoder: where its value must start (anything else means its owner moved on).
    var valueStart: Int? = nil
    var codingPath: [any CodingKey] { [] }

    private func begin() throws {
        encoder.close(downTo: depth)
        if let valueStart, encoder.out.count != valueStart { throw Misuse.closedContainer("super") }
    }

    mutating func encodeNil() throws { try begin(); Scalars.null(encoder.out) }
    mutating func encode(_ value: Bool) throws { try begin(); Scalars.bool(value, encoder.out) }
    mutating func encode(_ value: String) throws { try begin(); ByteWriter.string(value, to: encoder.out) }
    mutating func encode(_ value: Double) throws { try Scalars.check(value); try begin(); ByteWriter.floatingPoint(value, to: encoder.out) }
    mutating func encode(_ value: Float) throws { try Scalars.check(value); try begin(); ByteWriter.floatingPoint(value, to: encoder.out) }
    mutating func encode(_ value: Int) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int8) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int16) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int32) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: Int64) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt8) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt16) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt32) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode(_ value: UInt64) throws { try begin(); ByteWriter.integer(value, to: encoder.out) }
    mutating func encode<T: Encodable>(_ value: T) throws { try begin(); try encoder.encodeValue(value) }
}

/// What `superEncoder()` returns: an encoder whose value goes where its container put the key.
final class SuperEncoder: Encoder {
    let base: OutputEncoder
    let depth: Int
    /// Where the value goes, right after its key; nil when the container that made this was already closed.
    let valueStart: Int?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(base: OutputEncoder, depth: Int, valueStart: Int?) {
        self.base = base
        self.depth = depth
        self.valueStart = valueStart
    }

    /// The container this encoder opened, and which use of its frame that was: asking again returns it.
    private var opened: (frame: Frame, generation: Int)?

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let (frame, generation) = open(.object)
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: base, frame: frame, generation: generation))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let (frame, generation) = open(.array)
        return UnkeyedContainer(encoder: base, frame: frame, generation: generation)
    }

    /// The container opened before (asking again returns it), or a new one where the value goes; a closed
    /// one (generation -1: every write throws) when the owner has written on since.
    private func open(_ kind: Frame.Kind) -> (Frame, Int) {
        if let (frame, generation) = opened, frame.generation == generation, frame.kind == kind {
            base.close(downTo: frame.depth)
            return (frame, generation)
        }
        base.close(downTo: depth)
        guard let valueStart, base.out.count == valueStart, opened == nil else { return (Frame(), -1) }
        let frame = base.push(kind)
        opened = (frame, frame.generation)
        return (frame, frame.generation)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: base, depth: depth, valueStart: valueStart ?? -1)
    }
}

/// A container written to after a container opened later than it: its object or array is already closed.
enum Misuse: Error, CustomStringConvertible {
    case closedContainer(String)
    var description: String {
        switch self {
        case .closedContainer(let at): return "JSONOutputEncoder: write to a closed container at \(at); use containers in nesting order"
        }
    }
}

enum Scalars {
    static func null(_ out: ByteBuffer) { out.append([0x6E, 0x75, 0x6C, 0x6C]) }  // null

    static func bool(_ value: Bool, _ out: ByteBuffer) {
        if value { out.append([0x74, 0x72, 0x75, 0x65]) } else { out.append([0x66, 0x61, 0x6C, 0x73, 0x65]) }
    }

    /// JSON has no NaN or infinity; JSONEncoder refuses them the same way.
    static func check<T: BinaryFloatingPoint>(_ value: T) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "Unable to encode \(T.self).\(value) directly in JSON."))
        }
    }
}
