import Foundation
import Synchronization
import CLinuxSystem
import Glibc

/// A webhook receiver for tests: a bare HTTP/1.1 server on 127.0.0.1 and a free port, on threads of its own
/// (no HTTPServer, so the jobs' tests need none). It answers the statuses in `script` in turn, then 200,
/// always with `Connection: close`, and keeps every request it read.
public final class WebhookReceiver: Sendable {
    public struct Hit: Sendable {
        public let body: [UInt8]
        public let signature: String?
        public let eventId: String?
        /// Every header field, names lowercased.
        public let headers: [String: String]
    }

    public let port: Int
    private let listener: Int32
    private let state: Mutex<(script: [Int], hits: [Hit], stopped: Bool)>

    public init(script: [Int] = []) throws {
        state = Mutex((script, [], false))
        (listener, port) = try LoopbackListener.open()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    public var hits: [Hit] { state.withLock { $0.hits } }
    public var url: String { "http://127.0.0.1:\(port)/hook" }

    public func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        LoopbackListener.acceptLoop(listener, stopped: { state.withLock { $0.stopped } }) { [self] client in serve(client) }
    }

    /// One request per connection: the head up to the blank line, then `Content-Length` bytes of body.
    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if buffer.count >= 4, let i = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<($0 + 4)]) == separator }) {
                headEnd = i; break
            }
            if !fill() { return }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd! + 4
        while buffer.count < bodyStart + length { if !fill() { return } }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        let status = state.withLock { s -> Int in
            s.hits.append(Hit(body: body, signature: headers["x-signature"], eventId: headers["x-event-id"], headers: headers))
            return s.script.isEmpty ? 200 : s.script.removeFirst()
        }
        let reply = Array("HTTP/1.1 \(status) Scripted\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8)
        _ = reply.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
