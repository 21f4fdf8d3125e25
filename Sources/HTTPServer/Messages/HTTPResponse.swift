import JSONOutput

/// A complete response. The server adds `Content-Length`, `Date`, `X-Request-Id` and, when it closes,
/// `Connection: close`; a handler's own `Content-Length`/`Transfer-Encoding`/`Connection` are replaced.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// JSON body (`application/json; charset=utf-8`). Dates are ISO 8601 strings. If encoding fails
    /// (a bug in an `Encodable` conformance), the answer is a 500 problem.
    public static func json(_ value: some Encodable, status: HTTPStatus = .ok) -> HTTPResponse {
        do {
            let body = try JSONOutputEncoder().encode(value)
            return HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
        } catch {
            return Problem(status: .internalServerError, detail: "The response could not be encoded.")
                .response(requestId: "")
        }
    }

    public static func text(_ s: String, status: HTTPStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: Array(s.utf8))
    }
}
