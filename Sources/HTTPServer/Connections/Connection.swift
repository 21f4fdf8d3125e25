/// One client connection. Owned and touched only by its event loop's thread.
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
    }

    let fd: Int32
    let id: UInt32
    let remoteAddress: String
    var parser: RequestParser
    var timer: ConnectionStateMachine
    var exchange: Exchange?
    var task: Task<Void, Never>?

    /// Bytes queued for the socket; `outputOffset` is how much of the first buffer has left.
    var output: [[UInt8]] = []
    var outputOffset = 0

    /// From dispatch (or an immediate answer) until the response has fully left.
    var awaitingResponse = false
    /// Keep the connection after the response being written?
    var responseKeepAlive = true
    /// An error was answered: close (lingering) once it is written.
    var closeAfterResponse = false
    /// Reading stopped because enough is buffered while a response is pending (edge-triggered: read again later).
    var readPending = false
    var peerClosed = false
    var lingering = false
    var lingerDiscarded = 0
    var isClosed = false

    init(fd: Int32, id: UInt32, remoteAddress: String, limits: ParserLimits, timer: ConnectionStateMachine) {
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        self.parser = RequestParser(limits: limits)
        self.timer = timer
    }
}
