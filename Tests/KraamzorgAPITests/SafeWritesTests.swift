import Foundation
import PostgresClient
import Testing
import TestSupport

/// Integrator conventions (API.md): `Idempotency-Key` on POSTs, `ETag`/`If-Match`/`If-None-Match`, gzip, the
/// Allow header, explicit nulls. Over real HTTP against real PostgreSQL.
@Suite struct SafeWritesTests {
    /// Raw bytes, so that a replay sends exactly the same body.
    func post(
        _ app: TestApp, _ path: String, token: String, key: String?, _ body: String, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var all = headers + [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
        if let key { all.append(("Idempotency-Key", key)) }
        return try await app.client.request("POST", path, headers: all, body: Array(body.utf8))
    }

    func errorFields(_ r: TestResponse) -> [String] {
        ((try? r.object()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
    }

    // MARK: Idempotency-Key

    @Test func replayingAPostWithItsKeyChangesNothingAndAnswersTheSame() async throws {
        let app = try await TestApp.shared.value
        let name = "Idem \(UUID().uuidString.prefix(8))", key = "create-\(UUID().uuidString)"
        let body = #"{"kind": "insurer", "name": "\#(name)"}"#
        let first = try await post(app, "/v1/organizations", token: app.adminToken, key: key, body)
        #expect(first.status == 201, "\(first.text)")
        #expect(first.header("Idempotent-Replayed") == nil)
        let second = try await post(app, "/v1/organizations", token: app.adminToken, key: key, body)
        #expect(second.status == 201)
        #expect(second.body == first.body)
        #expect(second.header("Location") == first.header("Location") && first.header("Location") != nil)
        #expect(second.header("Content-Type") == first.header("Content-Type"))
        #expect(second.header("Idempotent-Replayed") == "true")
        #expect(second.header("X-Request-Id") != first.header("X-Request-Id"))
        #expect(try await app.registerRows("organizations WHERE name = '\(name)'") == 1)

        // The same key with another body: 422 naming the header, nothing made.
        let other = try await post(app, "/v1/organizations", token: app.adminToken, key: key, #"{"kind": "insurer", "name": "\#(name) B"}"#)
        #expect(other.status == 422)
        #expect(other.header("Content-Type") == "application/problem+json")
        #expect(errorFields(other) == ["Idempotency-Key"])
        #expect(try await app.registerRows("organizations WHERE name LIKE '\(name)%'") == 1)
        // ... or another path.
        let elsewhere = try await post(app, "/v1/tokens", token: app.adminToken, key: key, body)
        #expect(elsewhere.status == 422)

        // Without a key, the same body makes another (the header is what makes a retry safe).
        #expect(try await post(app, "/v1/organizations", token: app.adminToken, key: nil, body).status == 201)
        #expect(try await app.registerRows("organizations WHERE name = '\(name)'") == 2)
    }

    @Test func keysBelongToOneMembership() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let a = try await app.user(role: "insurer", organizationId: org), b = try await app.user(role: "insurer", organizationId: org)
        let key = "token-\(UUID().uuidString)"
        let body = #"{"expiresInDays": 7}"#
        let fromA = try await post(app, "/v1/tokens", token: a.token, key: key, body)
        let fromB = try await post(app, "/v1/tokens", token: b.token, key: key, body)
        #expect(fromA.status == 201 && fromB.status == 201)
        let idA = try #require(try fromA.object()["id"] as? String), idB = try #require(try fromB.object()["id"] as? String)
        #expect(idA != idB)
        #expect(fromB.header("Idempotent-Replayed") == nil)
        // A's retry makes no second token; the first answer showed the secret once and is not kept: 409 saying
        // it was done, and where.
        let againA = try await post(app, "/v1/tokens", token: a.token, key: key, body)
        #expect(againA.status == 409)
        #expect(againA.header("Idempotent-Replayed") == "true")
        #expect(againA.header("Location") == "/v1/tokens/\(idA)")
        #expect(fromA.header("Cache-Control") == "no-store")
        let secretA = try #require(try fromA.object()["token"] as? String)
        #expect(!againA.text.contains(secretA))
        #expect(
            try await app.registerRows(
                "idempotency_keys WHERE key = '\(key)' AND (response_body IS NOT NULL OR response_headers LIKE '%\(secretA)%')") == 0)
        // Each membership: its first token and the one made with the key, once.
        for id in [a.id, b.id] {
            #expect(try await app.registerRows("api_tokens t JOIN memberships m ON m.id = t.membership_id WHERE m.user_id = '\(id)'") == 2)
        }
    }

    @Test func aKeyIsKeptForADayThenForgotten() async throws {
        let app = try await TestApp.shared.value
        let name = "Expiry \(UUID().uuidString.prefix(8))", key = "expiry-\(UUID().uuidString)"
        let body = #"{"kind": "insurer", "name": "\#(name)"}"#
        let first = try await post(app, "/v1/organizations", token: app.adminToken, key: key, body)
        #expect(first.status == 201)
        // 23 hours later: still a replay.
        _ = try await app.pool.execute("UPDATE idempotency_keys SET created_at = created_at - interval '23 hours' WHERE key = \(key)")
        #expect(try await post(app, "/v1/organizations", token: app.adminToken, key: key, body).header("Idempotent-Replayed") == "true")
        // Past 24 hours: the key is cleaned up when keys are next claimed, and the request runs again.
        _ = try await app.pool.execute(
            "UPDATE idempotency_keys SET created_at = created_at - interval '1 hour 1 minute' WHERE key = \(key)")
        let later = try await post(app, "/v1/organizations", token: app.adminToken, key: key, body)
        #expect(later.status == 201 && later.header("Idempotent-Replayed") == nil)
        #expect(try await app.registerRows("organizations WHERE name = '\(name)'") == 2)
        #expect(try await app.registerRows("idempotency_keys WHERE created_at < now() - interval '24 hours'") == 0)
    }

    @Test func aRequestStillRunningAnswers409AndABadKey400() async throws {
        let app = try await TestApp.shared.value
        let key = "running-\(UUID().uuidString)", body = #"{"kind": "insurer", "name": "Running \#(UUID().uuidString.prefix(8))"}"#
        #expect(try await post(app, "/v1/organizations", token: app.adminToken, key: key, body).status == 201)
        // As if the first request were still running: its row has no answer yet.
        _ = try await app.pool.execute("UPDATE idempotency_keys SET response_status = NULL WHERE key = \(key)")
        let running = try await post(app, "/v1/organizations", token: app.adminToken, key: key, body)
        #expect(running.status == 409)
        #expect(running.header("Retry-After") == "1")

        for bad in [String(repeating: "k", count: 256), "has space", "tab\tkey"] {
            let r = try await post(app, "/v1/organizations", token: app.adminToken, key: bad, body)
            #expect(r.status == 400, "\(bad)")
            #expect(errorFields(r) == ["Idempotency-Key"])
        }
        // A refusal that is final is kept too: the retry gets the same 400 without running.
        let invalid = #"{"kind": "nonsense", "name": "x"}"#, badKey = "bad-\(UUID().uuidString)"
        let refused = try await post(app, "/v1/organizations", token: app.adminToken, key: badKey, invalid)
        #expect(refused.status == 400)
        let replayed = try await post(app, "/v1/organizations", token: app.adminToken, key: badKey, invalid)
        #expect(replayed.status == 400 && replayed.body == refused.body && replayed.header("Idempotent-Replayed") == "true")
    }

    // MARK: ETag, If-Match, If-None-Match

    func etag(_ app: TestApp, _ path: String) async throws -> String {
        let r = try await app.admin("GET", path)
        #expect(r.status == 200)
        return try #require(r.header("ETag"))
    }

    func patch(_ app: TestApp, _ path: String, ifMatch: String?, _ body: String) async throws -> TestResponse {
        var headers = [("Authorization", "Bearer \(app.adminToken)"), ("Content-Type", "application/json")]
        if let ifMatch { headers.append(("If-Match", ifMatch)) }
        return try await app.client.request("PATCH", path, headers: headers, body: Array(body.utf8))
    }

    @Test func ifMatchGuardsAPatch() async throws {
        let app = try await TestApp.shared.value
        let name = "ETag \(UUID().uuidString.prefix(8))"
        let id = try await app.organization("insurer", name: name)
        let path = "/v1/organizations/\(id)"
        let tag = try await etag(app, path)
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 34)

        // If-None-Match with the current tag: 304, no body.
        let notModified = try await app.client.request(
            "GET", path, headers: [("Authorization", "Bearer \(app.adminToken)"), ("If-None-Match", tag)])
        #expect(notModified.status == 304 && notModified.body.isEmpty && notModified.header("ETag") == tag)

        let wrong = try await patch(app, path, ifMatch: "\"nope\"", #"{"name": "\#(name) changed"}"#)
        #expect(wrong.status == 412)
        #expect(wrong.header("Content-Type") == "application/problem+json")
        #expect(try await app.registerRows("organizations WHERE id = '\(id)' AND name = '\(name)'") == 1)
        // A weak tag never matches If-Match.
        #expect(try await patch(app, path, ifMatch: "W/\(tag)", #"{"name": "\#(name) weak"}"#).status == 412)

        let right = try await patch(app, path, ifMatch: "\"other\", \(tag)", #"{"name": "\#(name) changed"}"#)
        #expect(right.status == 200, "\(right.text)")
        let newTag = try #require(right.header("ETag"))
        #expect(newTag != tag)
        #expect(try await etag(app, path) == newTag)
        // The old tag is stale now.
        #expect(try await patch(app, path, ifMatch: tag, #"{"name": "\#(name) again"}"#).status == 412)
        #expect(try await patch(app, path, ifMatch: "*", #"{"name": "\#(name) star"}"#).status == 200)
        // Without If-Match, as before.
        #expect(try await patch(app, path, ifMatch: nil, #"{"name": "\#(name) plain"}"#).status == 200)
        // A resource that does not exist: If-Match: * fails.
        #expect(try await patch(app, "/v1/organizations/\(UUID())", ifMatch: "*", #"{"name": "x"}"#).status == 412)
    }

    @Test func concurrentWritesWithTheSameTagLetExactlyOneThrough() async throws {
        let app = try await TestApp.shared.value
        let id = try await app.organization("insurer")
        let path = "/v1/organizations/\(id)"
        let tag = try await etag(app, path)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<5 {
                group.addTask { try await patch(app, path, ifMatch: tag, #"{"name": "Race \#(n) \#(id.prefix(8))"}"#).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.sorted() == [200, 412, 412, 412, 412])
    }

    @Test func writesWithoutARepresentationAcceptOnlyAStar() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let user = try await app.user(role: "insurer", organizationId: org)
        let me = try await app.call("GET", "/v1/me", token: user.token)
        let tag = try #require(me.header("ETag"))
        let tokens = try await app.call("GET", "/v1/tokens", token: user.token)
        let tokenId = try #require(try app.items(tokens).first?["id"] as? String)
        // DELETE /v1/tokens/{id} has no GET of its own: a tag cannot match, `*` can.
        let refused = try await app.call("DELETE", "/v1/tokens/\(tokenId)", token: user.token, headers: [("If-Match", tag)])
        #expect(refused.status == 412)
        let deleted = try await app.call("DELETE", "/v1/tokens/\(tokenId)", token: user.token, headers: [("If-Match", "*")])
        #expect(deleted.status == 204 || deleted.status == 200, "\(deleted.status) \(deleted.text)")
    }

    @Test func ifMatchGuardsADelete() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let manager = try await app.user(role: "insurer", organizationId: org, manager: true).token
        let created = try await app.call(
            "POST", "/v1/webhooks", token: manager, json: ["url": "http://127.0.0.1:9/hook", "events": ["client.placed"]])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(try created.object()["id"] as? String)
        let read = try await app.call("GET", "/v1/webhooks/\(id)", token: manager)
        let tag = try #require(read.header("ETag"))
        let stale = try await app.call("DELETE", "/v1/webhooks/\(id)", token: manager, headers: [("If-Match", "\"0123\"")])
        #expect(stale.status == 412)
        #expect(try await app.call("GET", "/v1/webhooks/\(id)", token: manager).status == 200)
        let deleted = try await app.call("DELETE", "/v1/webhooks/\(id)", token: manager, headers: [("If-Match", tag)])
        #expect(deleted.status == 204, "\(deleted.status) \(deleted.text)")
        #expect(try await app.call("GET", "/v1/webhooks/\(id)", token: manager).status == 404)
    }

    // MARK: gzip, Allow, nulls

    @Test func aLargeListIsGzippedWhenAskedAndDecodesToTheSameJSON() async throws {
        let app = try await TestApp.shared.value
        let auth = ("Authorization", "Bearer \(app.adminToken)")
        let plain = try await app.client.request("GET", "/v1/norms", headers: [auth])
        #expect(plain.status == 200 && plain.body.count > 1024 && plain.header("Content-Encoding") == nil)
        let gz = try await app.client.request("GET", "/v1/norms", headers: [auth, ("Accept-Encoding", "gzip")])
        #expect(gz.header("Content-Encoding") == "gzip")
        #expect(gz.header("Vary")?.contains("Accept-Encoding") == true)
        #expect(gz.body.count < plain.body.count)
        #expect(Gunzip.decode(gz.body) == plain.body)
        // The tag names the JSON, whatever the transfer: both answers carry the same one.
        #expect(gz.header("ETag") == plain.header("ETag") && plain.header("ETag") != nil)
        // A small answer stays as it is.
        let me = try await app.client.request("GET", "/v1/me", headers: [auth, ("Accept-Encoding", "gzip")])
        #expect(me.status == 200 && me.body.count <= 1024 && me.header("Content-Encoding") == nil)
    }

    @Test func optionsListsTheRealMethods() async throws {
        let app = try await TestApp.shared.value
        let lookups = try await app.client.request("OPTIONS", "/v1/register/lookups")
        #expect(lookups.status == 204 && lookups.header("Allow") == "POST, OPTIONS")
        let get = try await app.client.request("GET", "/v1/register/lookups")
        #expect(get.status == 405 && get.header("Allow") == "POST, OPTIONS")
        let organizations = try await app.client.request("OPTIONS", "/v1/organizations/\(UUID())")
        #expect(organizations.header("Allow") == "GET, HEAD, PATCH, OPTIONS")
    }

    @Test func anExplicitNullWhereANumberBelongsIs400() async throws {
        let app = try await TestApp.shared.value
        let r = try await post(app, "/v1/tokens", token: app.adminToken, key: nil, #"{"expiresInDays": null}"#)
        #expect(r.status == 400)
        #expect(errorFields(r) == ["expiresInDays"])
        // Left out, it means the default; null where the contract allows it (clearing a field) still clears.
        #expect(try await post(app, "/v1/tokens", token: app.adminToken, key: nil, "{}").status == 201)
        let id = try await app.organization("careProvider")
        let set = try await patch(app, "/v1/organizations/\(id)", ifMatch: nil, #"{"kvkNumber": "12345678"}"#)
        #expect(set.status == 200)
        let cleared = try await patch(app, "/v1/organizations/\(id)", ifMatch: nil, #"{"kvkNumber": null}"#)
        #expect(cleared.status == 200)
        #expect(try await app.registerRows("organizations WHERE id = '\(id)' AND kvk_number IS NULL") == 1)
        // Other optional fields: null is refused, naming them.
        let org = try await post(
            app, "/v1/organizations", token: app.adminToken, key: nil, #"{"kind": "insurer", "name": "N", "parentId": null}"#)
        #expect(org.status == 400 && errorFields(org) == ["parentId"])
    }
}
