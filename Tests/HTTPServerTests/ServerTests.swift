import Foundation
import Synchronization
import Testing
import TestSupport
@testable import HTTPServer
import Logging

/// Collects log lines for assertions.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func logger(_ level: Logger.Level = .warn) -> Logger {
        Logger(level: level) { [self] line in lines.withLock { $0.append(line) } }
    }
}

struct SomeInternalError: Error, CustomStringConvertible {
    var description: String { "database password is hunter2" }
}

/// Starts a server on an ephemeral port with test routes, runs `body`, shuts the server down.
func withServer(
    _ configure: (inout ServerConfiguration) -> Void = { _ in },
    clock: ManualServerClock? = nil,
    routes: (inout Router) -> Void = { _ in },
    logs: LogCapture = LogCapture(),
    _ body: (HTTPTestClient, Server) async throws -> Void
) async throws {
    var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 2)
    configure(&configuration)
    var router = Router()
    router.add(.GET, "/hello") { _ in .text("hello") }
    router.add(.GET, "/healthz", immediate: { _ in .json(bytes: Array(#"{"status":"ok"}"#.utf8)) })
    router.add(.GET, "/inline", options: RouteOptions(inline: true)) { _ in .text("inline") }
    router.add(.GET, "/users/:id") { request in .json(bytes: Array("{\"id\":\"\(request.pathParameters["id"] ?? "")\"}".utf8)) }
    router.add(.POST, "/echo", options: RouteOptions(bodyLimit: 1024)) { request in
        HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: request.body)
    }
    router.add(.GET, "/slow") { request in
        let millis = Int(request.query("ms") ?? "1000") ?? 1000
        try await Task.sleep(for: .milliseconds(millis))
        return .text("slow done")
    }
    router.add(.GET, "/fail") { _ in throw SomeInternalError() }
    router.add(.GET, "/conflict") { _ in throw Problem(status: .conflict, detail: "already there") }
    router.add(.GET, "/limited", options: RouteOptions(rateLimited: true)) { _ in .text("ok") }
    router.add(.GET, "/request-id") { request in .text(request.requestId) }
    routes(&router)
    let server =
        if let clock {
            Server(configuration: configuration, router: router, logger: logs.logger(), clock: clock.reading)
        } else {
            Server(configuration: configuration, router: router, logger: logs.logger())
        }
    let port = try server.start()
    let client = HTTPTestClient(port: port)
    do {
        try await body(client, server)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Server over loopback", .serialized)
struct ServerTests {
    @Test func answersASimpleRequestWithTheStandardHeaders() async throws {
        try await withServer { client, _ in
            let response = try await client.request("GET", "/hello")
            #expect(response.status == 200)
            #expect(response.text == "hello")
            #expect(response.header("Content-Length") == "5")
            #expect(response.header("Date") != nil)
            #expect(response.header("X-Request-Id") != nil)
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        }
    }

    @Test func keepsAConnectionAliveForTwoRequests() async throws {
        try await withServer { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send(HTTPTestClient.encodeRequest("GET", "/hello", host: "x"))
            let first = try await connection.readResponse()
            try await connection.send(HTTPTestClient.encodeRequest("GET", "/users/7", host: "x"))
            let second = try await connection.readResponse()
            #expect(first.status == 200 && first.header("Connection") == nil)
            #expect(second.status == 200)
            #expect(second.text == #"{"id":"7"}"#)
        }
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        try await withServer { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            // The first is slow and the second fast: the answers must still come in request order.
            try await connection.send(
                HTTPTestClient.encodeRequest("GET", "/slow?ms=200", host: "x")
                    + HTTPTestClient.encodeRequest("GET", "/users/2", host: "x")
                    + HTTPTestClient.encodeRequest("GET", "/hello", host: "x"))
            let first = try await connection.readResponse()
            let second = try await connection.readResponse()
            let third = try await connection.readResponse()
            #expect(first.text == "slow done")
            #expect(second.text == #"{"id":"2"}"#)
            #expect(third.text == "hello")
        }
    }

    /// While a handler runs the server stops reading once 64 KiB of pipelined input is buffered; when the
    /// answer has left it must read the rest itself (edge-triggered epoll does not report it again).
    @Test(.timeLimit(.minutes(1)))
    func readsHeldBackPipelinedInputOnceTheResponseHasLeft() async throws {
        let gate = Gate()
        defer { gate.open() }
        try await withServer(routes: {
            $0.add(.GET, "/gated") { _ in
                await gate.pass(); return .text("first")
            }
        }) { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send(HTTPTestClient.encodeRequest("GET", "/gated", host: "x"))
            await gate.waitForHandlers(1)
            let count = 3000
            var pipelined: [UInt8] = []
            for _ in 0..<count { pipelined += HTTPTestClient.encodeRequest("GET", "/hello", host: "x") }
            #expect(pipelined.count > ConnectionStateMachine.pendingInputLimit + (16 << 10))
            try await connection.send(pipelined)  // the kernel's buffers hold what the server does not read yet
            gate.open()
            #expect(try await connection.readResponse().text == "first")
            var answered = 0
            for _ in 0..<count where try await connection.readResponse().text == "hello" { answered += 1 }
            #expect(answered == count)
        }
    }

    @Test func answersHEADWithoutABodyButWithContentLength() async throws {
        try await withServer { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send(
                HTTPTestClient.encodeRequest("HEAD", "/hello", host: "x")
                    + HTTPTestClient.encodeRequest("GET", "/hello", host: "x"))
            let head = try await connection.readResponse(method: "HEAD")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5")
            #expect(head.body.isEmpty)
            // The next response starts right after the head: no stray body bytes.
            let get = try await connection.readResponse()
            #expect(get.text == "hello")
        }
    }

    @Test func answersNotFoundAndMethodNotAllowedWithProblems() async throws {
        try await withServer { client, _ in
            let missing = try await client.request("GET", "/nothing")
            #expect(missing.status == 404)
            #expect(missing.header("Content-Type") == "application/problem+json")
            #expect(try missing.jsonObject()?["status"] as? Int == 404)
            let wrongMethod = try await client.request("DELETE", "/hello")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("Allow") == "GET, HEAD, OPTIONS")
            let options = try await client.request("OPTIONS", "/users/1")
            #expect(options.status == 204)
            #expect(options.header("Allow") == "GET, HEAD, OPTIONS")
        }
    }

    /// Sends `request`, expects one response with `status` and `Connection: close`, then the close.
    func expectAnsweredThenClosed(_ client: HTTPTestClient, _ request: [UInt8], status: Int) async throws {
        let connection = try await client.connect()
        defer { connection.close() }
        try await connection.send(request)
        let response = try await connection.readResponse()
        #expect(response.status == status)
        #expect(response.header("Connection") == "close")
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(try await connection.waitForClose(timeout: .seconds(5)))
    }

    @Test func answers413ForABodyOverTheRouteLimitThenCloses() async throws {
        try await withServer { client, _ in
            let body = [UInt8](repeating: 0x61, count: 2000)
            try await expectAnsweredThenClosed(client, HTTPTestClient.encodeRequest("POST", "/echo", host: "x", body: body), status: 413)
            let chunked =
                bytes("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7D0\r\n") + body + bytes("\r\n0\r\n\r\n")
            try await expectAnsweredThenClosed(client, chunked, status: 413)
        }
    }

    @Test func answers414ForALongRequestLineThenCloses() async throws {
        try await withServer { client, _ in
            let path = "/" + String(repeating: "a", count: 9000)
            try await expectAnsweredThenClosed(client, HTTPTestClient.encodeRequest("GET", path, host: "x"), status: 414)
        }
    }

    @Test func answers431ForLargeHeadersThenCloses() async throws {
        try await withServer { client, _ in
            let request = HTTPTestClient.encodeRequest(
                "GET", "/hello", host: "x", headers: [("X-Big", String(repeating: "b", count: 20000))])
            try await expectAnsweredThenClosed(client, request, status: 431)
        }
    }

    @Test func answers400ForSmugglingShapesThenCloses() async throws {
        try await withServer { client, _ in
            try await expectAnsweredThenClosed(
                client, bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                status: 400)
            try await expectAnsweredThenClosed(client, bytes("GET /hello HTTP/1.1\r\n\r\n"), status: 400)
            try await expectAnsweredThenClosed(client, bytes("GET /hello HTTP/2.0\r\nHost: x\r\n\r\n"), status: 505)
        }
    }

    /// After an error answer the server shuts its side down and discards what still comes, for at most the
    /// linger timeout (2 s) on its clock. The connection stays open (counted) until then.
    @Test(.timeLimit(.minutes(1)))
    func stopsLingeringAfterTheLingerTimeout() async throws {
        let clock = ManualServerClock()
        try await withServer({ $0.eventLoopCount = 1 }, clock: clock) { client, server in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send("GET /hello HTTP/1.1\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Connection") == "close")
            try await connection.send("bytes the server discards")
            #expect(server.metrics.currentOpenConnections == 1)
            var closed = false
            for _ in 0..<10 where !closed {
                clock.advance(by: .seconds(1))
                closed = try await eventually(attempts: 50) { server.metrics.currentOpenConnections == 0 }
            }
            #expect(closed)
        }
    }

    @Test func closesAConnectionThatSendsNothingAfterTheHeaderTimeout() async throws {
        try await withServer({ $0.headerTimeout = .milliseconds(300) }) { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            let start = ContinuousClock.now
            #expect(try await connection.waitForClose(timeout: .seconds(5)))
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(250))
            #expect(elapsed < .seconds(3))
        }
    }

    @Test func answers408ToASlowlorisHead() async throws {
        try await withServer({ $0.headerTimeout = .milliseconds(300) }) { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send("GET /hello HTTP/1.1\r\nHost: x\r\n")
            let response = try await connection.readResponse(timeout: .seconds(5))
            #expect(response.status == 408)
            #expect(try await connection.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test func answers408WhenTheBodyStalls() async throws {
        try await withServer({ $0.bodyTimeout = .milliseconds(300) }) { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            let response = try await connection.readResponse(timeout: .seconds(5))
            #expect(response.status == 408)
        }
    }

    @Test func closesAnIdleKeepAliveConnection() async throws {
        try await withServer({ $0.idleTimeout = .milliseconds(300) }) { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send(HTTPTestClient.encodeRequest("GET", "/hello", host: "x"))
            #expect(try await connection.readResponse().status == 200)
            #expect(try await connection.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test func threeHundredIdleConnectionsDoNotDelayANormalRequest() async throws {
        try await withServer({ $0.maxConnectionsPerAddress = 1_000 }) { client, server in
            var idle: [HTTPTestConnection] = []
            for _ in 0..<300 { idle.append(try await client.connect()) }
            defer { idle.forEach { $0.close() } }
            // Half of them send a partial head, like a slowloris would.
            for connection in idle.prefix(150) { try await connection.send("GET /hello HTTP/1.1\r\n") }
            let response = try await client.request("GET", "/hello")
            #expect(response.status == 200)
            #expect(server.metrics.currentOpenConnections >= 300)
        }
    }

    @Test func answersEveryRequestOf200ConcurrentClients() async throws {
        try await withServer { client, _ in
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for clientIndex in 0..<200 {
                    group.addTask {
                        var statuses: [Int] = []
                        let connection = try await client.connect()
                        defer { connection.close() }
                        for request in 0..<5 {
                            try await connection.send(HTTPTestClient.encodeRequest("GET", "/users/\(clientIndex)-\(request)", host: "x"))
                            let response = try await connection.readResponse()
                            #expect(response.text == #"{"id":"\#(clientIndex)-\#(request)"}"#)
                            statuses.append(response.status)
                        }
                        return statuses
                    }
                }
                var all: [Int] = []
                for try await statuses in group { all += statuses }
                return all
            }
            #expect(statuses.count == 1000)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
    }

    /// The slow handler waits at a gate until the fast requests are answered: they cannot have waited for it.
    @Test func aSlowHandlerDoesNotBlockAnotherConnection() async throws {
        let gate = Gate()
        defer { gate.open() }
        try await withServer(routes: {
            $0.add(.GET, "/gated") { _ in
                await gate.pass(); return .text("slow done")
            }
        }) { client, _ throws in
            async let slow = client.request("GET", "/gated")
            await gate.waitForHandlers(1)
            for _ in 0..<5 {
                #expect(try await client.request("GET", "/hello").status == 200)
            }
            #expect(gate.waiting == 1)
            gate.open()
            #expect(try await slow.text == "slow done")
        }
    }

    /// The server's clock stands still, so the grace period never runs out: only the finished request can
    /// end the shutdown (it would hang, up to the time limit, if shutdown waited for the grace period).
    /// One loop, so the idle connection's close shows that the loop answering the request is draining.
    @Test(.timeLimit(.minutes(1)))
    func gracefulShutdownFinishesAnInFlightRequest() async throws {
        var configuration = ServerConfiguration(port: 0, eventLoopCount: 1)
        configuration.shutdownGracePeriod = .seconds(5)
        let gate = Gate()
        defer { gate.open() }
        var router = Router()
        router.add(.GET, "/slow") { _ in
            await gate.pass()
            return .text("finished")
        }
        let clock = ManualServerClock()
        let server = Server(configuration: configuration, router: router, logger: LogCapture().logger(), clock: clock.reading)
        let port = try server.start()
        let client = HTTPTestClient(port: port)
        let idle = try await client.connect()
        defer { idle.close() }
        async let inFlight = client.request("GET", "/slow")
        await gate.waitForHandlers(1)
        #expect(try await eventually { server.metrics.currentOpenConnections == 2 })
        let shutdown = Task { await server.shutdown() }
        #expect(try await idle.waitForClose(timeout: .seconds(5)))
        gate.open()
        let response = try await inFlight
        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(response.header("Connection") == "close")
        await shutdown.value
        await #expect(throws: (any Error).self) { _ = try await client.request("GET", "/slow") }
        await server.shutdown()  // idempotent
    }

    /// The handler never finishes; shutdown returns once the server's clock passes the grace period.
    @Test(.timeLimit(.minutes(1)))
    func shutdownIsBoundedByTheGracePeriod() async throws {
        let clock = ManualServerClock()
        let gate = Gate()
        defer { gate.open() }
        try await withServer(
            {
                $0.shutdownGracePeriod = .milliseconds(300); $0.eventLoopCount = 1
            }, clock: clock,
            routes: {
                $0.add(.GET, "/gated") { _ in
                    await gate.pass(); return .text("too late")
                }
            }
        ) { client, server in
            let idle = try await client.connect()
            defer { idle.close() }
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send(HTTPTestClient.encodeRequest("GET", "/gated", host: "x"))
            await gate.waitForHandlers(1)
            #expect(try await eventually { server.metrics.currentOpenConnections == 2 })
            let shutdown = Task { await server.shutdown() }
            #expect(try await idle.waitForClose(timeout: .seconds(5)))  // draining: the deadline is set
            clock.advance(by: .milliseconds(300))
            await shutdown.value
            #expect(try await connection.waitForClose(timeout: .seconds(2)))
            #expect(gate.waiting == 1)  // the handler never answered
        }
    }

    @Test func rateLimitsWith429AndRetryAfter() async throws {
        try await withServer({ $0.rateLimit = RateLimit(requests: 3, per: .seconds(60)) }) { client, _ in
            for _ in 0..<3 { #expect(try await client.request("GET", "/limited").status == 200) }
            let limited = try await client.request("GET", "/limited")
            #expect(limited.status == 429)
            #expect((15...20).contains(Int(limited.header("Retry-After") ?? "") ?? 0))  // 20 s, less what refilled meanwhile
            #expect(limited.header("Content-Type") == "application/problem+json")
            // Routes without the option are not limited.
            #expect(try await client.request("GET", "/hello").status == 200)
        }
    }

    @Test func echoesASaneRequestIdAndGeneratesOtherwise() async throws {
        try await withServer { client, _ in
            let echoed = try await client.request("GET", "/request-id", headers: [("X-Request-Id", "abc-123")])
            #expect(echoed.header("X-Request-Id") == "abc-123")
            #expect(echoed.text == "abc-123")
            let generated = try await client.request("GET", "/request-id")
            let id = try #require(generated.header("X-Request-Id"))
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
            #expect(generated.text == id)
            let tooLong = try await client.request("GET", "/request-id", headers: [("X-Request-Id", String(repeating: "x", count: 200))])
            #expect(tooLong.header("X-Request-Id")?.count == 32)
            let missing = try await client.request("GET", "/nothing", headers: [("X-Request-Id", "on-errors-too")])
            #expect(missing.header("X-Request-Id") == "on-errors-too")
        }
    }

    @Test func sends100ContinueOnlyWhenTheBodyWillBeAccepted() async throws {
        try await withServer { client, _ in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try await connection.readResponse(includeInterim: true)
            #expect(interim.status == 100)
            try await connection.send("hello")
            let final = try await connection.readResponse()
            #expect(final.status == 200)
            #expect(final.text == "hello")

            let refused = try await client.connect()
            defer { refused.close() }
            try await refused.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
            let tooLarge = try await refused.readResponse(includeInterim: true)
            #expect(tooLarge.status == 413)
            #expect(try await refused.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test func decodesAChunkedRequestBody() async throws {
        try await withServer { client, _ in
            let response = try await client.request(
                "POST", "/echo", headers: [("Transfer-Encoding", "chunked")],
                body: bytes("5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n"))
            #expect(response.status == 200)
            #expect(response.text == "hello world")
        }
    }

    @Test func turnsAThrownNonHTTPErrorInto500WithoutInternals() async throws {
        let logs = LogCapture()
        try await withServer(logs: logs) { client, _ in
            let response = try await client.request("GET", "/fail", headers: [("X-Request-Id", "req-500")])
            #expect(response.status == 500)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(!response.text.contains("hunter2"))
            #expect(response.text.contains("req-500"))
            #expect(logs.all.contains { $0.contains("hunter2") && $0.contains("req-500") && $0.contains("\"level\":\"error\"") })
        }
    }

    @Test func rendersAThrownProblem() async throws {
        try await withServer { client, _ in
            let response = try await client.request("GET", "/conflict")
            #expect(response.status == 409)
            let json = try #require(try response.jsonObject())
            #expect(json["title"] as? String == "Conflict")
            #expect(json["detail"] as? String == "already there")
            #expect(json["type"] as? String == "about:blank")
        }
    }

    @Test func refusesConnectionsOverTheCapWith503() async throws {
        let logs = LogCapture()
        try await withServer(
            {
                $0.maxConnections = 2; $0.eventLoopCount = 1
            }, logs: logs
        ) { client, _ in
            let first = try await client.connect()
            let second = try await client.connect()
            defer { first.close(); second.close() }
            try await Task.sleep(for: .milliseconds(100))
            let refused = try await client.raw([], readTimeout: .seconds(2))
            #expect(String(decoding: refused, as: UTF8.self).hasPrefix("HTTP/1.1 503"))
            #expect(logs.all.contains { $0.contains("connection limit") })
            first.close()
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await client.request("GET", "/hello").status == 200)
        }
    }

    @Test func closesHTTP10ConnectionsUnlessKeepAliveAsked() async throws {
        try await withServer { client, _ in
            let raw = try await client.raw(bytes("GET /hello HTTP/1.0\r\n\r\n"), readTimeout: .seconds(5))
            let text = String(decoding: raw, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.contains("Connection: close\r\n"))
            #expect(text.hasSuffix("hello"))
        }
    }

    @Test func runsImmediateAndInlineRoutesAndCountsMetrics() async throws {
        try await withServer { client, server in
            let response = try await client.request("GET", "/healthz")
            #expect(response.text == #"{"status":"ok"}"#)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            #expect(try await client.request("GET", "/inline").text == "inline")
            let head = try await client.request("HEAD", "/healthz")
            #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == "15")
            _ = try await client.request("GET", "/users/5")
            let text = server.metrics.prometheusText()
            #expect(text.contains(#"http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
            #expect(text.contains(#"http_requests_total{route="/healthz",method="HEAD",status="200"} 1"#))
            #expect(text.contains(#"http_requests_total{route="/users/:id",method="GET",status="200"} 1"#))
            #expect(text.contains(#"http_request_duration_seconds_count{route="/healthz"} 2"#))
            #expect(text.contains("http_open_connections"))
        }
    }

    /// Path parameters can be link tokens or personal data: a matched request is logged by its route only.
    @Test func writesOneAccessLogLinePerRequestWithoutTheQueryOrPathParameters() async throws {
        let logs = LogCapture()
        var configuration = ServerConfiguration(port: 0, eventLoopCount: 1)
        configuration.shutdownGracePeriod = .seconds(1)
        var router = Router()
        router.add(.GET, "/users/:id") { _ in .text("x") }
        let server = Server(configuration: configuration, router: router, logger: logs.logger(.info))
        let port = try server.start()
        _ = try await HTTPTestClient(port: port).request("GET", "/users/9?email=secret%40x", headers: [("X-Request-Id", "log-1")])
        await server.shutdown()
        let line = try #require(logs.all.first { $0.contains("\"requestId\":\"log-1\"") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["msg"] as? String == "request")
        #expect(json["path"] == nil)
        #expect(!line.contains("/users/9"))
        #expect(json["route"] as? String == "/users/:id")
        #expect(json["status"] as? Int == 200)
        #expect(json["method"] as? String == "GET")
        #expect(json["remote"] as? String == "127.0.0.1")
        #expect(json["durationMs"] is Double && json["bytes"] as? Int == 1 && json["ts"] != nil)
        #expect(!line.contains("secret"))
    }

    @Test func closesConnectionsWhoseClientLeftMidRequest() async throws {
        try await withServer { client, server in
            for _ in 0..<20 {
                let connection = try await client.connect()
                try await connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
                connection.close()
            }
            #expect(try await client.request("GET", "/hello").status == 200)
            // The server noticed every EOF (none waits for a timeout).
            let deadline = ContinuousClock.now + .seconds(2)
            while server.metrics.currentOpenConnections > 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(server.metrics.currentOpenConnections == 0)
        }
    }
}

@Suite("Server pieces")
struct ServerPieceTests {
    @Test func acceptBacksOffOnResourceExhaustionAndRetriesOnAbort() {
        #expect(AcceptErrorPolicy.classify(EMFILE) == .backOff)
        #expect(AcceptErrorPolicy.classify(ENFILE) == .backOff)
        #expect(AcceptErrorPolicy.classify(ENOBUFS) == .backOff)
        #expect(AcceptErrorPolicy.classify(ENOMEM) == .backOff)
        #expect(AcceptErrorPolicy.classify(ECONNABORTED) == .retry)
        #expect(AcceptErrorPolicy.classify(EPROTO) == .retry)
    }

    @Test func loggerWritesOneEscapedJSONObjectPerLine() throws {
        let logs = LogCapture()
        logs.logger(.debug).log(.warn, "quote \" and\nnewline", ["k": "tab\there", "ctl": "\u{01}"])
        let line = try #require(logs.all.first)
        #expect(!line.contains("\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["msg"] as? String == "quote \" and\nnewline")
        #expect(json["k"] as? String == "tab\there")
        #expect(json["ctl"] as? String == "\u{01}")
        #expect(json["level"] as? String == "warn")
    }

    @Test func loggerDropsLinesBelowItsLevel() {
        let logs = LogCapture()
        logs.logger(.warn).log(.info, "quiet")
        #expect(logs.all.isEmpty)
    }

    @Test func rateLimiterRefillsAndStaysBounded() {
        let limiter = RateLimiter(RateLimit(requests: 2, per: .seconds(10), maxTrackedClients: 16))
        let second: UInt64 = 1_000_000_000
        #expect(limiter.acquire("a", now: 0) == .allowed(limit: 2, remaining: 1, resetSeconds: 5))
        #expect(limiter.acquire("a", now: 0) == .allowed(limit: 2, remaining: 0, resetSeconds: 10))
        #expect(limiter.acquire("a", now: 0) == .limited(limit: 2, retryAfter: 5))
        #expect(limiter.acquire("a", now: 5 * second) == .allowed(limit: 2, remaining: 0, resetSeconds: 10))
        for i in 0..<1000 { _ = limiter.acquire("client-\(i)", now: 6 * second) }
        #expect(limiter.trackedClients <= 16)
    }

    @Test func rateLimitBucketsAreSeparateAndCanChargeSeveralTokens() {
        let limiter = RateLimiter(
            RateLimit(requests: 2, per: .seconds(10)), buckets: ["numbers": RateLimit(requests: 100, per: .seconds(60))])
        _ = limiter.acquire(bucket: "public", key: "a", now: 0)
        _ = limiter.acquire(bucket: "public", key: "a", now: 0)
        #expect(limiter.acquire(bucket: "public", key: "a", now: 0) == .limited(limit: 2, retryAfter: 5))
        // Another bucket of the same address, and another key of the same bucket, are untouched.
        #expect(limiter.acquire(bucket: "numbers", key: "a", cost: 60, now: 0) == .allowed(limit: 100, remaining: 40, resetSeconds: 36))
        #expect(limiter.acquire(bucket: "public", key: "b", now: 0) == .allowed(limit: 2, remaining: 1, resetSeconds: 5))
        #expect(limiter.acquire(bucket: "numbers", key: "a", cost: 60, now: 0) == .limited(limit: 100, retryAfter: 12))
        #expect(limiter.acquire(bucket: "numbers", key: "z", cost: 101, now: 0) == .limited(limit: 100, retryAfter: 60))
        let headers = limiter.acquire(bucket: "public", key: "a", now: 0).headers
        #expect(headers["Retry-After"] == "5" && headers["RateLimit-Remaining"] == "0" && headers["RateLimit-Limit"] == "2")
    }

    @Test func headersAreOrderedAndCaseInsensitive() {
        var headers: HTTPHeaders = ["Content-Type": "a"]
        headers.add(name: "Set-Cookie", value: "1")
        headers.add(name: "set-cookie", value: "2")
        #expect(headers["content-type"] == "a")
        #expect(headers.values(for: "SET-COOKIE") == ["1", "2"])
        headers["Set-Cookie"] = "3"
        #expect(headers.values(for: "set-cookie") == ["3"])
        headers["CONTENT-TYPE"] = nil
        #expect(headers["Content-Type"] == nil)
        #expect(headers.map(\.name) == ["Set-Cookie"])
    }

    @Test func requestDecodesQueryItems() throws {
        let request = try #require(HTTPRequest(method: .GET, target: "/search?q=a+b%21&x=1&q=second&flag"))
        #expect(request.query("q") == "a b!")
        #expect(request.query("flag") == "")
        #expect(request.query("none") == nil)
        #expect(request.queryItems.map(\.name) == ["q", "x", "q", "flag"])
        #expect(request.path == "/search")
    }

    @Test func problemEncodesAsRFC9457() throws {
        let response = Problem(status: .unprocessableEntity, detail: "bad \"quoted\"\n\u{01}/", instance: "/x")
            .response(requestId: "r1")
        #expect(response.status.code == 422)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(json["type"] as? String == "about:blank")
        #expect(json["title"] as? String == "Unprocessable Content")
        #expect(json["status"] as? Int == 422)
        #expect(json["detail"] as? String == "bad \"quoted\"\n\u{01}/" && json["instance"] as? String == "/x")
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"{"detail":"bad \"quoted\"\n\u0001/","instance":"/x","status":422,"title":"Unprocessable Content","type":"about:blank"}"#
        )
    }
}
