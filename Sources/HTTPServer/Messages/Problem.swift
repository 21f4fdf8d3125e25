import DatesAndIDs
/// An error that renders its own response (status, headers, body). Anything thrown by a handler
/// that does not conform becomes a 500 problem carrying only the request id.
public protocol HTTPResponseError: Error {
    func response(requestId: String) -> HTTPResponse
}

/// The server's own error answers (404, 405, 429, 503, parse errors) as RFC 9457 problem details,
/// `application/problem+json`. Plain by design: problem types with field errors belong to the application.
public struct Problem: Error, Sendable, HTTPResponseError {
    /// "about:blank" or a URI naming the problem type.
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    /// Extra response headers (`Allow`, `Retry-After`, `WWW-Authenticate`); not part of the body.
    public var headers: HTTPHeaders

    public init(
        status: HTTPStatus, title: String? = nil, detail: String? = nil, type: String? = nil,
        instance: String? = nil, headers: HTTPHeaders = [:]
    ) {
        self.type = type ?? "about:blank"
        self.title = title ?? status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.instance = instance
        self.headers = headers
    }

    /// The problem as a response; `requestId` goes in the `X-Request-Id` header (the server sets it too).
    public func response(requestId: String) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(code: status), headers: headers, body: encodedBody())
        response.headers["Content-Type"] = "application/problem+json"
        if !requestId.isEmpty { response.headers["X-Request-Id"] = requestId }
        return response
    }

    /// `{"detail":…,"instance":…,"status":…,"title":…,"type":…}`: keys sorted, absent members left out.
    func encodedBody() -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        func member(_ key: String, _ value: String?) {
            guard let value else { return }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            Problem.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            Problem.appendString(value, to: &out)
        }
        member("detail", detail)
        member("instance", instance)
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: Array("\"status\":\(status)".utf8))
        member("title", title)
        member("type", type)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A JSON string: quotes, backslashes and control characters escaped as JSONEncoder does (slashes not).
    static func appendString(_ s: String, to out: inout [UInt8]) {
        let hex = Hex.digits
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0..<0x20: out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
