import Foundation
import Testing
import TestSupport
@testable import HTTPServer
import Logging

/// gzip for large bodies, CORS for the configured origins, `traceparent` in the access log: the server's part of
/// API.md's integrator conventions, over loopback.
@Suite struct CompressionAndCORSTests {
    static let large = Array(("{\"items\":[" + (0..<200).map { "{\"n\":\($0),\"name\":\"row \($0)\"}" }.joined(separator: ",") + "]}").utf8)

    static func routes(_ router: inout Router) {
        router.add(.GET, "/large") { _ in .json(bytes: CompressionAndCORSTests.large) }
        router.add(.GET, "/small") { _ in .json(bytes: Array(#"{"ok":true}"#.utf8)) }
        router.add(.GET, "/empty") { _ in HTTPResponse(status: .noContent) }
        router.add(.POST, "/things") { _ in HTTPResponse(status: .created, headers: ["Location": "/things/1"]) }
        router.add(.GET, "/things/:id") { _ in .json(bytes: Array(#"{"id":1}"#.utf8)) }
    }

    @Test func compressesLargeBodiesWhenAskedAndNothingElse() async throws {
        try await withServer(routes: Self.routes) { client, _ in
            let gz = try await client.request("GET", "/large", headers: [("Accept-Encoding", "br, gzip;q=0.8")])
            #expect(gz.status == 200)
            #expect(gz.header("Content-Encoding") == "gzip")
            #expect(gz.header("Vary")?.contains("Accept-Encoding") == true)
            #expect(gz.body.count < Self.large.count)
            #expect(Gunzip.decode(gz.body) == Self.large)
            #expect(Int(gz.header("Content-Length") ?? "") == gz.body.count)

            // Not asked, refused with q=0, only other codings, or a HEAD: the plain body (still saying Vary).
            for headers in [[], [("Accept-Encoding", "gzip;q=0")], [("Accept-Encoding", "br, identity")], [("Accept-Encoding", "*;q=0")]] {
                let plain = try await client.request("GET", "/large", headers: headers)
                #expect(plain.header("Content-Encoding") == nil, "\(headers)")
                #expect(plain.body == Self.large)
                #expect(plain.header("Vary")?.contains("Accept-Encoding") == true)
            }
            let star = try await client.request("GET", "/large", headers: [("Accept-Encoding", "*")])
            #expect(star.header("Content-Encoding") == "gzip")
            let head = try await client.request("HEAD", "/large", headers: [("Accept-Encoding", "gzip")])
            #expect(head.header("Content-Encoding") == nil)
            #expect(Int(head.header("Content-Length") ?? "") == Self.large.count)

            // 1 KB and less, and bodiless answers, are never compressed.
            let small = try await client.request("GET", "/small", headers: [("Accept-Encoding", "gzip")])
            #expect(small.header("Content-Encoding") == nil && small.text == #"{"ok":true}"#)
            let empty = try await client.request("GET", "/empty", headers: [("Accept-Encoding", "gzip")])
            #expect(empty.status == 204 && empty.header("Content-Encoding") == nil)
        }
    }

    @Test func acceptEncodingFollowsQValues() {
        #expect(ResponseCompression.acceptsGzip("gzip"))
        #expect(ResponseCompression.acceptsGzip("deflate, GZIP;q=0.5"))
        #expect(ResponseCompression.acceptsGzip("x-gzip"))
        #expect(!ResponseCompression.acceptsGzip("gzip;q=0"))
        #expect(!ResponseCompression.acceptsGzip("gzip;q=0.000, *"))
        #expect(ResponseCompression.acceptsGzip("*;q=0.1"))
        #expect(!ResponseCompression.acceptsGzip("identity"))
        #expect(!ResponseCompression.acceptsGzip(""))
    }

    @Test func corsAnswersTheListedOriginsOnly() async throws {
        let allowed = "https://app.example.nl", other = "https://evil.example"
        try await withServer({ $0.cors = CORSPolicy(parsing: " https://app.example.nl/ , https://two.example.nl") }, routes: Self.routes) {
            client, _ in
            // A preflight from an allowed origin: the path's real methods, the request headers an integrator needs.
            let preflight = try await client.request(
                "OPTIONS", "/things",
                headers: [
                    ("Origin", allowed), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "idempotency-key"),
                ])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == allowed)
            #expect(preflight.header("Access-Control-Allow-Methods") == "POST, OPTIONS")
            #expect(preflight.header("Allow") == "POST, OPTIONS")
            let allowHeaders = preflight.header("Access-Control-Allow-Headers") ?? ""
            for name in ["Authorization", "Content-Type", "Idempotency-Key", "If-Match", "traceparent"] {
                #expect(allowHeaders.contains(name))
            }
            #expect(Int(preflight.header("Access-Control-Max-Age") ?? "") == 600)
            #expect(preflight.header("Vary")?.contains("Origin") == true)

            // A preflight from another origin: no CORS headers, so the browser refuses.
            let refused = try await client.request(
                "OPTIONS", "/things", headers: [("Origin", other), ("Access-Control-Request-Method", "POST")])
            #expect(refused.status == 204)
            #expect(refused.header("Access-Control-Allow-Origin") == nil && refused.header("Access-Control-Allow-Methods") == nil)
            #expect(refused.header("Allow") == "POST, OPTIONS")

            // Actual answers: the allowed origin is echoed and may read ETag, Location, the rate-limit headers.
            let created = try await client.request("POST", "/things", headers: [("Origin", allowed)])
            #expect(created.header("Access-Control-Allow-Origin") == allowed)
            let exposed = created.header("Access-Control-Expose-Headers") ?? ""
            for name in ["ETag", "Location", "Retry-After", "RateLimit-Remaining"] { #expect(exposed.contains(name)) }
            #expect(created.header("Vary")?.contains("Origin") == true)
            let second = try await client.request("GET", "/things/1", headers: [("Origin", "https://two.example.nl")])
            #expect(second.header("Access-Control-Allow-Origin") == "https://two.example.nl")
            let foreign = try await client.request("GET", "/things/1", headers: [("Origin", other)])
            #expect(foreign.status == 200 && foreign.header("Access-Control-Allow-Origin") == nil)
            #expect(foreign.header("Access-Control-Expose-Headers") == nil)
            // Errors the server answers itself carry them too (a script can read the problem).
            let missing = try await client.request("GET", "/nothing", headers: [("Origin", allowed)])
            #expect(missing.status == 404 && missing.header("Access-Control-Allow-Origin") == allowed)
        }
        // Without CORS_ORIGINS: no CORS headers at all.
        try await withServer(routes: Self.routes) { client, _ in
            let r = try await client.request(
                "OPTIONS", "/things", headers: [("Origin", allowed), ("Access-Control-Request-Method", "POST")])
            #expect(r.header("Access-Control-Allow-Origin") == nil && r.header("Vary") == nil)
        }
    }

    @Test func keepsAValidTraceparentsTraceIdInTheAccessLogWithTypedValues() async throws {
        let logs = LogCapture()
        var configuration = ServerConfiguration(port: 0, eventLoopCount: 1)
        configuration.shutdownGracePeriod = .seconds(1)
        var router = Router()
        Self.routes(&router)
        let server = Server(configuration: configuration, router: router, logger: logs.logger(.info))
        let port = try server.start()
        let client = HTTPTestClient(port: port)
        let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        _ = try await client.request("GET", "/small", headers: [("X-Request-Id", "trace-1"), ("traceparent", trace)])
        // Invalid ones (all-zero trace id, upper case, version ff, wrong length) are not kept.
        for bad in [
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
        ] {
            _ = try await client.request("GET", "/small", headers: [("X-Request-Id", "trace-bad"), ("traceparent", bad)])
        }
        await server.shutdown()
        let line = try #require(logs.all.first { $0.contains("\"requestId\":\"trace-1\"") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["traceId"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(json["status"] as? Int == 200)
        #expect(json["bytes"] as? Int == 11)
        #expect(line.contains("\"status\":200") && line.contains("\"bytes\":11") && !line.contains("\"durationMs\":\""))
        let bad = logs.all.filter { $0.contains("\"requestId\":\"trace-bad\"") }
        #expect(bad.count == 4)
        #expect(bad.allSatisfy { !$0.contains("traceId") })
        // A later version keeps the fields it shares with 00.
        #expect(
            TraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future")?.header
                == trace.replacingOccurrences(of: "00-", with: "01-", options: .anchored))
    }

    @Test func typedLogFieldsStayNumbers() throws {
        let logs = LogCapture()
        logs.logger(.info).info("counted", ["count": .int(3), "ratio": .double(0.5), "ok": .bool(true), "name": "x", "gone": .null])
        let line = try #require(logs.all.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(
            json["count"] as? Int == 3 && json["ratio"] as? Double == 0.5 && json["ok"] as? Bool == true && json["name"] as? String == "x")
        #expect(json["gone"] == nil)
    }
}
