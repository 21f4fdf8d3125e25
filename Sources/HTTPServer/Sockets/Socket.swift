import Glibc
import CLinuxSystem

/// Socket setup and address helpers. All calls go through `syscall`/`blockingSyscall`.
enum Socket {
    static func cString(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A non-blocking listening socket with SO_REUSEADDR and SO_REUSEPORT (one per event loop).
    static func listen(host: String, port: Int, backlog: Int) throws -> (fd: Int32, port: Int) {
        let isIPv6 = host.contains(":")
        let family = isIPv6 ? AF_INET6 : AF_INET
        let fd = try blockingSyscall("socket") {
            socket(family, CLINUX_SOCK_STREAM | CLINUX_SOCK_NONBLOCK | CLINUX_SOCK_CLOEXEC, 0)
        }
        do {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)")
            try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "setsockopt(SO_REUSEPORT)")
            if isIPv6 {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = in_port_t(UInt16(port).bigEndian)
                guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                    throw SystemError(call: "inet_pton(\(host))", errno: EINVAL)
                }
                try withUnsafePointer(to: &address) { pointer in
                    try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                        _ = try blockingSyscall("bind") { bind(fd, sa, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
                    }
                }
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                let text = host == "localhost" ? "127.0.0.1" : host
                guard inet_pton(AF_INET, text, &address.sin_addr) == 1 else {
                    throw SystemError(call: "inet_pton(\(host))", errno: EINVAL)
                }
                try withUnsafePointer(to: &address) { pointer in
                    try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                        _ = try blockingSyscall("bind") { bind(fd, sa, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                }
            }
            try blockingSyscall("listen") { Glibc.listen(fd, Int32(backlog)) }
            return (fd, try boundPort(fd))
        } catch {
            try? closeDescriptor(fd)
            throw error
        }
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ call: StaticString) throws(SystemError) {
        var value = value
        try blockingSyscall(call) { setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) }
    }

    static func boundPort(_ fd: Int32) throws(SystemError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try blockingSyscall("getsockname") {
            withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
        }
        return portAndAddress(&storage).port
    }

    /// The IP text and port of an address filled by accept/getsockname.
    static func portAndAddress(_ storage: inout sockaddr_storage) -> (address: String, port: Int) {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var addr = sin.pointee.sin_addr
                    inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
                    return (cString(buffer), Int(UInt16(bigEndian: sin.pointee.sin_port)))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var addr = sin6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
                    var text = cString(buffer)
                    if text.hasPrefix("::ffff:"), text.contains(".") { text.removeFirst(7) }
                    return (text, Int(UInt16(bigEndian: sin6.pointee.sin6_port)))
                }
            }
        default:
            return ("unknown", 0)
        }
    }
}

/// What the accept loop does after an accept(2) failure. EMFILE/ENFILE/ENOBUFS/ENOMEM: stop accepting
/// for a moment (the queue waits, the loop keeps serving); ECONNABORTED and friends: next connection.
enum AcceptErrorPolicy: Equatable {
    case retry
    case backOff

    static func classify(_ code: Int32) -> AcceptErrorPolicy {
        switch code {
        case ECONNABORTED, EPROTO, EPERM, EINTR, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH:
            return .retry
        default:
            return .backOff
        }
    }
}
