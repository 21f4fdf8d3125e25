import Glibc
import CLinuxSystem
import Logging

/// The HTTP exchange on a connection: read, parse, route, dispatch, answer in order, keep alive or close.
/// One request per connection is handled at a time, so pipelined requests are answered in order.
extension EventLoop {
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    func handle(events: UInt32, on connection: Connection) {
        if events & (CLINUX_EPOLLIN | CLINUX_EPOLLRDHUP | CLINUX_EPOLLHUP | CLINUX_EPOLLERR) != 0 {
            // After a hang-up the EOF needs a read of its own: no short-read shortcut then.
            onReadable(connection, untilWouldBlock: events & (CLINUX_EPOLLRDHUP | CLINUX_EPOLLHUP | CLINUX_EPOLLERR) != 0)
        }
        if !connection.state.isClosed, events & CLINUX_EPOLLOUT != 0, !connection.output.isEmpty {
            writeOut(connection)
            if connection.state.takesRequests { resume(connection) }
        }
    }

    // MARK: - Reading

    /// Reads until the socket is drained. Edge-triggered: a short read means the queue was empty, so a
    /// later arrival raises a new edge; but an EOF that came with the data is only seen by another read,
    /// hence `untilWouldBlock` when epoll reported a hang-up (its mask is computed when harvested).
    func onReadable(_ connection: Connection, untilWouldBlock: Bool = false) {
        guard !connection.state.isClosed else { return }
        let capacity = readBuffer.count
        while connection.state.shouldRead(bufferedBytes: connection.parser.bufferedByteCount) {
            let result: IOResult<Int>
            do {
                result = try syscall("read") { read(connection.fd, readBuffer.baseAddress, capacity) }
            } catch {
                closeConnection(connection)  // ECONNRESET and the like
                return
            }
            guard case .done(let count) = result else {
                connection.state.inputDrained()
                break
            }
            if count == 0 {
                connection.state.endOfInput()
                break
            }
            switch connection.state.received(count, now: context.now()) {
            case .parse:
                connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            case .discard:
                break
            case .close:
                closeConnection(connection)
                return
            }
            if count < capacity && !untilWouldBlock {
                connection.state.inputDrained()
                break
            }
        }
        switch connection.state.afterReading() {
        case .parse:
            processInput(connection)
        case .discard:
            break
        case .close:
            closeConnection(connection)
        }
    }

    /// Resumes after a response has left: read what was held back, or parse what is buffered.
    func resume(_ connection: Connection) {
        if connection.state.readPaused {
            onReadable(connection)
        } else {
            processInput(connection)
        }
    }

    /// Parses and handles buffered requests until one is waiting for its handler or more bytes are needed.
    func processInput(_ connection: Connection) {
        while connection.state.takesRequests {
            switch connection.parser.next() {
            case .needMore:
                if connection.state.needsMoreInput() == .close { closeConnection(connection) }
                return
            case .head(let head):
                onHead(head, connection)
            case .body(let body):
                onBody(body, connection)
            case .error(let error):
                respond(to: error, connection)
                return
            }
        }
    }

    // MARK: - Requests

    private func onHead(_ head: RequestHead, _ connection: Connection) {
        let now = context.now()
        connection.state.headReceived(now: now, expectsBody: head.framing != .none)
        let requestId = RequestID.sanitized(head.headers["X-Request-Id"]) ?? generateRequestID()
        let match: RouteMatch
        if head.target == "*" {
            match = .options(allowed: [.GET, .HEAD, .POST, .PUT, .PATCH, .DELETE, .OPTIONS])
        } else {
            match = context.router.match(method: head.method, rawPath: HTTPRequest.rawPath(of: head.target))
        }
        var route = "unmatched"
        let client = ClientAddress.resolve(
            peer: connection.remoteAddress, headers: head.headers, trusted: context.configuration.trustedProxies)
        var extraHeaders: HTTPHeaders?
        let disposition: Connection.Disposition
        var bodyLimit = context.configuration.limits.defaultBodyLimit
        switch match {
        case .matched(let matched, let parameters):
            route = matched.pattern
            bodyLimit = matched.options.bodyLimit
            var limitedFor: Int?
            if let policy = matched.options.rateLimit {
                var key = client
                if case .pathParameter(let name) = policy.key, let value = parameters[name] { key = value }
                let decision = context.rateLimiter.acquire(bucket: policy.bucket, key: key, now: now)
                extraHeaders = decision.headers
                if case .limited(_, let retryAfter) = decision { limitedFor = retryAfter }
            }
            if let retryAfter = limitedFor {
                disposition = .respond(
                    Problem(
                        status: .tooManyRequests, detail: "Too many requests; retry after \(retryAfter) s.",
                        type: context.configuration.problemTypeURI(.tooManyRequests), headers: extraHeaders ?? [:]
                    ).response(requestId: requestId))
                extraHeaders = nil
            } else {
                disposition = .dispatch(matched, parameters: parameters)
            }
        case .methodNotAllowed(let allowed):
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            disposition = .respond(
                Problem(
                    status: .methodNotAllowed, detail: "\(head.method) is not allowed here.",
                    type: context.configuration.problemTypeURI(.methodNotAllowed), headers: ["Allow": allow]
                ).response(requestId: requestId))
        case .options(let allowed):
            var headers: HTTPHeaders = ["Allow": allowed.map(\.rawValue).joined(separator: ", ")]
            if let preflight = context.configuration.cors.preflightHeaders(head.headers, allowed: allowed) {
                for (name, value) in preflight { headers[name] = value }
            }
            disposition = .respond(HTTPResponse(status: .noContent, headers: headers))
        case .notFound:
            disposition = .respond(
                Problem(
                    status: .notFound, detail: "No resource at this path.", type: context.configuration.problemTypeURI(.notFound)
                ).response(requestId: requestId))
        }
        connection.parser.setBodyLimit(bodyLimit)
        connection.exchange = Connection.Exchange(
            method: head.method, target: head.target, path: head.path, headers: head.headers,
            minorVersion: head.minorVersion, keepAlive: head.keepAlive, requestId: requestId, route: route,
            startedAt: now, disposition: disposition, clientAddress: client, extraHeaders: extraHeaders)

        if head.expectsContinue {
            if case .length(let length) = head.framing, length > min(bodyLimit, context.configuration.limits.maxBodyLimit) {
                respond(to: HTTPParseError(.payloadTooLarge, "Content-Length exceeds the limit of \(bodyLimit) bytes"), connection)
                return
            }
            if case .respond(let response) = disposition {
                // Answer without the body; the client may not send it, so the connection cannot be reused.
                finish(connection, with: response, closing: true)
                return
            }
            connection.output.append(Self.continueResponse)
            writeOut(connection)
        }
    }

