/// Header fields in arrival order, with names compared case-insensitively (ASCII).
///
/// Lookups are linear scans: header lists are short (the parser caps them at 100), and a scan
/// over a contiguous array beats hashing for that size.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    public typealias Element = (name: String, value: String)

    @usableFromInline
    var fields: [Element]

    public init() { fields = [] }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { (name: $0.0, value: $0.1) }
    }

    init(reservingCapacity capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    /// First value for `name`; setting replaces every field of that name (nil removes them).
    public subscript(name: String) -> String? {
        get {
            for field in fields where Self.equalNames(field.name, name) { return field.value }
            return nil
        }
        set {
            if let newValue {
                if let index = fields.firstIndex(where: { Self.equalNames($0.name, name) }) {
                    fields[index].value = newValue
                    var next = index + 1
                    while next < fields.count {
                        if Self.equalNames(fields[next].name, name) { fields.remove(at: next) } else { next += 1 }
                    }
                } else {
                    fields.append((name: name, value: newValue))
                }
            } else {
                remove(name: name)
            }
        }
    }

    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    public func values(for name: String) -> [String] {
        fields.compactMap { Self.equalNames($0.name, name) ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { Self.equalNames($0.name, name) }
    }

    public mutating func remove(name: String) {
        fields.removeAll { Self.equalNames($0.name, name) }
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }

    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// ASCII case-insensitive comparison, without allocating.
    @inlinable
    static func equalNames(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { ua in
            b.withUTF8 { ub in
                guard ua.count == ub.count else { return false }
                for i in 0..<ua.count where ua[i] != ub[i] {
                    if asciiLower(ua[i]) != asciiLower(ub[i]) { return false }
                }
                return true
            }
        }
    }
}

@inlinable @inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte &- 0x41) < 26 ? byte | 0x20 : byte
}

/// Case-insensitive ASCII comparison of a string with a lowercase literal.
@inline(__always)
func asciiEqualsLowercased(_ value: Substring.UTF8View, _ lowercase: StaticString) -> Bool {
    guard value.count == lowercase.utf8CodeUnitCount else { return false }
    let literal = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
    var i = 0
    for byte in value {
        if asciiLower(byte) != literal[i] { return false }
        i += 1
    }
    return true
}
