import FoundationEssentials
import DatesAndIDs

/// A plain-text UTF-8 message to one or more recipients.
public struct MailMessage: Sendable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var body: String
    public var date: Date
    /// Without angle brackets, e.g. `3f2a…@kraamzorg`. Stable per outbox row, so a resend after a crash
    /// carries the same id and receivers can tell it is the same message.
    public var messageId: String

    public init(from: String, to: [String], subject: String, body: String, date: Date = Date(), messageId: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageId = messageId
    }
}

/// Turns a message into the bytes of DATA (headers, blank line, body), CRLF line ends, not yet dot-stuffed.
public enum MailFormat {
    public static func render(_ m: MailMessage) -> [UInt8] {
        let (encoding, body) = bodyEncoding(m.body)
        var head = ""
        head += "Date: \(rfc5322Date(m.date))\r\n"
        head += "Message-ID: <\(m.messageId)>\r\n"
        head += "From: \(sanitize(m.from))\r\n"
        head += "To: \(m.to.map(sanitize).joined(separator: ", "))\r\n"
        head += "Subject: \(encodeHeader(sanitize(m.subject)))\r\n"
        head += "MIME-Version: 1.0\r\n"
        head += "Content-Type: text/plain; charset=utf-8\r\n"
        head += "Content-Transfer-Encoding: \(encoding)\r\n"
        head += "\r\n"
        return Array(head.utf8) + Array(body.utf8)
    }

    /// Header values never carry line breaks (header injection).
    static func sanitize(_ s: String) -> String {
        String(s.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : Character($0) })
    }

    /// RFC 2047 encoded-words (`=?utf-8?B?…?=`), each at most 75 characters, split on character
    /// boundaries; plain ASCII is left as is.
    public static func encodeHeader(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) && !value.contains("=?") { return value }
        var words: [String] = []
        var chunk: [UInt8] = []
        // 75 − len("=?utf-8?B?") − len("?=") = 63 base64 characters → 45 bytes per word (multiple of 3 keeps it tight).
        for ch in value {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// 7bit for short ASCII lines, else quoted-printable (safe through any relay, no 8BITMIME needed).
    static func bodyEncoding(_ body: String) -> (String, String) {
        let lines = normalizedLines(body)
        if lines.allSatisfy({ line in line.utf8.count <= 998 && line.utf8.allSatisfy { $0 < 0x80 } }) {
            return ("7bit", lines.map { $0 + "\r\n" }.joined())
        }
        return ("quoted-printable", lines.map { quotedPrintable($0) + "\r\n" }.joined())
    }

    /// Lines of the text, whatever its line ends were (CRLF, LF or a lone CR).
    static func normalizedLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if !previousCR { lines.append(current); current = "" }
                previousCR = false
            } else if scalar == "\r" {
                lines.append(current); current = ""
                previousCR = true
            } else {
                current.unicodeScalars.append(scalar)
                previousCR = false
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// One line, quoted-printable (RFC 2045), with soft breaks at 76 characters.
    public static func quotedPrintable(_ line: String) -> String {
        let hex = Hex.upperDigits
        var encoded: [[UInt8]] = []
        let bytes = Array(line.utf8)
        for (i, b) in bytes.enumerated() {
            let last = i == bytes.count - 1
            if (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || ((b == 0x20 || b == 0x09) && !last) {
                encoded.append([b])
            } else {
                encoded.append([UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 0xf)]])
            }
        }
        var out: [UInt8] = []
        var width = 0
        for token in encoded {
            if width + token.count > 75 {
                out += Array("=\r\n".utf8)
                width = 0
            }
            out += token
            width += token.count
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Normalises line ends to CRLF and doubles a leading "." on every line (RFC 5321 §4.5.2).
    public static func dotStuff(_ data: [UInt8]) -> [UInt8] { normalize(data, stuffing: true) }

    /// Normalises line ends to CRLF, ending with one: the message as libcurl sends it (it dot-stuffs itself)
    /// and as an `.eml` file holds it.
    public static func crlf(_ data: [UInt8]) -> [UInt8] { normalize(data, stuffing: false) }

    static func normalize(_ data: [UInt8], stuffing: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 64)
        var atLineStart = true
        var i = 0
        while i < data.count {
            let b = data[i]
            if b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n") {
                out += [13, 10]
                if b == UInt8(ascii: "\r"), i + 1 < data.count, data[i + 1] == UInt8(ascii: "\n") { i += 1 }
                atLineStart = true
            } else {
                if stuffing && atLineStart && b == UInt8(ascii: ".") { out.append(b) }
                out.append(b)
                atLineStart = false
            }
            i += 1
        }
        if !atLineStart || out.isEmpty { out += [13, 10] }
        return out
    }

    /// `EEE, dd MMM yyyy HH:mm:ss +0000` in UTC, by hand as DateFormatter (not in FoundationEssentials)
    /// wrote it: whole seconds, after rounding to the millisecond as CoreFoundation does.
    static func rfc5322Date(_ date: Date) -> String {
        let ms = ((date.timeIntervalSinceReferenceDate + 978307200) * 1000 + 0.5).rounded(.down)
        let seconds = Int((ms / 1000).rounded(.down))
        let (days, secondOfDay) = CivilCalendar.split(unixSeconds: seconds)
        let (year, month, day) = CivilCalendar.date(days: days)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func pad(_ v: Int, _ width: Int = 2) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let weekday = weekdays[((days % 7) + 7) % 7]
        return "\(weekday), \(pad(day)) \(months[month - 1]) \(pad(year, 4)) "
            + "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) +0000"
    }
}