    private func onBody(_ body: [UInt8], _ connection: Connection) {
        connection.state.bodyReceived(now: context.now())
        guard let exchange = connection.exchange else { return }
        switch exchange.disposition {
        case .respond(let response):
            finish(connection, with: response)
        case .dispatch(let route, let parameters):
            let request = HTTPRequest(
                method: exchange.method, target: exchange.target, path: exchange.path,
                headers: exchange.headers, body: body, remoteAddress: exchange.clientAddress,
                pathParameters: parameters, requestId: exchange.requestId)
            if let immediate = route.immediate {
                finish(connection, with: immediate(request))
                return
            }
            connection.state.handlerStarted()
            let handler = route.handler
            let logger = context.logger
            let pattern = route.pattern
            let internalErrorType = context.configuration.problemTypeURI(.internalServerError)
            let fd = connection.fd
            let id = connection.id
            let compression = context.configuration.compression
            let operation: @Sendable () async -> Void = { [self] in
                var response = await Self.invoke(handler, request, logger: logger, route: pattern, internalErrorType: internalErrorType)
                // Compressed here, off the loop's thread; `finish` compresses only the server's own answers.
                if compression {
                    ResponseCompression.apply(to: &response, acceptEncoding: request.headers["Accept-Encoding"], method: request.method)
                }
                self.complete(Completion(fd: fd, connectionID: id, response: response))
            }
            if route.options.inline {
                connection.task = Task(executorPreference: self, operation: operation)
            } else {
                connection.task = Task(operation: operation)
            }
        }
    }

    /// Runs a handler, turning thrown errors into responses (non-HTTP errors: a 500 that reveals nothing).
    static func invoke(
        _ handler: HTTPHandler, _ request: HTTPRequest, logger: Logger, route: String, internalErrorType: String? = nil
    ) async -> HTTPResponse {
        do {
            return try await handler(request)
        } catch let error as any HTTPResponseError {
            return error.response(requestId: request.requestId)
        } catch {
            logger.error(
                "handler failed",
                [
                    "requestId": .string(request.requestId), "route": .string(route),
                    "error": .string(String(describing: error)),
                    "traceId": request.traceParent.map { .string($0.traceId) } ?? .null,
                ])
            return Problem(
                status: .internalServerError,
                detail: "An internal error occurred. Request id: \(request.requestId)", type: internalErrorType
            )
            .response(requestId: request.requestId)
        }
    }

    /// A handler's response arrives back on the loop.
    func deliver(_ completion: Completion) {
        guard let connection = connections[completion.fd], connection.id == completion.connectionID,
            connection.state.awaitsHandler, connection.exchange != nil
        else { return }
        connection.task = nil
        finish(connection, with: completion.response)
        if connection.state.takesRequests { resume(connection) }
    }

    // MARK: - Responses

    /// Answers a request that could not be read, then closes (after lingering).
    func respond(to error: HTTPParseError, _ connection: Connection) {
        if connection.exchange == nil {
            connection.exchange = Connection.Exchange(
                method: HTTPMethod("-"), target: "-", path: "-", headers: [:], minorVersion: 1, keepAlive: false,
                requestId: generateRequestID(), route: "unmatched", startedAt: context.now(),
                disposition: .respond(HTTPResponse()), clientAddress: connection.remoteAddress)
        }
        let requestId = connection.exchange!.requestId
        finish(
            connection,
            with: Problem(status: error.status, detail: error.reason, type: context.configuration.problemTypeURI(error.status))
                .response(requestId: requestId),
            closing: true)
    }

