import CLinuxSystem
import Foundation
import Glibc

/// A listening TCP socket on 127.0.0.1 and an ephemeral port, for the test peers (SMTP sink, webhook receiver).
enum LoopbackListener {
    /// The listening descriptor and the port it was given.
    static func open(backlog: Int32 = 64) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            close(fd)
            throw HTTPTestClientError.system(call: "bind/listen", errno: errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// Accepts until the listener is closed (or `stopped` says so); `accepted` runs on this thread, then each client
    /// is served on a thread of its own.
    static func acceptLoop(
        _ listener: Int32, stopped: () -> Bool, accepted: () -> Void = {}, serve: @escaping @Sendable (Int32) -> Void
    ) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            if stopped() {
                close(client)
                return
            }
            accepted()
            Thread { serve(client) }.start()
        }
    }
}
