import FoundationEssentials

extension UUID {
    /// `8-4-4-4-12` lowercase hex, as PostgreSQL and the API print ids: the one text form of an id.
    /// (`uuidString` is uppercase and formats through `snprintf`, about a microsecond each; a batch
    /// answer prints tens of thousands.)
    public var lowercasedString: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 {
                        out[o] = UInt8(ascii: "-")
                        o += 1
                    }
                    out[o] = Hex.digits[Int(byte >> 4)]
                    out[o + 1] = Hex.digits[Int(byte & 0x0F)]
                    o += 2
                }
                return 36
            }
        }
    }

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
                guard let high = Hex.value(of: s[i]), let low = Hex.value(of: s[i + 1]) else { return nil }
                bytes[n] = high << 4 | low
                n += 1
                i += 2
            }
            return (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }
}
