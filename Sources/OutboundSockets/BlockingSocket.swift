import Glibc
import Dispatch

/// Why an outbound connection failed. `description` names the step and never carries message content.
public enum OutboundError: Error, Sendable, CustomStringConvertible, Equatable {
    case resolve(host: String, reason: String)
    case system(call: String, errno: Int32)
    case timedOut(String)
    case closed
    case refusedAddress(String)

    public var description: String {
        switch self {
        case .resolve(let host, let reason): return "cannot resolve \(host): \(reason)"
        case .system(let call, let code): return "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .timedOut(let step): return "timed out during \(step)"
        case .closed: return "the peer closed the connection"
        case .refusedAddress(let why): return why
        }
    }
}

/// A resolved IPv4 or IPv6 address, kept as text and raw bytes so callers can check it before connecting.
public struct ResolvedAddress: Sendable, Hashable, CustomStringConvertible {
    public let family: Int32
    public let bytes: [UInt8]
    public let port: Int

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        bytes.withUnsafeBytes { raw in _ = inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Loopback, private (RFC 1918, ULA), link-local, unspecified, CGNAT or IPv4-mapped versions of those.
    public var isLoopbackOrPrivate: Bool {
        if family == AF_INET, bytes.count == 4 { return Self.privateV4(bytes) }
        guard bytes.count == 16 else { return true }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
        // IPv6 forms that carry an IPv4 address reach that address: judge it by its IPv4 part.
        if let v4 = Self.embeddedV4(bytes) { return Self.privateV4(v4) }
        if bytes[0] & 0xfe == 0xfc { return true }  // fc00::/7 unique local
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return true }  // fe80::/10 link-local
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0xc0 { return true }  // fec0::/10 site-local (deprecated)
        if bytes[0] == 0xff { return true }  // ff00::/8 multicast
        if bytes[0] == 0x01 && bytes[1..<8].allSatisfy({ $0 == 0 }) { return true }  // 100::/64 discard
        return false
    }

    /// The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64
    /// (64:ff9b::/96 and the local-use 64:ff9b:1::/48), 6to4 (2002:AABB:CCDD::/16) or Teredo
    /// (2001:0::/32, client address inverted in the last 32 bits) address; nil for other IPv6 addresses.
    static func embeddedV4(_ b: [UInt8]) -> [UInt8]? {
        let last4 = Array(b[12..<16])
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return last4 }  // mapped
        if b[0..<12].allSatisfy({ $0 == 0 }) { return last4 }  // compatible
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b {
            if b[4..<12].allSatisfy({ $0 == 0 }) { return last4 }  // 64:ff9b::/96
            if b[4] == 0x00 && b[5] == 0x01 { return last4 }  // 64:ff9b:1::/48
        }
        if b[0] == 0x20 && b[1] == 0x02 { return Array(b[2..<6]) }  // 6to4
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00 { return last4.map { ~$0 } }  // Teredo
        return nil
    }

    static func privateV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return true
        case (169, 254): return true
        case (172, 16...31): return true
        case (192, 168): return true
        case (100, 64...127): return true
        default: return b[0] >= 224
        }
    }

    /// All addresses of `host` (a name or a literal), TCP.
    public static func resolve(host: String, port: Int) throws(OutboundError) -> [ResolvedAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .resolve(host: host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }
        var out: [ResolvedAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let sa = info.pointee.ai_addr {
                if info.pointee.ai_family == AF_INET {
                    let bytes = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                        withUnsafeBytes(of: p.pointee.sin_addr) { Array($0) }
                    }
                    out.append(ResolvedAddress(family: AF_INET, bytes: bytes, port: port))
                } else if info.pointee.ai_family == AF_INET6 {
                    let bytes = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                        withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) }
                    }
                    out.append(ResolvedAddress(family: AF_INET6, bytes: bytes, port: port))
                }
            }
            cursor = info.pointee.ai_next
        }
        var seen = Set<ResolvedAddress>()
        return out.filter { seen.insert($0).inserted }
    }
}

/// A blocking TCP client socket with a deadline per operation. Use it only off Swift's cooperative
/// threads (see `BlockingIO`): every call may block for up to `timeout`.
public final class BlockingSocket {
    private var fd: Int32
    public let timeoutMilliseconds: Int32
    private var buffer: [UInt8] = []

    /// Connects to the first address that answers.
    public init(addresses: [ResolvedAddress], timeoutMilliseconds: Int32) throws(OutboundError) {
        self.timeoutMilliseconds = timeoutMilliseconds
        var lastError = OutboundError.resolve(host: "", reason: "no addresses")
        for address in addresses {
            do {
                fd = try Self.connect(address, timeoutMilliseconds)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }

    public func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }

    private static func connect(_ address: ResolvedAddress, _ timeout: Int32) throws(OutboundError) -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var rc: Int32
        if address.family == AF_INET {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = in_port_t(UInt16(address.port).bigEndian)
            withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: address.bytes) }
            rc = withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } else {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = in_port_t(UInt16(address.port).bigEndian)
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: address.bytes) }
            rc = withUnsafePointer(to: &sin6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        if rc != 0 {
            let code = errno
            guard code == EINPROGRESS || code == EINTR else { _ = Glibc.close(fd); throw .system(call: "connect", errno: code) }
            do { try wait(fd, events: Int16(POLLOUT), timeout, step: "connect") } catch { _ = Glibc.close(fd); throw error }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
            if soError != 0 { _ = Glibc.close(fd); throw .system(call: "connect", errno: soError) }
        }
        return fd
    }

    private static func wait(_ fd: Int32, events: Int16, _ timeout: Int32, step: String) throws(OutboundError) {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let n = poll(&p, 1, timeout)
            if n > 0 { return }
            if n == 0 { throw .timedOut(step) }
            if errno != EINTR { throw .system(call: "poll", errno: errno) }
        }
    }

    public func write(_ bytes: [UInt8]) throws(OutboundError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            let code = errno
            if n < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                try Self.wait(fd, events: Int16(POLLOUT), timeoutMilliseconds, step: "write"); continue
            }
            if n < 0 && code == EINTR { continue }
            throw .system(call: "send", errno: code)
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws(OutboundError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffer.append(contentsOf: chunk[0..<n]); return true }
            if n == 0 { return false }
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK {
                try Self.wait(fd, events: Int16(POLLIN), timeoutMilliseconds, step: "read"); continue
            }
            if code == EINTR { continue }
            throw .system(call: "recv", errno: code)
        }
    }

    /// One line without its CRLF (or LF). At most `limit` bytes.
    public func readLine(limit: Int = 65_536) throws(OutboundError) -> String {
        while true {
            if let lf = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<lf])
                buffer.removeSubrange(...lf)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if buffer.count > limit { throw .closed }
            guard try fill() else { throw .closed }
        }
    }

    /// Exactly `count` bytes.
    public func read(count: Int) throws(OutboundError) -> [UInt8] {
        while buffer.count < count { guard try fill() else { throw .closed } }
        let out = Array(buffer[..<count])
        buffer.removeSubrange(..<count)
        return out
    }

    /// Everything until the peer closes (bounded by `limit`).
    public func readToEnd(limit: Int) throws(OutboundError) -> [UInt8] {
        while buffer.count <= limit, try fill() {}
        let out = Array(buffer.prefix(limit))
        buffer.removeAll()
        return out
    }
}

/// Runs blocking work on a dedicated dispatch queue, never on Swift's cooperative threads.
public enum BlockingIO {
    public static func run<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}
