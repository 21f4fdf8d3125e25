/// How the body of a request is delimited.
public enum BodyFraming: Equatable, Sendable {
    case none
    case length(Int)
    case chunked
}

/// The parsed head of a request, before its body.
public struct RequestHead: Sendable {
    public var method: HTTPMethod
    /// Origin-form target (absolute-form is reduced to its path and query).
    public var target: String
    /// The percent-decoded path.
    public var path: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    public var headers: HTTPHeaders
    /// Whether the connection may stay open after this exchange (version default and `Connection`).
    public var keepAlive: Bool
    public var framing: BodyFraming
    /// `Expect: 100-continue` on an HTTP/1.1 request.
    public var expectsContinue: Bool
}
