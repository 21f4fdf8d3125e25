/// Request ids: the client's when sane, otherwise 32 hex digits from a fast per-loop generator.
enum RequestID {
    /// A client-supplied id is kept when it is 1–128 visible ASCII characters (no spaces, no controls).
    static func sanitized(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128 else { return nil }
        for byte in value.utf8 where byte < 0x21 || byte > 0x7E { return nil }
        return value
    }

    static func generate(using generator: inout SplitMix64) -> String {
        hex(generator.next(), generator.next())
    }

    static func generateStandalone() -> String {
        var system = SystemRandomNumberGenerator()
        return hex(system.next(), system.next())
    }

    private static func hex(_ a: UInt64, _ b: UInt64) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 32) { buffer in
            let table = digits.utf8Start
            var index = 0
            for word in [a, b] {
                var shift: UInt64 = 60
                for _ in 0..<16 {
                    buffer[index] = table[Int((word >> shift) & 0xF)]
                    index += 1
                    shift &-= 4
                }
            }
            return 32
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for ids and jitter. Not cryptographic.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
