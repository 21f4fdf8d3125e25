import Foundation
import Synchronization
import Glibc
import CLinuxSystem

/// Failures of the raw-socket test client.
public enum HTTPTestClientError: Error, CustomStringConvertible, Equatable {
    case system(call: String, errno: Int32)
    case timedOut
    case closedBeforeResponse
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .system(let call, let code): return "\(call) failed: errno \(code)"
        case .timedOut: return "timed out waiting for the server"
        case .closedBeforeResponse: return "connection closed before a complete response"
        case .malformedResponse(let why): return "malformed response: \(why)"
        }
    }
}

/// A response as read off the wire.
public struct TestResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    /// First value of a header, name compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body through JSONSerialization (dictionaries, arrays, numbers, strings, NSNull).
    public func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    }

    /// The body as a JSON object (`[String: Any]`), or nil when it is not one.
    public func jsonObject() throws -> [String: Any]? { try json() as? [String: Any] }

    /// The body decoded as `T` (ISO 8601 dates).
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(body))
    }
}

/// A raw-socket HTTP/1.1 client for tests. Each `request` opens a connection, sends
/// `Connection: close`, and reads the whole response.
///
/// Its blocking socket calls run on threads of their own, never on Swift's cooperative pool (which
/// has as many threads as cores, and the server's handler tasks need them).
public struct HTTPTestClient: Sendable {
    public let host: String
    public let port: Int

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Sends one request. Adds `Host`, `Connection: close` and `Content-Length` (when there is a body and
    /// neither `Content-Length` nor `Transfer-Encoding` was given). Interim 1xx responses are skipped.
    public func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> TestResponse {
        let bytes = HTTPTestClient.encodeRequest(method, path, host: "\(host):\(port)", headers: headers, body: body, close: true)
        let connection = try await HTTPTestConnection.open(host: host, port: port)
        defer { connection.close() }
        try await connection.send(bytes)
        return try await connection.readResponse(method: method, timeout: timeout)
    }

    /// Convenience for a JSON body (`Content-Type: application/json`).
    public func request(_ method: String, _ path: String, headers: [(String, String)] = [], json: some Encodable) async throws
        -> TestResponse
    {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let body = [UInt8](try encoder.encode(json))
        return try await request(method, path, headers: headers + [("Content-Type", "application/json")], body: body)
    }

    /// Writes `bytes` as they are and returns everything received until the server closes the
    /// connection or `readTimeout` passes without a byte.
    public func raw(_ bytes: [UInt8], readTimeout: Duration) async throws -> [UInt8] {
        let connection = try await HTTPTestConnection.open(host: host, port: port)
        defer { connection.close() }
        try await connection.send(bytes)
        return try await connection.readUntilClose(idleTimeout: readTimeout)
    }

    /// A persistent connection, for keep-alive, pipelining and timeout tests.
    public func connect() async throws -> HTTPTestConnection {
        try await HTTPTestConnection.open(host: host, port: port)
    }

    public static func encodeRequest(
        _ method: String, _ path: String, host: String, headers: [(String, String)] = [],
        body: [UInt8]? = nil, close: Bool = false
    ) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\n"
        let names = Set(headers.map { $0.0.lowercased() })
        if !names.contains("host") { text += "Host: \(host)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body, !names.contains("content-length"), !names.contains("transfer-encoding") {
            text += "Content-Length: \(body.count)\r\n"
        }
        if close && !names.contains("connection") { text += "Connection: close\r\n" }
        text += "\r\n"
        return Array(text.utf8) + (body ?? [])
    }
}

/// One client connection with a receive buffer (responses may arrive together when pipelining).
public final class HTTPTestConnection: Sendable {
    public let fd: Int32
    private let state = Mutex<(buffer: [UInt8], closed: Bool)>(([], false))

    private init(fd: Int32) { self.fd = fd }

    deinit { close() }

