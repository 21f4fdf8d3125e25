import Glibc
import CLinuxSystem
import Synchronization
import Logging
import DatesAndIDs

extension EventLoop {
    /// Accepts what the listener has queued (up to 64 per turn), refusing connections over the global or
    /// the per-address cap with a 503 that says when to come back.
    func acceptConnections() {
        guard listenerFD >= 0 else { return }
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let result: IOResult<Int32>
            do {
                result = try syscall("accept4") {
                    withUnsafeMutablePointer(to: &storage) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { clinux_accept4(listenerFD, $0, &length) }
                    }
                }
            } catch {
                switch AcceptErrorPolicy.classify(error.errno) {
                case .retry:
                    continue
                case .backOff:
                    // Out of descriptors or memory: pause accepting (the backlog holds the clients) and keep serving.
                    context.logger.error("accept failed, pausing accepts", ["error": error.description, "loop": String(index)])
                    unregisterListener()
                    acceptResumeAt = context.now() &+ 100_000_000
                    return
                }
            }
            guard case .done(let fd) = result else { return }
            let open = context.metrics.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            if open > context.configuration.maxConnections {
                context.metrics.openConnections.wrappingSubtract(1, ordering: .relaxed)
                refuseOverCapacity(fd, "The server is at its connection limit.")
                continue
            }
            let remote = Socket.portAndAddress(&storage).address
            let counted = !context.configuration.trustedProxies.contains { $0.contains(remote) }
            if counted && !context.connectionsPerAddress.open(remote) {
                context.metrics.openConnections.wrappingSubtract(1, ordering: .relaxed)
                refuseOverCapacity(fd, "Too many connections from your address.")
                continue
            }
            try? Socket.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1, "setsockopt(TCP_NODELAY)")
            let id = nextConnectionID
            nextConnectionID = nextConnectionID == UInt32.max ? 1 : nextConnectionID + 1
            let now = context.now()
            let connection = Connection(
                fd: fd, id: id, remoteAddress: remote, countedPerAddress: counted, limits: context.configuration.limits,
                state: ConnectionStateMachine(timeouts: context.timeouts, now: now))
            let token = UInt64(UInt32(bitPattern: fd)) | UInt64(id) << 32
            let events = CLINUX_EPOLLIN | CLINUX_EPOLLOUT | CLINUX_EPOLLRDHUP | CLINUX_EPOLLET
            do {
                try blockingSyscall("epoll_ctl(add)") { clinux_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, events, token) }
            } catch {
                context.logger.error("epoll_ctl(add) failed", ["errno": String(error.errno)])
                try? closeDescriptor(fd)
                context.metrics.openConnections.wrappingSubtract(1, ordering: .relaxed)
                if counted { context.connectionsPerAddress.close(remote) }
                continue
            }
            connections[fd] = connection
            // Data often arrives with the handshake: read it now rather than after another epoll round.
            onReadable(connection)
        }
    }

    func refuseOverCapacity(_ fd: Int32, _ detail: String) {
        let now = context.now()
        if now &- lastOverloadLog > 1_000_000_000 {
            lastOverloadLog = now
            context.logger.warn(
                "connection limit reached, refusing connections",
                [
                    "limit": String(context.configuration.maxConnections),
                    "perAddress": String(context.configuration.maxConnectionsPerAddress),
                    "detail": detail,
                ])
        }
        let body = Problem(
            status: .serviceUnavailable, detail: detail, type: context.configuration.problemTypeURI(.serviceUnavailable)
        ).encodedBody()
        var response = HTTPResponse(
            status: .serviceUnavailable, headers: ["Content-Type": "application/problem+json", "Retry-After": "1"], body: body)
        response.headers["Retry-After"] = "1"
        var generator = random
        let bytes = ResponseEncoder.encode(
            response, requestId: RequestID.generate(using: &generator), date: dateCache.current(),
            keepAlive: false, http10KeepAlive: false, includeBody: true)
        random = generator
        // Best effort: a fresh socket's buffer takes it whole; a refused client that is gone changes nothing.
        bytes.withUnsafeBytes { raw in
            _ = try? syscall("send(refusal)") { Glibc.send(fd, raw.baseAddress, raw.count, CLINUX_MSG_NOSIGNAL) }
        }
        try? closeDescriptor(fd)
    }
}
