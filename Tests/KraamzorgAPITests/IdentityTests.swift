import Foundation
import Hashing
import PostgresClient
import Testing
import TestSupport
import DatesAndIDs

@Suite struct AuthenticationTests {
    @Test func noTokenIs401WithAChallenge() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.call("GET", "/v1/me")
        #expect(r.status == 401)
        #expect(r.header("WWW-Authenticate") == "Bearer")
        #expect(r.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        #expect(try r.object()["status"] as? Int == 401)
    }

    @Test func unknownOrMalformedTokensAre401() async throws {
        let app = try await TestApp.shared.value
        for header in ["Bearer nonsense", "Bearer ", "Basic dXNlcjpwYXNz", "bearer\(String(repeating: "x", count: 600))"] {
            let r = try await app.call("GET", "/v1/me", headers: [("Authorization", header)])
            #expect(r.status == 401, "\(header.prefix(20))")
        }
    }

    @Test func bearerSchemeIsCaseInsensitive() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.call("GET", "/v1/me", headers: [("Authorization", "bearer \(app.adminToken)")])
        #expect(r.status == 200)
    }

    @Test func expiredTokenIs401() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (_, token) = try await app.user(role: "insurer", organizationId: org)
        #expect(try await app.call("GET", "/v1/me", token: token).status == 200)
        let hash = Hashing.SecretToken.hash(token)
        _ = try await app.pool.execute("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = \(hash)")
        // A change made behind the service's back reaches its token cache through the NOTIFY of that UPDATE (migration
        // 0017), as a revocation by another instance does: asked until refused, at most 2 s (TokenCacheTests).
        var status = 0
        let deadline = ContinuousClock.now + .seconds(2)
        while status != 401 && ContinuousClock.now < deadline { status = try await app.call("GET", "/v1/me", token: token).status }
        #expect(status == 401)
    }

    @Test func revokedUserTokenIs401AtOnce() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("careProvider")
        let (id, token) = try await app.user(role: "careProvider", organizationId: org)
        #expect(try await app.call("GET", "/v1/me", token: token).status == 200)
        #expect(try await app.admin("DELETE", "/v1/users/\(id)").status == 204)
        #expect(try await app.call("GET", "/v1/me", token: token).status == 401)
        // Revoking twice: the user is gone.
        #expect(try await app.admin("DELETE", "/v1/users/\(id)").status == 404)
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("courseProvider")
        let (_, token) = try await app.user(role: "courseProvider", organizationId: org)
        let env = ProcessInfo.processInfo.environment
        guard let url = env["DATABASE_URL"], let bin = env["TEST_PG_BIN"] else {
            Issue.record("TEST_PG_BIN and DATABASE_URL come from scripts/with-test-postgres.sh")
            return
        }
        let dump = try runProcess("\(bin)/pg_dump", ["--data-only", "--table=api_tokens", "--table=audit_events", url])
        #expect(dump.contains("COPY public.api_tokens"))
        #expect(!dump.contains(token))
        #expect(!dump.contains(app.adminToken))
        #expect(dump.contains(Hex.encode(Hashing.SecretToken.hash(token))))
    }
}

@Suite struct UserTests {
    @Test func adminCreatesAUserWhoseTokenWorksOnMe() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer", name: "Zorgverzekeraar Noord")
        let r = try await app.admin(
            "POST", "/v1/users",
            json: [
                "name": "Anna de Vries", "email": "Anna.de.Vries@Example.NL", "role": "insurer",
                "organizationId": org, "avgAccess": true,
            ])
        #expect(r.status == 201)
        let created = try r.object()
        let id = try #require(created["id"] as? String)
        #expect(r.header("Location") == "/v1/users/\(id)")
        #expect(created["email"] as? String == "Anna.de.Vries@example.nl")
        let token = try #require(created["token"] as? String)
        #expect(token.count == 43)

