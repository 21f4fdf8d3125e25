#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(lowercasedString) }
    public init(postgresText: String) throws {
        guard let value = UUID(hyphenatedHex: postgresText) else { throw PostgresTextDecodingFailure() }
        self = value
    }
}

extension UUID: PostgresArrayElement {}

extension UUID {
    /// Parses `8-4-4-4-12` hex digits (either case), the form PostgreSQL prints. `UUID(uuidString:)` goes
    /// through `sscanf`, which showed up at 6% of a dossier request's CPU time.
    public init?(hyphenatedHex text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { s -> uuid_t? in
            guard s.count == 36, s[8] == 0x2D, s[13] == 0x2D, s[18] == 0x2D, s[23] == 0x2D else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
            var i = 0, n = 0
            while n < 16 {
                if i == 8 || i == 13 || i == 18 || i == 23 { i += 1 }
                guard let high = UUID.nibble(s[i]), let low = UUID.nibble(s[i + 1]) else { return nil }
                bytes[n] = high << 4 | low
                n += 1
                i += 2
            }
            return (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    /// `8-4-4-4-12` lowercase hex, as PostgreSQL and the API print ids. `uuidString` formats through
    /// `snprintf` (about a microsecond each); a batch answer prints tens of thousands.
    public var lowercasedString: String {
        let hex: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                hex.withUTF8Buffer { digits in
                    var o = 0
                    for (i, byte) in bytes.enumerated() {
                        if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                        out[o] = digits[Int(byte >> 4)]
                        out[o + 1] = digits[Int(byte & 0x0F)]
                        o += 2
                    }
                }
                return 36
            }
        }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}
