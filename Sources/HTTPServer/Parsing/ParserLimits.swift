/// Every limit the request parser enforces, with the status each one answers with.
public struct ParserLimits: Sendable, Equatable {
    /// Longest request line (method, target, version), without CRLF. Over it: 414. Default 8 KiB.
    public var maxRequestLineLength: Int
    /// Total size of the header section after the request line, CRLFs included. Over it: 431. Default 16 KiB.
    public var maxHeaderBytes: Int
    /// Most header fields in one request. Over it: 431. Default 100.
    public var maxHeaderCount: Int
    /// Body limit for routes that do not set their own (decoded size for chunked bodies). Over it: 413. Default 1 MiB.
    public var defaultBodyLimit: Int
    /// Upper bound for any route's `bodyLimit`. Default 10 MiB.
    public var maxBodyLimit: Int
    /// Longest chunk-size line (size and extensions). Over it: 400. Default 4 KiB.
    public var maxChunkLineLength: Int

    public init(
        maxRequestLineLength: Int = 8 << 10, maxHeaderBytes: Int = 16 << 10, maxHeaderCount: Int = 100,
        defaultBodyLimit: Int = 1 << 20, maxBodyLimit: Int = 10 << 20, maxChunkLineLength: Int = 4 << 10
    ) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.defaultBodyLimit = defaultBodyLimit
        self.maxBodyLimit = maxBodyLimit
        self.maxChunkLineLength = maxChunkLineLength
    }
}

/// Why a request could not be parsed, with the status to answer before closing.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    public var reason: String

    public init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.code): \(reason)" }

    static func bad(_ reason: String) -> HTTPParseError { HTTPParseError(.badRequest, reason) }
}
