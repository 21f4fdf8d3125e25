/// A connection's timing as a pure state machine: events go in with the current time, and a deadline
/// comes out; `tick(now:)` says what to do when it has passed. The clock is a parameter (monotonic
/// nanoseconds), so tests drive it by hand.
public struct ConnectionStateMachine: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// Waiting for a request head: since accept, or since its first byte on a keep-alive connection.
        case readingHead(receivedBytes: Bool)
        /// Keep-alive connection between requests, nothing received.
        case idle
        case readingBody
        /// The handler is running: no deadline here (handlers own their time; shutdown bounds it).
        case processing
        /// A response is partly written and the socket is full.
        case writing
        /// Answered an error, shut down our side, discarding input until the peer closes.
        case lingering
        case closed
    }

    public enum Action: Sendable, Equatable {
        case none
        /// Close without a word (silent or idle client, stalled writer, lingering over).
        case close
        /// Answer 408 then close (a request was started but not finished in time).
        case requestTimeout
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

    public let timeouts: Timeouts
    public private(set) var phase: Phase
    /// When `tick` will act, in the same clock as `now`; nil while processing or closed.
    public private(set) var deadline: UInt64?

    /// A connection just accepted: the header timeout runs from now (a silent client is dropped).
    public init(timeouts: Timeouts, now: UInt64) {
        self.timeouts = timeouts
        phase = .readingHead(receivedBytes: false)
        deadline = now &+ timeouts.header
    }

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

    /// The socket refused part of a response; also call on each later partial progress.
    public mutating func writeBlocked(now: UInt64) {
        guard isOpen else { return }
        phase = .writing
        deadline = now &+ timeouts.write
    }

    /// A response is fully written. With keep-alive the idle timeout runs, unless bytes of the next
    /// request are already buffered (pipelining), in which case the header timeout does.
    public mutating func responseWritten(now: UInt64, keepAlive: Bool, bufferedBytes: Bool) {
        guard isOpen else { return }
        if !keepAlive {
            phase = .closed
            deadline = nil
        } else if bufferedBytes {
            phase = .readingHead(receivedBytes: true)
            deadline = now &+ timeouts.header
        } else {
            phase = .idle
            deadline = now &+ timeouts.idle
        }
    }

    public mutating func startLingering(now: UInt64) {
        guard phase != .closed else { return }
        phase = .lingering
        deadline = now &+ timeouts.linger
    }

    public mutating func closed() {
        phase = .closed
        deadline = nil
    }

    /// Shutdown began: connections with no request under way close now; the others finish.
    public mutating func drain(now: UInt64) -> Action {
        switch phase {
        case .idle, .readingHead(receivedBytes: false):
            phase = .closed
            deadline = nil
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
            phase = .closed
            self.deadline = nil
        } else {
            // The 408 is answered, then the connection lingers.
            self.deadline = nil
        }
        return action
    }

    private var isOpen: Bool { phase != .closed && phase != .lingering }
}