        let me = try await app.call("GET", "/v1/me", token: token)
        #expect(me.status == 200)
        let body = try me.object()
        #expect((body["user"] as? [String: Any])?["id"] as? String == id)
        let membership = try #require(body["membership"] as? [String: Any])
        #expect(membership["role"] as? String == "insurer")
        #expect(membership["avgAccess"] as? Bool == true)
        #expect((body["organization"] as? [String: Any])?["name"] as? String == "Zorgverzekeraar Noord")
        #expect(me.header("X-Request-Id")?.isEmpty == false)
    }

    @Test func creatingAUserIsAudited() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (id, _) = try await app.user(role: "insurer", organizationId: org)
        let uuid = try #require(UUID(uuidString: id))
        let rows = try await app.pool.query("SELECT action, role FROM audit_events WHERE object_type = 'user' AND object_id = \(uuid)")
        #expect(rows.count == 1)
        #expect(try rows.first?.decode("action", as: String.self) == "create")
        #expect(try rows.first?.decode("role", as: String.self) == "admin")
    }

    @Test func invalidFieldsAreListed() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.admin(
            "POST", "/v1/users", json: ["name": " ", "email": "not-an-email", "role": "wizard", "avgAccess": false])
        #expect(r.status == 400)
        let fields = Set(((try r.object()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
        #expect(fields == ["name", "email", "role"])
    }

    @Test func missingFieldIsNamed() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.admin("POST", "/v1/users", json: ["name": "X", "role": "insurer", "avgAccess": false])
        #expect(r.status == 400)
        #expect(((try r.object()["errors"] as? [[String: Any]])?.first?["field"] as? String) == "email")
    }

    @Test func aRoleMustFitTheOrganisationKind() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let r = try await app.admin(
            "POST", "/v1/users",
            json: [
                "name": "X", "email": "\(UUID().uuidString)@example.nl", "role": "courseProvider", "organizationId": org,
                "avgAccess": false,
            ])
        #expect(r.status == 422)
        #expect(((try r.object()["errors"] as? [[String: Any]])?.first?["field"] as? String) == "role")
        let unknownOrg = try await app.admin(
            "POST", "/v1/users",
            json: [
                "name": "X", "email": "\(UUID().uuidString)@example.nl", "role": "insurer", "organizationId": UUID().uuidString,
                "avgAccess": false,
            ])
        #expect(unknownOrg.status == 422)
    }

    @Test func aLiveEmailAddressIsUsedOnce() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let email = "\(UUID().uuidString)@example.nl"
        let body: [String: Any] = ["name": "X", "email": email, "role": "insurer", "organizationId": org, "avgAccess": false]
        #expect(try await app.admin("POST", "/v1/users", json: body).status == 201)
        var again = body
        again["email"] = email.uppercased()
        #expect(try await app.admin("POST", "/v1/users", json: again).status == 409)
    }

    @Test func aManagerCreatesColleaguesInHerOwnOrganisationOnly() async throws {
        let app = try await TestApp.shared.value
        let own = try await app.organization("careProvider")
        let other = try await app.organization("careProvider")
        let (_, manager) = try await app.user(role: "careProvider", organizationId: own, manager: true)
        let colleague = try await app.user(role: "careProvider", organizationId: own, by: manager)
        #expect(try await app.call("GET", "/v1/me", token: colleague.token).status == 200)

        let elsewhere = try await app.call(
            "POST", "/v1/users", token: manager,
            json: [
                "name": "X", "email": "\(UUID().uuidString)@example.nl", "role": "careProvider", "organizationId": other,
                "avgAccess": false,
            ])
        #expect(elsewhere.status == 403)

        // A colleague without the manager flag cannot create users.
        let plain = try await app.call(
            "POST", "/v1/users", token: colleague.token,
            json: [
                "name": "X", "email": "\(UUID().uuidString)@example.nl", "role": "careProvider", "avgAccess": false,
            ])
        #expect(plain.status == 403)
    }

    @Test func aManagerCannotGrantARoleHerOrganisationDoesNotHave() async throws {
        let app = try await TestApp.shared.value
        let insurer = try await app.organization("insurer")
        let (_, manager) = try await app.user(role: "insurer", organizationId: insurer, manager: true)
        for role in ["courseProvider", "admin"] {
            let r = try await app.call(
                "POST", "/v1/users", token: manager,
                json: [
                    "name": "X", "email": "\(UUID().uuidString)@example.nl", "role": role, "avgAccess": true,
                ])
            #expect(r.status == 403 || r.status == 422, "\(role): \(r.status)")
        }
    }

    @Test func onlyAdminsRevokeUsers() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (id, token) = try await app.user(role: "insurer", organizationId: org, manager: true)
        #expect(try await app.call("DELETE", "/v1/users/\(id)", token: token).status == 403)
        #expect(try await app.admin("DELETE", "/v1/users/not-a-uuid").status == 404)
    }
}

@Suite struct OrganizationTests {
    @Test func adminCreatesReadsAndPatchesAnOrganisation() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.admin(
            "POST", "/v1/organizations", json: ["kind": "insurer", "name": "  Verzekeraar Zuid  ", "agbCode": "12345678"])
        #expect(r.status == 201)
        let id = try #require(try r.object()["id"] as? String)
        #expect(try r.object()["name"] as? String == "Verzekeraar Zuid")
        #expect(r.header("Location") == "/v1/organizations/\(id)")

