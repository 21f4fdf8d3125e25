import Glibc
import Dispatch

/// Why an outbound address could not be used (resolving failed, or the address is refused).
public enum OutboundError: Error, Sendable, CustomStringConvertible, Equatable {
    case resolve(host: String, reason: String)
    case refusedAddress(String)

    public var description: String {
        switch self {
        case .resolve(let host, let reason): return "cannot resolve \(host): \(reason)"
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
