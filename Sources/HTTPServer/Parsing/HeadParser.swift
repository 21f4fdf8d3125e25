import Glibc

/// Parses a complete head (request line through the empty line) in one pass.
enum HeadParser {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, requestLineEnd: Int, end: Int) -> Result<RequestHead, HTTPParseError>
    {
        // Request line: method SP target SP HTTP/x.y (requestLineEnd is the LF; CR before it).
        let lineEnd = requestLineEnd - 1
        var index = start
        while index < lineEnd, bytes[index] != 0x20 { index += 1 }
        let methodEnd = index
        guard methodEnd > start, methodEnd < lineEnd else { return .failure(.bad("malformed request line")) }
        if methodEnd - start > 32 { return .failure(.bad("method too long")) }
        for i in start..<methodEnd where !isTokenByte(bytes[i]) {
            return .failure(.bad("method is not a token"))
        }
        index += 1
        let targetStart = index
        while index < lineEnd, bytes[index] != 0x20 { index += 1 }
        let targetEnd = index
        guard targetEnd > targetStart, targetEnd < lineEnd else { return .failure(.bad("malformed request line")) }
        for i in targetStart..<targetEnd {
            let byte = bytes[i]
            if byte < 0x21 || byte > 0x7E { return .failure(.bad("invalid byte in request target")) }
        }
        let versionStart = targetEnd + 1
        let minorVersion: Int
        switch parseVersion(bytes, from: versionStart, to: lineEnd) {
        case .failure(let error): return .failure(error)
        case .success(let minor): minorVersion = minor
        }

        let method = HTTPMethod.fromBytes(UnsafeBufferPointer(rebasing: bytes[start..<methodEnd]))
        var target = String(decoding: UnsafeBufferPointer(rebasing: bytes[targetStart..<targetEnd]), as: UTF8.self)
        if target.utf8.first != 0x2F {  // '/'
            if target == "*" {
                guard method == .OPTIONS else { return .failure(.bad("asterisk-form target is only for OPTIONS")) }
            } else if let originForm = originForm(ofAbsolute: target) {
                target = originForm
            } else {
                return .failure(.bad("request target must be origin-form"))
            }
        }
        let path: String
        if target == "*" {
            path = "*"
        } else {
            guard let decoded = HTTPRequest.decodePath(of: target) else {
                return .failure(.bad("invalid percent-encoding in the path"))
            }
            path = decoded
        }

        // Header fields.
        var headers = HTTPHeaders(reservingCapacity: 8)
        var contentLength: Int? = nil
        var transferEncodings = 0
        var chunked = false
        var hostCount = 0
        var connectionClose = false
        var connectionKeepAlive = false
        var expectsContinue = false

        var lineStart = requestLineEnd + 1
        while lineStart < end - 2 {
            // Find this line's CR (the head was checked: every LF is preceded by CR).
            var crIndex = lineStart
            while bytes[crIndex] != 0x0A { crIndex += 1 }
            crIndex -= 1
            let first = bytes[lineStart]
            if first == 0x20 || first == 0x09 { return .failure(.bad("obsolete line folding")) }
            var colon = lineStart
            while colon < crIndex, bytes[colon] != 0x3A {
                let byte = bytes[colon]
                if byte == 0x20 || byte == 0x09 { return .failure(.bad("whitespace in or after a header name")) }
                if !isTokenByte(byte) { return .failure(.bad("invalid byte in a header name")) }
                colon += 1
            }
            guard colon < crIndex else { return .failure(.bad("header line without a colon")) }
            if colon == lineStart { return .failure(.bad("empty header name")) }
            var valueStart = colon + 1
            var valueEnd = crIndex
            while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            for i in valueStart..<valueEnd {
                let byte = bytes[i]
                if (byte < 0x20 && byte != 0x09) || byte == 0x7F { return .failure(.bad("control byte in a header value")) }
            }
            let nameBytes = UnsafeBufferPointer(rebasing: bytes[lineStart..<colon])
            let valueBytes = UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd])
            let name = String(decoding: nameBytes, as: UTF8.self)
            let value = String(decoding: valueBytes, as: UTF8.self)

            switch nameBytes.count {
            case 4 where equalsLower(nameBytes, "host"):
                hostCount += 1
                if hostCount > 1 { return .failure(.bad("more than one Host header")) }
            case 6 where equalsLower(nameBytes, "expect"):
                if asciiEqualsLowercased(value[...].utf8, "100-continue") {
                    expectsContinue = true
                } else {
                    return .failure(HTTPParseError(.expectationFailed, "unsupported expectation"))
                }
            case 10 where equalsLower(nameBytes, "connection"):
                for token in value.split(separator: ",") {
                    let trimmed = token.trimmingOWS()
                    if asciiEqualsLowercased(trimmed.utf8, "close") {
                        connectionClose = true
                    } else if asciiEqualsLowercased(trimmed.utf8, "keep-alive") {
                        connectionKeepAlive = true
                    }
                }
            case 14 where equalsLower(nameBytes, "content-length"):
                for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let length = parseContentLength(element.trimmingOWS()) else {
                        return .failure(.bad("invalid Content-Length"))
                    }
                    if let existing = contentLength, existing != length {
                        return .failure(.bad("conflicting Content-Length values"))
                    }
                    contentLength = length
                }
            case 17 where equalsLower(nameBytes, "transfer-encoding"):
                for coding in value.split(separator: ",", omittingEmptySubsequences: false) {
                    transferEncodings += 1
                    chunked = asciiEqualsLowercased(coding.trimmingOWS().utf8, "chunked")
                    if !chunked || transferEncodings > 1 {
                        return .failure(.bad("unsupported Transfer-Encoding (only a single chunked is accepted)"))
                    }
                }
            default:
                break
            }
            headers.add(name: name, value: value)
            lineStart = crIndex + 2
        }

        if minorVersion == 1 && hostCount == 0 { return .failure(.bad("missing Host header")) }
        let framing: BodyFraming
        if transferEncodings > 0 {
            if minorVersion == 0 { return .failure(.bad("Transfer-Encoding in an HTTP/1.0 request")) }
            if contentLength != nil { return .failure(.bad("both Content-Length and Transfer-Encoding")) }
            framing = .chunked
        } else if let contentLength {
            framing = .length(contentLength)
        } else {
            framing = .none
        }
        let keepAlive = minorVersion == 1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        return .success(
            RequestHead(
                method: method, target: target, path: path, minorVersion: minorVersion,
                headers: headers, keepAlive: keepAlive, framing: framing,
                expectsContinue: expectsContinue && minorVersion == 1 && framing != .none))
    }

    private static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Result<Int, HTTPParseError> {
        // "HTTP/" DIGIT "." DIGIT
        guard end - start == 8,
            bytes[start] == 0x48, bytes[start + 1] == 0x54, bytes[start + 2] == 0x54, bytes[start + 3] == 0x50,
            bytes[start + 4] == 0x2F, bytes[start + 6] == 0x2E,
            isDigit(bytes[start + 5]), isDigit(bytes[start + 7])
        else {
            return .failure(.bad("malformed HTTP version"))
        }
        let major = bytes[start + 5] - 0x30, minor = bytes[start + 7] - 0x30
        guard major == 1, minor <= 1 else {
            return .failure(HTTPParseError(.httpVersionNotSupported, "HTTP version \(major).\(minor) is not supported"))
        }
        return .success(Int(minor))
    }

    private static func parseContentLength(_ text: Substring) -> Int? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 15 else { return nil }
        var value = 0
        for byte in utf8 {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// "http://host/path?q" → "/path?q".
    private static func originForm(ofAbsolute target: String) -> String? {
        let lower = target.lowercased()
        let schemeLength: Int
        if lower.hasPrefix("http://") { schemeLength = 7 } else if lower.hasPrefix("https://") { schemeLength = 8 } else { return nil }
        let rest = target.utf8.dropFirst(schemeLength)
        guard let slash = rest.firstIndex(where: { $0 == 0x2F || $0 == 0x3F }) else { return "/" }
        let tail = String(target[slash...])
        return tail.hasPrefix("?") ? "/" + tail : tail
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// tchar (RFC 9110 §5.6.2).
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    @inline(__always)
    private static func equalsLower(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let literal = lowercase.utf8Start
        for i in 0..<bytes.count where asciiLower(bytes[i]) != literal[i] { return false }
        return true
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (OWS).
    func trimmingOWS() -> Substring {
        var start = startIndex, end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return self[start..<end]
    }
}
