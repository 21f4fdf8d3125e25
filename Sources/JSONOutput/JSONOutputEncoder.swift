import FoundationEssentials

/// Encodes `Encodable` values straight into UTF-8 bytes, with the output of Foundation's `JSONEncoder`
/// configured as `[.sortedKeys, .withoutEscapingSlashes]` and `.iso8601` dates — byte for byte.
///
/// Why not `JSONEncoder`: it builds a tree of boxed values and dictionaries first, and a large answer
/// (a dossier is ~17 KB) spent most of its time there. This writes each value once into one buffer and only
/// reorders an object's members when they did not arrive in key order.
public struct JSONOutputEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = OutputEncoder()
        try encoder.encodeValue(value)
        return encoder.out.array()
    }
}

/// The one `Encoder` behind every container of one `encode` call.
///
/// Containers write to `out` as they are used. `Encodable` has no "container finished" call, so open
/// containers are kept on `stack` and closed lazily: when their owner writes again, or when the value
/// that opened them has finished encoding. So containers must be used in nesting order, as synthesized and
/// ordinary hand-written conformances do; writing to a container after a sibling opened after it throws.
final class OutputEncoder: Encoder {
    let out = ByteBuffer(capacity: 4096)
    var stack: [Frame] = []
    /// Closed frames, reused: an answer has hundreds of objects.
    private var spare: [Frame] = []
    /// The stack height when the value being encoded started: its own first container goes right above it.
    var valueBase = 0

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func encodeValue<T: Encodable>(_ value: T) throws {
        // The types JSONEncoder writes in its own way rather than through their `encode(to:)`.
        if T.self == Date.self {
            ByteWriter.date(value as! Date, to: out)
            return
        }
        if T.self == URL.self {
            ByteWriter.string((value as! URL).absoluteString, to: out)
            return
        }
        if T.self == Data.self {
            ByteWriter.string((value as! Data).base64EncodedString(), to: out)
            return
        }
        let savedBase = valueBase
        let start = out.count
        valueBase = stack.count
        defer { valueBase = savedBase }
        try value.encode(to: self)
        close(downTo: valueBase)
        // A value that wrote nothing at all is an empty object, as in JSONEncoder.
        if out.count == start { out.append(UInt8(ascii: "{")); out.append(UInt8(ascii: "}")) }
    }

    /// Closes open containers until `height` remain.
    func close(downTo height: Int) {
        while stack.count > height {
            let frame = stack.removeLast()
            frame.close(out)
            spare.append(frame)
        }
    }

    /// Opens a container for the value being encoded, or returns the one it already opened
    /// (asking twice for the same container is allowed).
    func open(_ kind: Frame.Kind) -> Frame {
        if stack.count > valueBase, stack[valueBase].kind == kind {
            close(downTo: valueBase + 1)
            return stack[valueBase]
        }
        return push(kind)
    }

    func push(_ kind: Frame.Kind) -> Frame {
        let frame = spare.popLast() ?? Frame()
        frame.open(kind, start: out.count, depth: stack.count + 1)
        out.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        stack.append(frame)
        return frame
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, frame: open(.object)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(encoder: self, frame: open(.array))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self, depth: valueBase)
    }
}

/// An open object or array in `out`.
final class Frame {
    enum Kind { case object, array }
    private(set) var kind = Kind.object
    /// Offset of the opening brace or bracket.
    private(set) var start = 0
    /// Its height on the stack: writing through this frame first closes everything above it.
    private(set) var depth = 0
    /// Which use of this (reused) frame is current: a container holding an older one is closed.
    private(set) var generation = 0
    private(set) var count = 0
    /// Objects only: each member's key and where its `"key":value` starts (after the separating comma).
    private var keys: [String] = []
    private var offsets: [Int] = []
    private var sorted = true
    /// After `superEncoder()`: where its value starts; if nothing was written there, it becomes `{}`.
    private var awaiting: Int?

    func open(_ kind: Kind, start: Int, depth: Int) {
        self.kind = kind
        self.start = start
        self.depth = depth
        generation += 1
        count = 0
        keys.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        sorted = true
        awaiting = nil
    }

    /// Starts the next element or member: a comma after the first.
    func next(_ out: ByteBuffer) {
        settle(out)
        if count > 0 { out.append(UInt8(ascii: ",")) }
        count += 1
    }

    func member(_ key: String, _ out: ByteBuffer) {
        next(out)
        if let last = keys.last, !Frame.precedes(last, key) { sorted = false }
        keys.append(key)
        offsets.append(out.count)
        ByteWriter.string(key, to: out)
        out.append(UInt8(ascii: ":"))
    }

    func awaitValue(at offset: Int) { awaiting = offset }

    private func settle(_ out: ByteBuffer) {
        if let offset = awaiting, out.count == offset { out.append(UInt8(ascii: "{")); out.append(UInt8(ascii: "}")) }
        awaiting = nil
    }

    func close(_ out: ByteBuffer) {
        settle(out)
        if kind == .object, !sorted { reorder(out) }
        out.append(kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        generation += 1
    }

    /// JSONEncoder's key order: by UTF-8 bytes (`String <` would compare normalized forms).
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Rewrites the members in key order; a key written twice keeps its last value, as in JSONEncoder.
    private func reorder(_ out: ByteBuffer) {
        let end = out.count
        var members: [(key: String, range: Range<Int>)] = []
        members.reserveCapacity(keys.count)
        for i in keys.indices {
            // A member ends where the comma before the next one is.
            let stop = i + 1 < offsets.count ? offsets[i + 1] - 1 : end
            members.append((keys[i], offsets[i]..<stop))
        }
        // Stable, so that of two equal keys the later one comes last and wins.
        let order = members.indices.sorted { a, b in
            Frame.precedes(members[a].key, members[b].key) || (members[a].key == members[b].key && a < b)
        }
        var body: [UInt8] = []
        body.reserveCapacity(end - start)
        for (n, i) in order.enumerated() where n + 1 == order.count || members[order[n + 1]].key != members[i].key {
            if !body.isEmpty { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: out.bytes(members[i].range))
        }
        out.replaceTail(from: start + 1, with: body)
    }
}
