import Foundation
import PostgresClient
import Testing
import TestSupport

/// Koppelen (DOMAIN §7a): a manager links a person who already has an account; the credential reaches the
/// person, never the manager. And `POST /v1/users` tells a manager nothing about which emails have accounts.
@Suite struct LinkingTests {
    /// A user made by an admin in an organisation of her own; returns (id, email, token).
    func person(_ app: TestApp, kind: String = "insurer", role: String = "insurer") async throws -> (
        id: String, email: String, token: String
    ) {
        let org = try await app.organization(kind)
        let email = "\(UUID().uuidString.lowercased())@example.nl"
        let r = try await app.admin(
            "POST", "/v1/users", json: ["name": "Petra Persoon", "email": email, "role": role, "organizationId": org, "avgAccess": false])
        let o = try r.object()
        return (try #require(o["id"] as? String), email, try #require(o["token"] as? String))
    }

    func link(_ app: TestApp, _ org: String, _ email: String, role: String = "careProvider", avg: Bool = false, token: String?)
        async throws -> TestResponse
    {
        try await app.call(
            "POST", "/v1/organizations/\(org)/memberships", token: token, json: ["email": email, "role": role, "avgAccess": avg])
    }

    @Test func theCredentialGoesToThePersonByEmailAndWorksAndTheManagerNeverSeesIt() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("careProvider")
        let (_, manager) = try await app.user(role: "careProvider", organizationId: org, avgAccess: true, manager: true)
        let petra = try await person(app)

        let r = try await link(app, org, petra.email.uppercased(), avg: true, token: manager)
        #expect(r.status == 201)
        let body = try r.object()
        #expect(body["token"] == nil)
        let membership = try #require(body["membership"] as? [String: Any])
        #expect(membership["userId"] as? String == petra.id)
        #expect(membership["organizationId"] as? String == org)
        #expect(membership["avgAccess"] as? Bool == true)
        let credential = try await app.credential(sentTo: petra.email)
        #expect(!r.text.contains(credential))

        // She uses the emailed token: it acts for the new membership; her old one still works.
        let me = try await app.call("GET", "/v1/me", token: credential)
        #expect(me.status == 200)
        let meMembership = try #require(try me.object()["membership"] as? [String: Any])
        #expect(meMembership["id"] as? String == membership["id"] as? String)
        #expect(meMembership["role"] as? String == "careProvider")
        #expect(try await app.call("GET", "/v1/me", token: petra.token).status == 200)

        // The outbox as admins read it hides the credential.
        let outbox = try await app.admin("GET", "/v1/notifications?kind=membershipCredential&to=\(petra.email)")
        #expect(outbox.status == 200)
        #expect(!outbox.text.contains(credential))

        // Audited, with where the credential went; a second link of the same role is a conflict.
        let membershipId = try #require(UUID(uuidString: membership["id"] as? String ?? ""))
        let details = try await app.pool.query(
            "SELECT details->>'via' AS via FROM audit_events WHERE object_type = 'membership' AND object_id = \(membershipId) AND action = 'create'"
        )
        #expect(try details.map { try $0.decode("via", as: String.self) } == ["koppelen"])
        #expect(try await link(app, org, petra.email, token: manager).status == 409)
    }

