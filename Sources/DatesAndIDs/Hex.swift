/// Hex: digests in logs and database columns, request ids, UUID text, escapes. The one copy of it.
public enum Hex {
    /// The lowercase digits, `0`…`f`.
    public static let digits = Array("0123456789abcdef".utf8)
    /// The uppercase digits, `0`…`F` (percent-encoding and quoted-printable want them).
    public static let upperDigits = Array("0123456789ABCDEF".utf8)

    /// Lowercase, two characters per byte.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            for byte in bytes {
                out[i] = digits[Int(byte >> 4)]
                out[i + 1] = digits[Int(byte & 0x0f)]
                i += 2
            }
            return i
        }
    }

    /// Accepts upper- and lowercase. Returns nil for odd length or any non-hex character
    /// (no whitespace, no `0x` prefix).
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var high: UInt8?
        for char in utf8 {
            guard let nibble = value(of: char) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    /// Lowercase, 16 characters per word, most significant first.
    public static func encode(words: [UInt64]) -> String {
        String(unsafeUninitializedCapacity: words.count * 16) { out in
            var i = 0
            for word in words {
                for shift in stride(from: 60, through: 0, by: -4) {
                    out[i] = digits[Int((word >> UInt64(shift)) & 0xF)]
                    i += 1
                }
            }
            return i
        }
    }

    /// The value of one hex digit (either case), or nil.
    public static func value(of char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
