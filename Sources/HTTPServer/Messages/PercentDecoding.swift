import DatesAndIDs
/// Percent-decoding for paths and query components.
enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space when `plusAsSpace`). Returns nil on a malformed escape,
    /// on a decoded NUL, or when the result is not valid UTF-8.
    static func decode(_ input: Substring, plusAsSpace: Bool) -> String? {
        let utf8 = input.utf8
        // Fast path: nothing to decode.
        if !utf8.contains(where: { $0 == 0x25 || (plusAsSpace && $0 == 0x2B) }) { return String(input) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == 0x25 {
                guard let hi = iterator.next().flatMap(hexValue), let lo = iterator.next().flatMap(hexValue) else { return nil }
                let decoded = hi << 4 | lo
                if decoded == 0 { return nil }
                out.append(decoded)
            } else if plusAsSpace && byte == 0x2B {
                out.append(0x20)
            } else {
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Lenient variant for query values: a malformed escape keeps the raw text.
    static func decodeLenient(_ input: Substring, plusAsSpace: Bool) -> String {
        decode(input, plusAsSpace: plusAsSpace) ?? String(input)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? { Hex.value(of: byte) }
}
