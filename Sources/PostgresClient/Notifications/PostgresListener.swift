import CLibPQ
import Glibc
import Synchronization

/// One dedicated connection that `LISTEN`s on a channel and reports what arrives (PostgreSQL `LISTEN/NOTIFY`).
///
/// It runs on a POSIX thread of its own, never on Swift's cooperative pool: the thread waits in `poll(2)` on the
/// connection's socket (so a notification is read as soon as the server sends it, without a busy loop), then
/// `PQconsumeInput` and `PQnotifies` hand it over. `onEvent` is called on that thread, in order:
///
/// - `.listening` once `LISTEN` succeeded (after every reconnect too: notifications sent while no connection
///   listened are lost, so a consumer that caches must start afresh),
/// - `.notification` for each one received,
/// - `.lost` when the connection broke or could not be made; then it reconnects with a growing pause (up to 2 s).
///
/// `stop()` ends the thread within `pollInterval` and closes the connection.
public final class PostgresListener: Sendable {
    public enum Event: Sendable, Equatable {
        case listening
        case notification(channel: String, payload: String)
        case lost(reason: String)
    }

    public let channel: String
    private let parameters: [(String, String)]
    private let onEvent: @Sendable (Event) -> Void
    private let state = Mutex(State())
    /// How long one `poll` waits before the thread looks at `stop()` again.
    private let pollMillis: Int32

    private struct State {
        var started = false
        var stopped = false
        var listening = false
    }

    /// `channel`: lower-case letters, digits and `_` only (it is written into `LISTEN` as an identifier).
    public init(
        configuration: PostgresConfiguration, channel: String, pollInterval: Duration = .milliseconds(200),
        onEvent: @escaping @Sendable (Event) -> Void
    ) {
        precondition(
            !channel.isEmpty && channel.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 },
            "a channel name of lower-case letters, digits and _")
        var configuration = configuration
        configuration.applicationName += "-listen"
        self.parameters = configuration.libpqParameters
        self.channel = channel
        self.onEvent = onEvent
        self.pollMillis = Int32(max(10, PostgresConfiguration.milliseconds(pollInterval)))
    }

    /// True while a connection listens (between `.listening` and `.lost`).
    public var isListening: Bool { state.withLock { $0.listening } }

    /// Starts the thread (once; later calls do nothing).
    public func start() {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started && !state.stopped
        }
        guard first else { return }
        ListenerThread.start { [self] in run() }
    }

    /// Asks the thread to close the connection and end; it does within the poll interval.
    public func stop() {
        state.withLock { $0.stopped = true }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func run() {
        var pauseMillis: Int32 = 50
        while !isStopped {
            do {
                let handle = try PostgresHandle.connect(parameters)
                try listen(handle)
                pauseMillis = 50
                state.withLock { $0.listening = true }
                onEvent(.listening)
                let reason = receive(handle)
                state.withLock { $0.listening = false }
                onEvent(.lost(reason: reason))
            } catch {
                state.withLock { $0.listening = false }
                onEvent(.lost(reason: String(describing: error)))
            }
            // A pause before reconnecting, in small steps so that stop() is noticed.
            var waited: Int32 = 0
            while waited < pauseMillis && !isStopped {
                _ = poll(nil, 0, min(pollMillis, pauseMillis - waited))
                waited += pollMillis
            }
            pauseMillis = min(2_000, pauseMillis * 2)
        }
    }

    private func listen(_ handle: PostgresHandle) throws {
        let result = PQexec(handle.conn, "LISTEN \(channel)")
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw PostgresSession.error(from: result, conn: handle.conn)
        }
    }

    /// Waits for and hands over notifications until the connection breaks (returns why) or `stop()`.
    private func receive(_ handle: PostgresHandle) -> String {
        let conn = handle.conn
        var descriptor = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        while !isStopped {
            descriptor.revents = 0
            let ready = poll(&descriptor, 1, pollMillis)
            if ready < 0 {
                if errno == EINTR { continue }
                return "poll failed: errno \(errno)"
            }
            if ready == 0 { continue }
            if PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK {
                return PostgresHandle.message(conn) ?? "the connection was lost"
            }
            while let notification = PQnotifies(conn) {
                let channel = String(cString: notification.pointee.relname)
                let payload = notification.pointee.extra.map { String(cString: $0) } ?? ""
                PQfreemem(notification)
                onEvent(.notification(channel: channel, payload: payload))
            }
        }
        return "stopped"
    }
}

/// A detached POSIX thread (Foundation's Thread is not in FoundationEssentials).
private enum ListenerThread {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    static func start(_ body: @escaping @Sendable () -> Void) {
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { argument in
                Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
                return nil
            }, Unmanaged.passRetained(Box(body)).toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }
}
