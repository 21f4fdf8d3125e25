/// One client connection: its socket, buffers and current request. Owned and touched only by its event loop's thread.
final class Connection {
    /// What the server will do with the request whose head arrived.
    enum Disposition {
        case dispatch(Route, parameters: [String: String])
        /// Answer this without calling a handler (404, 405, OPTIONS, 429) once the body is read.
        case respond(HTTPResponse)
    }

    /// The request being read, handled or answered.
    struct Exchange {
        var method: HTTPMethod
        var target: String
        var path: String
        var headers: HTTPHeaders
        var minorVersion: Int
        var keepAlive: Bool
        var requestId: String
        var route: String
        var startedAt: UInt64
        var disposition: Disposition
        /// The client (the peer, or behind a trusted proxy the address it forwarded).
        var clientAddress: String
        /// Headers the server adds to the response (the rate limit's).
        var extraHeaders: HTTPHeaders?
    }

    let fd: Int32
    let id: UInt32
    let remoteAddress: String
    /// Whether this connection counts toward its address's connection cap (trusted proxies do not).
    let countedPerAddress: Bool
    /// Where the connection stands and what it does next: all its state (see `ConnectionStateMachine`).
    /// This class holds the buffers and the request's data, and the loop performs the machine's actions.
    var state: ConnectionStateMachine
    var parser: RequestParser
    /// The request being read, handled or answered: from its head until its response is queued.
    var exchange: Exchange?
    /// Its handler, cancelled if the connection closes first.
    var task: Task<Void, Never>?

    /// Bytes queued for the socket; `outputOffset` is how much of the first buffer has left.
    var output: [[UInt8]] = []
    var outputOffset = 0

    init(fd: Int32, id: UInt32, remoteAddress: String, countedPerAddress: Bool = false, limits: ParserLimits, state: ConnectionStateMachine)
    {
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        self.countedPerAddress = countedPerAddress
        self.parser = RequestParser(limits: limits)
        self.state = state
    }
}
