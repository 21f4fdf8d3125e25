/// Everything a connection is doing, as one pure state machine: events go in with the current time and
/// actions come out; the event loop performs them (read, parse, write, shut down, close) and calls
/// `tick(now:)` once `deadline` has passed. The clock is a parameter (monotonic nanoseconds), so tests
/// drive it by hand.
///
/// The state: `phase` (where the current request stands, and so which timeout runs), `response` (what
/// is owed to the client), what the socket said (`peerClosed`) and what was decided (`readPaused`,
/// `draining`, `lingerDiscarded`). `Connection` holds only buffers and the request's data.
public struct ConnectionStateMachine: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// Waiting for a request head: since accept, or since its first byte on a keep-alive connection.
        case readingHead(receivedBytes: Bool)
        /// Keep-alive connection between requests, nothing received.
        case idle
        case readingBody
        /// The request is in and being answered (the handler runs, or the response is being written):
        /// no deadline here (handlers own their time; shutdown bounds it).
        case processing
        /// A response is partly written and the socket is full.
        case writing
        /// Answered with a closing response, shut down our side, discarding input until the peer closes.
        case lingering
        case closed
    }

    /// What the connection owes the client for the request it is answering.
    public enum Response: Sendable, Equatable {
        case none
        /// The handler runs; its response comes back through `responseReady`.
        case handler
        /// A response is queued for the socket; after it the connection is kept or closed.
        case sending(keepAlive: Bool)
    }

    public enum Action: Sendable, Equatable {
        case none
        /// Close without a word (silent or idle client, stalled writer, lingering over, peer gone).
        case close
        /// Answer 408 then close (a request was started but not finished in time).
        case requestTimeout
    }

    /// What to do with input: bytes just read, or what is buffered after a burst of reads.
    public enum Input: Sendable, Equatable {
        /// Hand it to the parser (and parse what is buffered).
        case parse
        /// Lingering: throw it away.
        case discard
        case close
    }

    /// What to do once the queued output has fully left.
    public enum AfterOutput: Sendable, Equatable {
        /// Nothing changes (a 100 Continue left; the handler may still run).
        case none
        /// Kept alive: go on with the next request (parse what is buffered, or read).
        case nextRequest
        /// Shut down our side (SHUT_WR) and discard input until the peer closes or the linger timeout.
        case linger
        case close
    }

    public struct Timeouts: Sendable, Equatable {
        public var header: UInt64
        public var idle: UInt64
        public var body: UInt64
        public var write: UInt64
        public var linger: UInt64

        public init(header: Duration, idle: Duration, body: Duration, write: Duration, linger: Duration = .seconds(2)) {
            self.header = header.nanoseconds
            self.idle = idle.nanoseconds
            self.body = body.nanoseconds
            self.write = write.nanoseconds
            self.linger = linger.nanoseconds
        }
    }

    /// While a response is owed, reading stops once this much is buffered (a pipelining client waits).
    public static let pendingInputLimit = 64 << 10
    /// A lingering connection is closed once it has discarded more than this.
    public static let lingerDiscardLimit = 1 << 20

    public let timeouts: Timeouts
    public private(set) var phase: Phase
    /// When `tick` will act, in the same clock as `now`; nil while processing or closed.
    public private(set) var deadline: UInt64?
    public private(set) var response: Response = .none
    /// The peer closed its side: nothing more will be read.
    public private(set) var peerClosed = false
    /// Reading stopped with input possibly left in the socket (see `pendingInputLimit`). Epoll is
    /// edge-triggered and will not report that input again: read it when the response has left.
    public private(set) var readPaused = false
    /// Shutdown began: every response from now on closes the connection.
    public private(set) var draining = false
    /// Bytes thrown away while lingering.
    public private(set) var lingerDiscarded = 0

    /// A connection just accepted: the header timeout runs from now (a silent client is dropped).
    public init(timeouts: Timeouts, now: UInt64) {
        self.timeouts = timeouts
        phase = .readingHead(receivedBytes: false)
        deadline = now &+ timeouts.header
    }

    public var isClosed: Bool { phase == .closed }

    /// The next buffered request may be parsed: none is being answered, and the connection is not lingering or closed.
    public var takesRequests: Bool { response == .none && isOpen }

    /// A handler is running for this connection (its response is awaited).
    public var awaitsHandler: Bool { response == .handler }

    // MARK: - Reading

    /// Asked before each read: false (and reading pauses) while a response is owed and enough of the next
    /// requests is already buffered.
    public mutating func shouldRead(bufferedBytes: Int) -> Bool {
        guard response != .none, bufferedBytes >= Self.pendingInputLimit else { return true }
        readPaused = true
        return false
    }

    /// `count` bytes were read.
    public mutating func received(_ count: Int, now: UInt64) -> Input {
        switch phase {
        case .closed:
            return .discard
        case .lingering:
            lingerDiscarded += count
            guard lingerDiscarded > Self.lingerDiscardLimit else { return .discard }
            closed()
            return .close
        default:
            bytesReceived(now: now)
            return .parse
        }
    }

    /// The socket has nothing more for now (the read would block, or came back short).
    public mutating func inputDrained() {
        readPaused = false
    }

    /// A read returned 0: the peer closed its side.
    public mutating func endOfInput() {
        peerClosed = true
        readPaused = false
    }

    /// After a burst of reads: parse what is buffered, or (lingering) wait for more to discard, or close
    /// once the lingering peer has closed.
    public mutating func afterReading() -> Input {
        guard phase == .lingering else { return isClosed ? .discard : .parse }
        guard peerClosed else { return .discard }
        closed()
        return .close
    }

    /// The timing part of receiving bytes: the first byte of a request starts the header timeout.
    public mutating func bytesReceived(now: UInt64) {
        switch phase {
        case .idle:
            phase = .readingHead(receivedBytes: true)
            deadline = now &+ timeouts.header
        case .readingHead(receivedBytes: false):
            phase = .readingHead(receivedBytes: true)
        default:
            break
        }
    }

    // MARK: - Requests

    /// The parser needs more bytes. If the peer has closed, a partial request can never complete.
    public mutating func needsMoreInput() -> Action {
        guard peerClosed else { return .none }
        closed()
        return .close
    }

    public mutating func headReceived(now: UInt64, expectsBody: Bool) {
        guard isOpen else { return }
        if expectsBody {
            phase = .readingBody
            deadline = now &+ timeouts.body
        } else {
            phase = .processing
            deadline = nil
        }
    }

    public mutating func bodyReceived(now: UInt64) {
        guard isOpen else { return }
        phase = .processing
        deadline = nil
    }

    /// The request went to its handler (a task): nothing more is parsed until its response is written.
    public mutating func handlerStarted() {
        guard isOpen else { return }
        response = .handler
    }

    /// A response is ready to be written: the handler's, an immediate one, or an error (`closing`).
    /// Returns whether the connection stays open after it: the request asked for that, the response is not
    /// closing, the server is not draining and the peer has not closed.
    public mutating func responseReady(now: UInt64, requestKeepAlive: Bool, closing: Bool) -> Bool {
        let keepAlive = requestKeepAlive && !closing && !draining && !peerClosed
        guard isOpen else { return keepAlive }
        response = .sending(keepAlive: keepAlive)
        phase = .processing
        deadline = nil
        return keepAlive
    }

    // MARK: - Writing

    /// The socket refused part of the output: the write timeout runs (again, after each partial progress).
    /// While a body is being read only a 100 Continue can be waiting, and the body timeout covers it.
    public mutating func writeBlocked(now: UInt64) {
        guard isOpen, phase != .readingBody else { return }
        phase = .writing
        deadline = now &+ timeouts.write
    }

    /// The queued output has fully left. When that finished a response, the connection goes on to the next
    /// request, lingers, or closes; `bufferedBytes` says whether part of a next request is already buffered.
    public mutating func outputFlushed(now: UInt64, bufferedBytes: Bool) -> AfterOutput {
        guard isOpen, case .sending(let keepAlive) = response else { return .none }
        return responseWritten(now: now, keepAlive: keepAlive, bufferedBytes: bufferedBytes)
    }

    /// A response is fully written. With keep-alive the idle timeout runs, unless bytes of the next
    /// request are already buffered (pipelining), in which case the header timeout does. Without, the
    /// connection lingers (the peer reads our answer rather than a reset), or closes if the peer has.
    @discardableResult
    public mutating func responseWritten(now: UInt64, keepAlive: Bool, bufferedBytes: Bool) -> AfterOutput {
        guard isOpen else { return .none }
        response = .none
        if !keepAlive {
            if peerClosed {
                closed()
                return .close
            }
            startLingering(now: now)
            return .linger
        } else if bufferedBytes {
            phase = .readingHead(receivedBytes: true)
            deadline = now &+ timeouts.header
        } else {
            phase = .idle
            deadline = now &+ timeouts.idle
        }
        return .nextRequest
    }

    public mutating func startLingering(now: UInt64) {
        guard phase != .closed else { return }
        phase = .lingering
        deadline = now &+ timeouts.linger
    }

    // MARK: - Closing, shutdown, time

    public mutating func closed() {
        phase = .closed
        deadline = nil
    }

    /// Shutdown began: connections with no request under way close now; the others finish, and their
    /// responses close the connection.
    public mutating func drain(now: UInt64) -> Action {
        draining = true
        switch phase {
        case .idle, .readingHead(receivedBytes: false):
            closed()
            return .close
        default:
            return .none
        }
    }

    public mutating func tick(now: UInt64) -> Action {
        guard let deadline, now >= deadline else { return .none }
        let action: Action
        switch phase {
        case .readingHead(receivedBytes: true), .readingBody:
            action = .requestTimeout
        case .readingHead(receivedBytes: false), .idle, .writing, .lingering:
            action = .close
        case .processing, .closed:
            return .none
        }
        if action == .close {
            closed()
        } else {
            // The 408 is answered (`responseReady`), then the connection lingers.
            self.deadline = nil
        }
        return action
    }

    private var isOpen: Bool { phase != .closed && phase != .lingering }
}