        let patched = try await app.admin("PATCH", "/v1/organizations/\(id)", json: ["name": "Verzekeraar Zuid-West", "agbCode": NSNull()])
        #expect(patched.status == 200)
        let body = try patched.object()
        #expect(body["name"] as? String == "Verzekeraar Zuid-West")
        #expect(body["agbCode"] == nil)
        #expect(try await app.admin("GET", "/v1/organizations/\(id)").status == 200)
    }

    @Test func aLabelBelongsToAnInsurer() async throws {
        let app = try await TestApp.shared.value
        let insurer = try await app.organization("insurer")
        let label = try await app.admin("POST", "/v1/organizations", json: ["kind": "insurer", "name": "Label", "parentId": insurer])
        #expect(label.status == 201)
        #expect(try label.object()["parentId"] as? String == insurer)
        let provider = try await app.organization("careProvider")
        let wrong = try await app.admin("POST", "/v1/organizations", json: ["kind": "insurer", "name": "Label", "parentId": provider])
        #expect(wrong.status == 422)
    }

    @Test func invalidOrganisationsAreRefusedAndNothingIsWritten() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.admin("POST", "/v1/organizations", json: ["kind": "register", "name": "", "agbCode": "12"])
        #expect(r.status == 400)
        #expect(
            Set(((try r.object()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }) == [
                "kind", "name", "agbCode",
            ])

        // A valid name with an invalid code: the name must not appear in the database.
        let name = "Refused \(UUID().uuidString)"
        let refused = try await app.admin("POST", "/v1/organizations", json: ["kind": "insurer", "name": name, "kvkNumber": "abc"])
        #expect(refused.status == 400)
        let stored = try await app.pool.query("SELECT count(*) AS n FROM organizations WHERE name = \(name)")[0].decode("n", as: Int.self)
        #expect(stored == 0)
    }

    @Test func membersSeeOnlyTheirOwnOrganisation() async throws {
        let app = try await TestApp.shared.value
        let own = try await app.organization("careProvider")
        let other = try await app.organization("careProvider")
        let (_, token) = try await app.user(role: "careProvider", organizationId: own)
        let list = try await app.call("GET", "/v1/organizations", token: token)
        #expect(list.status == 200)
        let items = try #require(try list.object()["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == [own])
        #expect(try await app.call("GET", "/v1/organizations/\(own)", token: token).status == 200)
        #expect(try await app.call("GET", "/v1/organizations/\(other)", token: token).status == 404)
        #expect(try await app.call("POST", "/v1/organizations", token: token, json: ["kind": "insurer", "name": "X"]).status == 403)
        #expect(try await app.call("PATCH", "/v1/organizations/\(own)", token: token, json: ["name": "X"]).status == 403)
    }

    @Test func listsArePagedWithACursor() async throws {
        let app = try await TestApp.shared.value
        for i in 0..<3 { _ = try await app.organization("ksv", name: "Paging KSV \(i)") }
        var seen: [String] = []
        var cursor: String?
        repeat {
            let path = "/v1/organizations?kind=ksv&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await app.admin("GET", path)
            #expect(page.status == 200)
            let body = try page.object()
            seen += ((body["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            cursor = body["nextCursor"] as? String
            #expect((body["total"] as? Int ?? 0) >= 3)
        } while cursor != nil
        #expect(seen.count == Set(seen).count)
        #expect(seen.count >= 3)
        #expect(try await app.admin("GET", "/v1/organizations?limit=0").status == 400)
        #expect(try await app.admin("GET", "/v1/organizations?cursor=garbage!").status == 400)
    }

    @Test func aBodyThatIsNotJSONIs415Or400() async throws {
        let app = try await TestApp.shared.value
        let text = try await app.client.request(
            "POST", "/v1/organizations",
            headers: [("Authorization", "Bearer \(app.adminToken)"), ("Content-Type", "text/plain")],
            body: Array("kind=insurer".utf8))
        #expect(text.status == 415)
        let broken = try await app.client.request(
            "POST", "/v1/organizations",
            headers: [("Authorization", "Bearer \(app.adminToken)"), ("Content-Type", "application/json")],
            body: Array("{\"kind\": ".utf8))
        #expect(broken.status == 400)
    }
}

@Suite struct OperationsTests {
    @Test func healthAndReadiness() async throws {
        let app = try await TestApp.shared.value
        let health = try await app.call("GET", "/healthz")
        #expect(health.status == 200)
        #expect(try health.object()["status"] as? String == "ok")
        #expect(try await app.call("GET", "/readyz").status == 200)
    }

    @Test func metricsCountRequestsByRoute() async throws {
        let app = try await TestApp.shared.value
        _ = try await app.call("GET", "/healthz")
        let metrics = try await app.call("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("http_requests_total"))
        #expect(metrics.text.contains("db_pool_connections"))
    }

    @Test func unknownRouteIs404AndWrongMethodIs405() async throws {
        let app = try await TestApp.shared.value
        #expect(try await app.call("GET", "/v1/nothing-here").status == 404)
        let r = try await app.call("PUT", "/v1/me", token: app.adminToken)
        #expect(r.status == 405)
        #expect(r.header("Allow")?.contains("GET") == true)
    }
}

func runProcess(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