    @Test func unknownEmailsWrongRolesAndRightsTheManagerLacks() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("careProvider")
        let (_, manager) = try await app.user(role: "careProvider", organizationId: org, avgAccess: false, manager: true)
        let unknown = "nobody-\(UUID().uuidString.prefix(8))@example.nl"
        #expect(try await link(app, org, unknown, token: manager).status == 404)
        // Admins may know which accounts exist: 422 naming the field.
        let admin = try await link(app, org, unknown, token: app.adminToken)
        #expect(admin.status == 422)
        #expect(admin.text.contains("\"field\":\"email\""))
        let petra = try await person(app)
        // A role this kind of organisation does not have.
        let wrongRole = try await link(app, org, petra.email, role: "insurer", token: manager)
        #expect(wrongRole.status == 422)
        #expect(wrongRole.text.contains("\"field\":\"role\""))
        // No AVG access she does not hold herself; no admin role; bad input names the field.
        #expect(try await link(app, org, petra.email, avg: true, token: manager).status == 403)
        #expect(try await link(app, org, petra.email, role: "admin", token: manager).status == 403)
        #expect(try await link(app, org, "not-an-email", token: manager).status == 400)
        #expect(
            try await app.count("SELECT count(*) FROM notifications WHERE recipient = \(petra.email) AND kind = 'membershipCredential'")
                == 0)
    }

    @Test func onlyTheOrganisationsManagersAndAdminsLinkEveryoneElseGets404() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let org = world.providers[0].id
        let (_, manager) = try await app.user(role: "careProvider", organizationId: org, avgAccess: true, manager: true)
        let otherOrg = try await app.organization("careProvider")
        let (_, otherManager) = try await app.user(role: "careProvider", organizationId: otherOrg, avgAccess: true, manager: true)
        let course = try await app.user(role: "courseProvider", organizationId: try await app.organization("courseProvider")).token
        let refused: [(String, String)] = [
            ("member without manager", world.providers[0].token), ("manager of another organisation", otherManager),
            ("coordinator", world.coordinator), ("insurer", world.insurer), ("insurer label", world.label),
            ("another provider", world.strangerProvider.token), ("course provider", course),
        ]
        for (who, token) in refused {
            let p = try await person(app)
            let r = try await link(app, org, p.email, token: token)
            #expect(r.status == 404, "\(who): \(r.status)")
            #expect(try await app.count("SELECT count(*) FROM memberships WHERE user_id = \(UUID(uuidString: p.id)!)") == 1, "\(who)")
        }
        let p = try await person(app)
        #expect(try await link(app, org, p.email, token: nil).status == 401)
        #expect(try await link(app, org, p.email, token: manager).status == 201)
        let q = try await person(app)
        #expect(try await link(app, org, q.email, token: app.adminToken).status == 201)
        #expect(try await link(app, UUID().uuidString.lowercased(), q.email, token: manager).status == 404)
    }

    /// Issue 21: `POST /v1/users` answered a manager 409 for an email with an account. Now both answers are
    /// the same: 201, the same fields, no token; the existing account is linked; each person gets her credential.
    @Test func postUsersAnswersAManagerTheSameForANewAndAnExistingEmail() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (_, manager) = try await app.user(role: "insurer", organizationId: org, avgAccess: true, manager: true)
        let existing = try await person(app, kind: "careProvider", role: "careProvider")
        let fresh = "\(UUID().uuidString.lowercased())@example.nl"
        func add(_ email: String) async throws -> TestResponse {
            try await app.call(
                "POST", "/v1/users", token: manager,
                json: ["name": "Nieuwe Collega", "email": email, "role": "insurer", "avgAccess": false])
        }
        let a = try await add(existing.email), b = try await add(fresh)
        #expect(a.status == 201 && b.status == 201)
        let oa = try a.object(), ob = try b.object()
        #expect(Set(oa.keys) == Set(ob.keys))
        #expect(oa["token"] == nil && ob["token"] == nil)
        #expect(oa["name"] as? String == "Nieuwe Collega")
        #expect(oa["id"] as? String == existing.id)
        // Each person has her credential by email, and it works for the new membership in this organisation.
        for email in [existing.email, fresh] {
            let token = try await app.credential(sentTo: email)
            let me = try await app.call("GET", "/v1/me", token: token).object()
            #expect((me["organization"] as? [String: Any])?["id"] as? String == org)
        }
        // Her own name is kept; her old membership still works.
        #expect(
            try await app.count("SELECT count(*) FROM users WHERE id = \(UUID(uuidString: existing.id)!) AND name = 'Petra Persoon'") == 1)
        #expect(try await app.call("GET", "/v1/me", token: existing.token).status == 200)
        // Admins keep the old answer: the token once for a new account, 409 for an email that has one.
        let dup = try await app.admin(
            "POST", "/v1/users", json: ["name": "X", "email": existing.email, "role": "insurer", "organizationId": org, "avgAccess": false])
        #expect(dup.status == 409)
    }
}
