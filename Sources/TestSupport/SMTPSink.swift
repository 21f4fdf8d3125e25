import Foundation
import Synchronization
import CLinuxSystem
import Glibc

/// A real SMTP server for tests, on 127.0.0.1 and a free port, on a thread of its own. It speaks
/// enough of RFC 5321 for our client (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP,
/// QUIT) and keeps every message it accepted. While `down` it greets with 421 and hangs up.
public final class SMTPSink: Sendable {
    public struct Received: Sendable {
        public let mailFrom: String
        public let recipients: [String]
        /// The message as delivered: headers and body, CRLF line ends, dot-stuffing undone.
        public let data: String

        /// First value of a header (unfolded), name compared case-insensitively.
        public func header(_ name: String) -> String? {
            let head = data.components(separatedBy: "\r\n\r\n").first ?? ""
            var unfolded: [String] = []
            for line in head.components(separatedBy: "\r\n") {
                if line.hasPrefix(" ") || line.hasPrefix("\t"), !unfolded.isEmpty {
                    unfolded[unfolded.count - 1] += line
                } else {
                    unfolded.append(line)
                }
            }
            for line in unfolded {
                guard let colon = line.firstIndex(of: ":") else { continue }
                if line[..<colon].lowercased() == name.lowercased() {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }

        /// The body with its transfer encoding undone (7bit or quoted-printable).
        public var decodedBody: String {
            let parts = data.components(separatedBy: "\r\n\r\n")
            let body = parts.dropFirst().joined(separator: "\r\n\r\n")
            guard header("Content-Transfer-Encoding")?.lowercased() == "quoted-printable" else { return body }
            return SMTPSink.decodeQuotedPrintable(body)
        }
    }

    public let port: Int
    private let listener: Int32
    private let state = Mutex<(messages: [Received], down: Bool, stopped: Bool, connections: Int)>(([], false, false, 0))

    public init() throws {
        (listener, port) = try LoopbackListener.open()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    public var messages: [Received] { state.withLock { $0.messages } }
    public var connectionCount: Int { state.withLock { $0.connections } }
    public func setDown(_ down: Bool) { state.withLock { $0.down = down } }

    public func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        LoopbackListener.acceptLoop(
            listener, stopped: { state.withLock { $0.stopped } }, accepted: { state.withLock { $0.connections += 1 } }
        ) { [self] client in serve(client) }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        func send(_ line: String) {
            let bytes = Array((line + "\r\n").utf8);
            _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        func readLine() -> String? {
            while true {
                if let i = buffer.firstIndex(of: 10) {
                    var line = Array(buffer[..<i]); buffer.removeSubrange(...i)
                    if line.last == 13 { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return nil }
                buffer += chunk[0..<n]
            }
        }
        if state.withLock({ $0.down }) { send("421 sink.test service not available"); return }
        send("220 sink.test ESMTP test sink")
        var from = "", recipients: [String] = []
        while let line = readLine() {
            let upper = line.uppercased()
            if upper.hasPrefix("EHLO") {
                send("250-sink.test greets you"); send("250-8BITMIME"); send("250 SIZE 10000000")
            } else if upper.hasPrefix("HELO") {
                send("250 sink.test")
            } else if upper.hasPrefix("MAIL FROM:") {
                // The address without ESMTP parameters (SIZE=…).
                from = String(line.dropFirst(10).prefix { $0 != " " }); recipients = []; send("250 OK")
            } else if upper.hasPrefix("RCPT TO:") {
                recipients.append(String(line.dropFirst(8))); send("250 OK")
            } else if upper == "DATA" {
                send("354 end with <CRLF>.<CRLF>")
                var lines: [String] = []
                while let l = readLine() {
                    if l == "." { break }
                    lines.append(l.hasPrefix(".") ? String(l.dropFirst()) : l)
                }
                let received = Received(mailFrom: from, recipients: recipients, data: lines.joined(separator: "\r\n"))
                state.withLock { $0.messages.append(received) }
                send("250 OK queued")
            } else if upper == "QUIT" {
                send("221 bye"); return
            } else if upper == "RSET" || upper == "NOOP" {
                send("250 OK")
            } else {
                send("502 not implemented")
            }
        }
    }

    public static func decodeQuotedPrintable(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "=") {
                if i + 2 < bytes.count, bytes[i + 1] == 13, bytes[i + 2] == 10 { i += 3; continue }
                if i + 2 < bytes.count, let v = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    out.append(v); i += 3; continue
                }
            }
            out.append(bytes[i]); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
