import Glibc
import CLinuxSystem

/// The IMF-fixdate of the current second, recomputed at most once a second (one per loop).
struct DateCache {
    private var second: Int = -1
    private(set) var value: [UInt8] = []

    mutating func current() -> [UInt8] {
        var now = time(nil)
        if now != second {
            second = now
            var parts = tm()
            gmtime_r(&now, &parts)
            let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
            let text =
                "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
            value = Array(text.utf8)
        }
        return value
    }
}

/// Serializes a response head (and small bodies) into one buffer, so it leaves in one write.
enum ResponseEncoder {
    /// Bodies up to this size are copied behind the head; larger ones go out as a second iovec.
    static let inlineBodyLimit = 16 << 10

    /// Framing headers are the server's: a handler's own are dropped.
    @inline(__always)
    static func isServerOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return HTTPHeaders.equalNames(name, "Date")
        case 10: return HTTPHeaders.equalNames(name, "Connection") || HTTPHeaders.equalNames(name, "Keep-Alive")
        case 12: return HTTPHeaders.equalNames(name, "X-Request-Id")
        case 14: return HTTPHeaders.equalNames(name, "Content-Length")
        case 17: return HTTPHeaders.equalNames(name, "Transfer-Encoding")
        default: return false
        }
    }

    /// - Parameters:
    ///   - bodyLength: what `Content-Length` says (for HEAD: the GET body's length).
    ///   - includeBody: false for HEAD and bodiless statuses.
    static func encode(
        _ response: HTTPResponse, requestId: String, date: [UInt8], keepAlive: Bool,
        http10KeepAlive: Bool, includeBody: Bool
    ) -> [UInt8] {
        let code = response.status.code
        let bodyless = code == 204 || code == 304 || code < 200
        var out: [UInt8] = []
        let inlineBody = includeBody && !bodyless && response.body.count <= inlineBodyLimit
        out.reserveCapacity(160 + response.headers.count * 40 + (inlineBody ? response.body.count : 0))
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(code, to: &out)
        out.append(0x20)
        out.append(contentsOf: response.status.reasonPhrase.utf8)
        out.append(0x0D); out.append(0x0A)
        for field in response.headers where !isServerOwned(field.name) {
            // A handler's header value must not carry CR/LF (response splitting): such a field is dropped.
            if field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) { continue }
            out.append(contentsOf: field.name.utf8)
            out.append(0x3A); out.append(0x20)
            out.append(contentsOf: field.value.utf8)
            out.append(0x0D); out.append(0x0A)
        }
        if !bodyless {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &out)
            out.append(0x0D); out.append(0x0A)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(0x0D); out.append(0x0A)
        out.append(contentsOf: "X-Request-Id: ".utf8)
        out.append(contentsOf: requestId.utf8)
        out.append(0x0D); out.append(0x0A)
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if http10KeepAlive {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(0x0D); out.append(0x0A)
        if inlineBody { out.append(contentsOf: response.body) }
        return out
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value == 0 { out.append(0x30); return }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 {
                buffer[count] = UInt8(v % 10) + 0x30
                v /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }
}
