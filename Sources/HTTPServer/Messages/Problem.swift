#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSONOutput

/// An error that renders its own response (status, headers, body). Anything thrown by a handler
/// that does not conform becomes a 500 problem carrying only the request id.
public protocol HTTPResponseError: Error {
    func response(requestId: String) -> HTTPResponse
}

/// RFC 9457 problem details, served as `application/problem+json`.
public struct Problem: Error, Sendable, Encodable, HTTPResponseError {
    /// "about:blank" or a URI naming the problem type.
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    /// Field-level validation errors (an extension member).
    public var errors: [FieldError]?
    public var instance: String?
    /// Extra response headers (`Allow`, `Retry-After`, `WWW-Authenticate`); not part of the body.
    public var headers: HTTPHeaders

    public struct FieldError: Sendable, Codable, Equatable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public init(status: HTTPStatus, title: String? = nil, detail: String? = nil, type: String? = nil,
                errors: [FieldError]? = nil, instance: String? = nil, headers: HTTPHeaders = [:]) {
        self.type = type ?? "about:blank"
        self.title = title ?? status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.errors = errors
        self.instance = instance
        self.headers = headers
    }

    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors, instance, requestId
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(detail, forKey: .detail)
        try container.encodeIfPresent(errors, forKey: .errors)
        try container.encodeIfPresent(instance, forKey: .instance)
    }

    /// The problem as a response; `requestId` goes in the `X-Request-Id` header (the server sets it too).
    public func response(requestId: String) -> HTTPResponse {
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