    public static func open(host: String, port: Int) async throws -> HTTPTestConnection {
        try await httpTestOffload {
            let fd = socket(AF_INET, CLINUX_SOCK_STREAM | CLINUX_SOCK_CLOEXEC, 0)
            if fd < 0 { throw HTTPTestClientError.system(call: "socket", errno: errno) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr)
            let result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result != 0 {
                let code = errno
                Glibc.close(fd)
                throw HTTPTestClientError.system(call: "connect", errno: code)
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return HTTPTestConnection(fd: fd)
        }
    }

    /// Closes the socket (idempotent).
    public func close() {
        let wasOpen = state.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        if wasOpen { Glibc.close(fd) }
    }

    /// Half-closes the sending side (the server sees EOF).
    public func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    public func send(_ bytes: [UInt8]) async throws {
        let fd = self.fd
        try await httpTestOffload {
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, CLINUX_MSG_NOSIGNAL)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw HTTPTestClientError.system(call: "send", errno: errno)
                    }
                    offset += n
                }
            }
        }
    }

    public func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    /// Reads one response (skipping interim 1xx ones unless `includeInterim`).
    public func readResponse(
        method: String = "GET", timeout: Duration = .seconds(30),
        includeInterim: Bool = false
    ) async throws -> TestResponse {
        try await httpTestOffload { [self] in
            let deadline = ContinuousClock.now + timeout
            while true {
                if let response = try self.parseBuffered(method: method, peerClosed: false) {
                    if response.status < 200 && !includeInterim { continue }
                    return response
                }
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { throw HTTPTestClientError.timedOut }
                let received = try self.receive(timeout: remaining)
                if received == 0 {
                    if let response = try self.parseBuffered(method: method, peerClosed: true) { return response }
                    throw HTTPTestClientError.closedBeforeResponse
                }
            }
        }
    }

    /// Everything until the peer closes, or until `idleTimeout` passes with no byte (then returns what came).
    public func readUntilClose(idleTimeout: Duration) async throws -> [UInt8] {
        try await httpTestOffload { [self] in
            while true {
                let received: Int
                do {
                    received = try self.receive(timeout: idleTimeout)
                } catch HTTPTestClientError.timedOut {
                    break
                } catch HTTPTestClientError.system(call: "recv", errno: ECONNRESET) {
                    break
                }
                if received == 0 { break }
            }
            return self.state.withLock { state in
                defer { state.buffer = [] }
                return state.buffer
            }
        }
    }

    /// True when the server closes the connection within `timeout` (bytes that arrive are kept).
    public func waitForClose(timeout: Duration) async throws -> Bool {
        try await httpTestOffload { [self] in
            let deadline = ContinuousClock.now + timeout
            while true {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { return false }
                do {
                    if try self.receive(timeout: remaining) == 0 { return true }
                } catch HTTPTestClientError.timedOut {
                    return false
                } catch HTTPTestClientError.system(call: "recv", errno: ECONNRESET) {
                    return true
                }
            }
        }
    }

    /// Waits up to `timeout` for bytes; returns how many arrived (0 = peer closed).
    private func receive(timeout: Duration) throws -> Int {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let millis = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        while true {
            let ready = poll(&pfd, 1, max(1, millis))
            if ready < 0 {
                if errno == EINTR { continue }
                throw HTTPTestClientError.system(call: "poll", errno: errno)
            }
            if ready == 0 { throw HTTPTestClientError.timedOut }
            break
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw HTTPTestClientError.system(call: "recv", errno: errno) }
        if n > 0 { state.withLock { $0.buffer.append(contentsOf: chunk[0..<n]) } }
        return n
    }

    /// Takes one complete response off the buffer, or nil when more bytes are needed.
    private func parseBuffered(method: String, peerClosed: Bool) throws -> TestResponse? {
        try state.withLock { state -> TestResponse? in
            let buffer = state.buffer
            guard let headEnd = Self.find([13, 10, 13, 10], in: buffer, from: 0) else { return nil }
            let headText = String(decoding: buffer[0..<headEnd], as: UTF8.self)
            var lines = headText.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst()
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
                throw HTTPTestClientError.malformedResponse("status line \(statusLine)")
            }
            let reason = parts.count > 2 ? String(parts[2]) : ""
            var headers: [(String, String)] = []
            for line in lines where !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { throw HTTPTestClientError.malformedResponse("header \(line)") }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            let bodyStart = headEnd + 4
            func value(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
            var body: [UInt8] = []
            var consumed = bodyStart
            if method == "HEAD" || status < 200 || status == 204 || status == 304 {
                // no body
            } else if value("transfer-encoding")?.lowercased().contains("chunked") == true {
                var index = bodyStart
                while true {
                    guard let lineEnd = Self.find([13, 10], in: buffer, from: index) else { return nil }
                    let sizeText = String(decoding: buffer[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                    guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                        throw HTTPTestClientError.malformedResponse("chunk size")
                    }
                    index = lineEnd + 2
                    if size == 0 {
                        guard let end = Self.find([13, 10, 13, 10], in: buffer, from: index - 2) else { return nil }
                        consumed = end + 4
                        break
                    }
                    guard buffer.count >= index + size + 2 else { return nil }
                    body.append(contentsOf: buffer[index..<index + size])
                    index += size + 2
                }
            } else if let lengthText = value("content-length") {
                guard let length = Int(lengthText) else { throw HTTPTestClientError.malformedResponse("Content-Length") }
                guard buffer.count >= bodyStart + length else { return nil }
                body = Array(buffer[bodyStart..<bodyStart + length])
                consumed = bodyStart + length
            } else {
                guard peerClosed else { return nil }
                body = Array(buffer[bodyStart...])
                consumed = buffer.count
            }
            state.buffer.removeFirst(consumed)
            return TestResponse(status: status, reason: reason, headers: headers, body: body)
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// Runs blocking work on a thread of its own and resumes the caller with the result.
func httpTestOffload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
