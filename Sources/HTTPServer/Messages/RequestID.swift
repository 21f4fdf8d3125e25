import DatesAndIDs

/// Request ids: the client's when sane, otherwise 32 hex digits from a fast per-loop generator.
enum RequestID {
    /// A client-supplied id is kept when it is 1–128 visible ASCII characters (no spaces, no controls).
    static func sanitized(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128 else { return nil }
        for byte in value.utf8 where byte < 0x21 || byte > 0x7E { return nil }
        return value
    }

    static func generate(using generator: inout SplitMix64) -> String {
        Hex.encode(words: [generator.next(), generator.next()])
    }

    static func generateStandalone() -> String {
        var system = SystemRandomNumberGenerator()
        return Hex.encode(words: [system.next(), system.next()])
    }
}
