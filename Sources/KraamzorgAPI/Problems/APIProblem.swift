import FoundationEssentials
import HTTPServer
import JSONOutput

/// RFC 9457 problem details as this API answers them: the server's plain members plus field-level
/// errors (`errors`), served as `application/problem+json`.
struct APIProblem: Error, Sendable, Encodable, HTTPResponseError {
    /// "about:blank" or a URI naming the problem type.
    var type: String
    var title: String
    var status: Int
    var detail: String?
    /// Field-level validation errors (an extension member).
    var errors: [FieldError]?
    var instance: String?
    /// Extra response headers (`Allow`, `Retry-After`, `WWW-Authenticate`); not part of the body.
    var headers: HTTPHeaders

    struct FieldError: Sendable, Encodable, Equatable {
        var field: String
        var message: String
        /// A stable machine code for a rule's reason (e.g. `courseNotAccredited`); absent when there is none.
        var code: String?
        init(field: String, message: String, code: String? = nil) {
            self.field = field
            self.message = message
            self.code = code
        }
    }

    init(
        status: HTTPStatus, title: String? = nil, detail: String? = nil, type: String? = nil,
        errors: [FieldError]? = nil, instance: String? = nil, headers: HTTPHeaders = [:]
    ) {
        self.type = type ?? "about:blank"
        self.title = title ?? status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.errors = errors
        self.instance = instance
        self.headers = headers
    }

    /// The body's members: everything but `headers`; nil ones are left out.
    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors, instance
    }

    /// The problem as a response; `requestId` goes in the `X-Request-Id` header (the server sets it too).
    func response(requestId: String) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(code: status), headers: headers, body: encodedBody())
        response.headers["Content-Type"] = "application/problem+json"
        if !requestId.isEmpty { response.headers["X-Request-Id"] = requestId }
        return response
    }

    func encodedBody() -> [UInt8] {
        if let body = try? JSONOutputEncoder().encode(self) { return body }
        return Array(#"{"status":500,"title":"Internal Server Error","type":"about:blank"}"#.utf8)
    }
}
