/// A code (norm, category, subject, course id) packed into three words so the evaluator compares integers
/// instead of calling into the string library. Computed once when the value is made, not per evaluation.
///
/// Exact for codes of up to 16 UTF-8 bytes (the bytes themselves). Longer codes keep their first 16 bytes
/// and a hash of the whole: equal keys must then be confirmed with `==` (see `sameCode`).
public struct CodeKey: Sendable, Hashable, Comparable {
    @usableFromInline let head: UInt64
    @usableFromInline let tail: UInt64
    /// Length for exact keys; hash with the top bit set for long ones.
    @usableFromInline let rest: UInt64

    public init(_ text: String) {
        var s = text
        var head: UInt64 = 0, tail: UInt64 = 0, rest: UInt64 = 0
        s.withUTF8 { bytes in
            for (i, byte) in bytes.prefix(16).enumerated() {
                if i < 8 { head |= UInt64(byte) << UInt64(8 * i) } else { tail |= UInt64(byte) << UInt64(8 * (i - 8)) }
            }
            if bytes.count <= 16 {
                rest = UInt64(bytes.count)
            } else {
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                rest = h | (1 << 63)
            }
        }
        self.head = head
        self.tail = tail
        self.rest = rest
    }

    /// Equal keys mean equal codes.
    @inlinable public var isExact: Bool { rest & (1 << 63) == 0 }

    @inlinable public static func < (a: CodeKey, b: CodeKey) -> Bool {
        if a.head != b.head { return a.head < b.head }
        if a.tail != b.tail { return a.tail < b.tail }
        return a.rest < b.rest
    }
}

/// Same code, comparing strings only when two long codes share a key.
@inline(__always)
func sameCode(_ ka: CodeKey, _ a: String, _ kb: CodeKey, _ b: String) -> Bool {
    ka == kb && (ka.isExact || a == b)
}