    /// Encodes and writes the response of the current exchange; logs and counts it. A `closing` response
    /// (an error, a refused body) ends the connection whatever the request asked.
    func finish(_ connection: Connection, with handlerResponse: HTTPResponse, closing: Bool = false) {
        guard let exchange = connection.exchange else { return }
        var response = handlerResponse
        if let extra = exchange.extraHeaders {
            for (name, value) in extra where !response.headers.contains(name) { response.headers[name] = value }
        }
        if context.configuration.compression {
            ResponseCompression.apply(to: &response, acceptEncoding: exchange.headers["Accept-Encoding"], method: exchange.method)
        }
        context.configuration.cors.decorate(&response, requestHeaders: exchange.headers)
        connection.exchange = nil
        let now = context.now()
        let keepAlive = connection.state.responseReady(now: now, requestKeepAlive: exchange.keepAlive, closing: closing)
        let isHead = exchange.method == .HEAD
        let head = ResponseEncoder.encode(
            response, requestId: exchange.requestId, date: dateCache.current(),
            keepAlive: keepAlive, http10KeepAlive: keepAlive && exchange.minorVersion == 0,
            includeBody: !isHead)
        connection.output.append(head)
        let code = response.status.code
        if !isHead && response.body.count > ResponseEncoder.inlineBodyLimit && code != 204 && code != 304 {
            connection.output.append(response.body)
        }

        let seconds = Double(now &- exchange.startedAt) / 1e9
        context.metrics.record(shard: index, route: exchange.route, method: exchange.method, status: code, seconds: seconds)
        if context.logger.isEnabled(.info) {
            pendingLogLines.append(
                Logger.accessLine(
                    requestId: exchange.requestId, method: exchange.method.rawValue,
                    path: exchange.route == "unmatched" ? LoggedPath.redacted(exchange.path) : nil,
                    route: exchange.route, status: code, durationMs: Double(Int(seconds * 1e6)) / 1000,
                    bytes: response.body.count, remote: exchange.clientAddress,
                    traceId: exchange.headers["traceparent"].flatMap(TraceParent.init)?.traceId))
        }
        writeOut(connection)
    }

    /// Writes queued output; when a response has fully left, moves the connection on.
    func writeOut(_ connection: Connection) {
        while !connection.output.isEmpty {
            let result: IOResult<Int>
            do {
                result = try Self.write(connection)
            } catch {
                closeConnection(connection)  // EPIPE, ECONNRESET: the peer is gone
                return
            }
            guard case .done(var written) = result else {
                connection.state.writeBlocked(now: context.now())
                return
            }
            while written > 0 {
                let remaining = connection.output[0].count - connection.outputOffset
                if written >= remaining {
                    written -= remaining
                    connection.output.removeFirst()
                    connection.outputOffset = 0
                } else {
                    connection.outputOffset += written
                    written = 0
                }
            }
        }
        switch connection.state.outputFlushed(now: context.now(), bufferedBytes: connection.parser.bufferedByteCount > 0) {
        case .none, .nextRequest:
            break
        case .linger:
            // Half-close and discard input until the peer closes (or the linger timeout), so the peer
            // reads our last response instead of a reset caused by unread data.
            _ = try? blockingSyscall("shutdown") { shutdown(connection.fd, Int32(SHUT_WR)) }
            onReadable(connection)
        case .close:
            closeConnection(connection)
        }
    }

    private static func write(_ connection: Connection) throws -> IOResult<Int> {
        let offset = connection.outputOffset
        if connection.output.count == 1 {
            return try connection.output[0].withUnsafeBytes { raw in
                try syscall("send") { Glibc.send(connection.fd, raw.baseAddress! + offset, raw.count - offset, CLINUX_MSG_NOSIGNAL) }
            }
        }
        return try connection.output[0].withUnsafeBytes { first in
            try connection.output[1].withUnsafeBytes { second in
                var vectors = (
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress! + offset), iov_len: first.count - offset),
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count)
                )
                return try withUnsafePointer(to: &vectors) { pointer in
                    try pointer.withMemoryRebound(to: iovec.self, capacity: 2) { iov in
                        try syscall("sendmsg") { clinux_sendv(connection.fd, iov, 2) }
                    }
                }
            }
        }
    }

    func timerFired(_ connection: Connection, now: UInt64) {
        switch connection.state.tick(now: now) {
        case .none:
            break
        case .close:
            closeConnection(connection)
        case .requestTimeout:
            respond(to: HTTPParseError(.requestTimeout, "The request was not received in time."), connection)
        }
    }

    func drain(_ connection: Connection, now: UInt64) {
        if connection.state.drain(now: now) == .close { closeConnection(connection) }
    }
}
