import FoundationEssentials
import DatesAndIDs

/// JSON scalars as bytes, formatted exactly as Foundation's JSONEncoder formats them.
enum ByteWriter {
    private static let hex: [UInt8] = Hex.digits

    /// A quoted string: `"` and `\` escaped, control characters as `\n`-style or `\u00XX` escapes,
    /// `/` and everything from U+007F up written as is (UTF-8).
    static func string(_ s: String, to out: ByteBuffer) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if runStart < i { out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(UInt8(ascii: "u")); out.append(UInt8(ascii: "0")); out.append(UInt8(ascii: "0"));
                    out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
                }
            }
            if runStart < bytes.count { out.append(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func integer<T: FixedWidthInteger>(_ value: T, to out: ByteBuffer) {
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        if T.isSigned, value < 0 {
            out.append(UInt8(ascii: "-"))
            // The magnitude also covers T.min, whose negation does not fit in T.
            unsigned(value.magnitude, to: out)
        } else {
            unsigned(value.magnitude, to: out)
        }
    }

    private static func unsigned<U: UnsignedInteger & FixedWidthInteger>(_ value: U, to out: ByteBuffer) {
        // Least significant digit first, then turned around in place: no temporary buffer.
        let first = out.count
        var v = UInt64(value)
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        out.reverseTail(from: first)
    }

    /// Shortest round-trip form as Swift prints it, without a trailing `.0` (`1`, `0.5`, `1e+20`).
    /// NaN and infinity have no JSON form: the caller throws.
    static func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T, to out: ByteBuffer) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(text)
    }

    /// RFC 3339 in UTC to the whole second (rounded down), as JSONEncoder's `.iso8601` strategy writes it.
    static func date(_ date: Date, to out: ByteBuffer) {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = CivilCalendar.date(days: Int(days))
        let (year, month, day) = (Int64(y), Int64(m), Int64(d))
        guard (1583...9999).contains(year) else {
            // Before the Gregorian calendar (Foundation switches to Julian dates) or past four digits:
            // Foundation's own formatting, as JSONEncoder writes them.
            string(date.formatted(Date.ISO8601FormatStyle()), to: out)
            return
        }
        out.append(UInt8(ascii: "\""))
        fixed(year, 4, out); out.append(UInt8(ascii: "-"))
        fixed(month, 2, out); out.append(UInt8(ascii: "-"))
        fixed(day, 2, out); out.append(UInt8(ascii: "T"))
        fixed(rest / 3600, 2, out); out.append(UInt8(ascii: ":"))
        fixed(rest / 60 % 60, 2, out); out.append(UInt8(ascii: ":"))
        fixed(rest % 60, 2, out)
        out.append(UInt8(ascii: "Z"))
        out.append(UInt8(ascii: "\""))
    }

    private static func fixed(_ value: Int64, _ width: Int, _ out: ByteBuffer) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }

}
