import FoundationEssentials
import HTTPServer
import JSONOutput

/// RFC 9457 problem details as this API answers them: the server's plain members plus field-level
/// errors (`errors`), served as `application/problem+json`.
struct APIProblem: Error, Sendable, HTTPResponseError {
    /// The problem type (`ProblemTypes.swift`); its URI is absolute under `PUBLIC_BASE_URL` when answered.
    /// Nil only for a status the table has no row for (then `about:blank`).
    var kind: ProblemType?
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
        status: HTTPStatus, title: String? = nil, detail: String? = nil, kind: ProblemType? = nil,
        errors: [FieldError]? = nil, instance: String? = nil, headers: HTTPHeaders = [:]
    ) {
        self.kind = kind ?? ProblemType.forStatus(status.code)
        self.title = title ?? status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.errors = errors
        self.instance = instance
        self.headers = headers
    }

    /// The problem's `type`: `<typeBase>/problems/<slug>` (typeBase is `PUBLIC_BASE_URL`), or `about:blank`.
    func typeURI(base: String) -> String { kind?.uri(base: base) ?? "about:blank" }

    /// The body's members, with the type resolved against `PUBLIC_BASE_URL`; nil ones are left out.
    struct Body: Sendable, Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String?
        var errors: [FieldError]?
        var instance: String?
    }

    func body(typeBase: String) -> Body {
        Body(type: typeURI(base: typeBase), title: title, status: status, detail: detail, errors: errors, instance: instance)
    }

    /// The problem as a response; `requestId` goes in the `X-Request-Id` header (the server sets it too).
    func response(requestId: String, typeBase: String) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(code: status), headers: headers, body: encodedBody(typeBase: typeBase))
        response.headers["Content-Type"] = "application/problem+json"
        if !requestId.isEmpty { response.headers["X-Request-Id"] = requestId }
        return response
    }

    /// Only for a problem that escapes the route builder (which answers with `PUBLIC_BASE_URL`): a relative type.
    func response(requestId: String) -> HTTPResponse { response(requestId: requestId, typeBase: "") }

    func encodedBody(typeBase: String) -> [UInt8] {
        if let body = try? JSONOutputEncoder().encode(body(typeBase: typeBase)) { return body }
        return Array(#"{"status":500,"title":"Internal Server Error","type":"about:blank"}"#.utf8)
    }
}
