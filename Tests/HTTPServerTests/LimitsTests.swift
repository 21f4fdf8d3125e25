import Foundation
import Testing
import TestSupport
@testable import HTTPServer

/// Fair limits: one address cannot take every connection, clients behind a trusted proxy are told apart,
/// route classes have their own buckets, and limited answers say when to come back.
@Suite("Limits") struct LimitsTests {
    @Test func oneAddressIsCappedWhileTheServerStillHasRoom() async throws {
        try await withServer({ $0.maxConnectionsPerAddress = 5 }) { client, server in
            var held: [HTTPTestConnection] = []
            for _ in 0..<5 { held.append(try await client.connect()) }
            defer { held.forEach { $0.close() } }
            // The sixth from the same address is refused with a problem and Retry-After.
            let refused = try await client.request("GET", "/hello")
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            #expect(try refused.jsonObject()?["detail"] as? String == "Too many connections from your address.")
            // Once one of the five leaves, the address is served again.
            held.removeFirst().close()
            var status = 0
            for _ in 0..<200 where status != 200 {
                status = try await client.request("GET", "/hello").status
                if status != 200 { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(status == 200)
            #expect(server.metrics.currentOpenConnections <= 5)
        }
    }

    @Test func aTrustedProxyIsNotCappedPerAddress() async throws {
        try await withServer({
            $0.maxConnectionsPerAddress = 2
            $0.trustedProxies = [AddressRange("127.0.0.0/8")!]
        }) { client, _ in
            var held: [HTTPTestConnection] = []
            for _ in 0..<4 { held.append(try await client.connect()) }
            defer { held.forEach { $0.close() } }
            #expect(try await client.request("GET", "/hello").status == 200)
        }
    }

    @Test func behindATrustedProxyEachForwardedClientHasItsOwnBucket() async throws {
        try await withServer({
            $0.rateLimit = RateLimit(requests: 2, per: .seconds(60))
            $0.trustedProxies = [AddressRange("127.0.0.1")!]
        }) { client, _ in
            for _ in 0..<2 {
                #expect(try await client.request("GET", "/limited", headers: [("X-Forwarded-For", "203.0.113.7")]).status == 200)
            }
            let limited = try await client.request("GET", "/limited", headers: [("X-Forwarded-For", "203.0.113.7")])
            #expect(limited.status == 429)
            // 30 s for one token at 2 a minute, less what refilled while the test ran.
            #expect((25...30).contains(Int(limited.header("Retry-After") ?? "") ?? 0) && limited.header("RateLimit-Remaining") == "0")
            // Another client behind the same proxy (RFC 7239 form) is not affected.
            let other = try await client.request("GET", "/limited", headers: [("Forwarded", #"for="[2001:db8::1]:443";proto=https"#)])
            #expect(other.status == 200)
            #expect(other.header("RateLimit-Limit") == "2" && other.header("RateLimit-Remaining") == "1")
        }
    }

    @Test func forwardedHeadersOfAnUntrustedPeerAreIgnored() async throws {
        try await withServer({ $0.rateLimit = RateLimit(requests: 2, per: .seconds(60)) }) { client, _ in
            for i in 0..<2 {
                let response = try await client.request("GET", "/limited", headers: [("X-Forwarded-For", "198.51.100.\(i)")])
                #expect(response.status == 200)
            }
            // A third "client" that only changed its header shares the peer's bucket.
            #expect(try await client.request("GET", "/limited", headers: [("X-Forwarded-For", "198.51.100.9")]).status == 429)
        }
    }

    @Test func aRouteClassKeyedByAPathParameterHasItsOwnBucketPerValue() async throws {
        let perLink = RouteOptions(rateLimit: RateLimitPolicy(bucket: "links", key: .pathParameter("token")))
        try await withServer(
            {
                $0.rateLimit = RateLimit(requests: 1, per: .seconds(60))
                $0.rateLimitBuckets = ["links": RateLimit(requests: 2, per: .seconds(60))]
            }, routes: { router in router.add(.GET, "/links/:token", options: perLink) { _ in .text("page") } }
        ) { (client: HTTPTestClient, _: Server) async throws in
            // The public bucket is used up; her own link still answers, twice, then only hers is limited.
            #expect(try await client.request("GET", "/limited").status == 200)
            #expect(try await client.request("GET", "/limited").status == 429)
            #expect(try await client.request("GET", "/links/abc").status == 200)
            #expect(try await client.request("GET", "/links/abc").status == 200)
            #expect(try await client.request("GET", "/links/abc").status == 429)
            #expect(try await client.request("GET", "/links/other").status == 200)
        }
    }

    @Test func clientAddressesAreReadFromTheNearestUntrustedHop() {
        let proxies = [AddressRange("10.0.0.0/8")!, AddressRange("fd00::/8")!]
        func resolve(_ peer: String, _ headers: HTTPHeaders) -> String {
            ClientAddress.resolve(peer: peer, headers: headers, trusted: proxies)
        }
        #expect(resolve("10.1.2.3", ["X-Forwarded-For": "203.0.113.5, 10.9.9.9"]) == "203.0.113.5")
        #expect(resolve("10.1.2.3", ["X-Forwarded-For": "6.6.6.6, 203.0.113.5"]) == "203.0.113.5")  // the spoofed left hop is not used
        #expect(resolve("192.0.2.1", ["X-Forwarded-For": "203.0.113.5"]) == "192.0.2.1")  // untrusted peer
        #expect(resolve("fd00::1", ["Forwarded": #"for="[2001:db8::7]:8443", for=10.0.0.2"#]) == "2001:db8::7")
        #expect(resolve("10.1.2.3", ["X-Forwarded-For": "unknown"]) == "10.1.2.3")
        #expect(resolve("10.1.2.3", ["X-Forwarded-For": "::ffff:203.0.113.9"]) == "203.0.113.9")
        #expect(resolve("10.1.2.3", [:]) == "10.1.2.3")
    }

    @Test func addressRangesParseCIDRAndRefuseJunk() {
        #expect(AddressRange("192.168.0.0/16")!.contains("192.168.44.1"))
        #expect(!AddressRange("192.168.0.0/16")!.contains("192.169.0.1"))
        #expect(AddressRange("::1")!.contains("::1") && !AddressRange("::1")!.contains("::2"))
        #expect(AddressRange("10.0.0.0/8")!.contains("::ffff:10.2.3.4"))
        for bad in ["10.0.0.0/33", "::/129", "nope", "10.0.0/8", ""] { #expect(AddressRange(bad) == nil, "\(bad)") }
        if case .failure(let f) = AddressRange.list("10.0.0.0/8, bad") { #expect(f.entry == "bad") } else { Issue.record("accepted junk") }
        #expect((try? AddressRange.list(" 10.0.0.0/8 ,fd00::/8").get())?.count == 2)
    }
}

@Suite struct LoggedPathTests {
    @Test func unmatchedPathsAreLoggedWithoutTokenLikeSegments() {
        #expect(LoggedPath.redacted("/aanmelding/3q2-7wEaXk1Vt0LmPq9sQz4uYb8NcDf2/x") == "/aanmelding/…/x")
        #expect(LoggedPath.redacted("/v1/clients/0b8a6f1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b") == "/v1/clients/…")
        #expect(LoggedPath.redacted("/v1/nothing-here") == "/v1/nothing-here")
        #expect(LoggedPath.redacted("/") == "/")
    }
}
