import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite struct MembershipTests {
    /// Onboarding and offboarding by a manager: the colleague's rights change on her next request.
    @Test func aManagerOnboardsChangesAndOffboardsAColleague() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (_, manager) = try await app.user(role: "insurer", organizationId: org, avgAccess: true, manager: true)
        let colleague = try await app.user(role: "insurer", organizationId: org, avgAccess: true, by: manager)

        let me = try await app.call("GET", "/v1/me", token: colleague.token).object()
        let membership = try #require(me["membership"] as? [String: Any])
        let membershipId = try #require(membership["id"] as? String)
        #expect(membership["avgAccess"] as? Bool == true)

        let members = try await app.call("GET", "/v1/organizations/\(org)/memberships", token: manager)
        #expect(members.status == 200)
        let listed = ((try members.object()["items"] as? [[String: Any]]) ?? []).compactMap {
            ($0["membership"] as? [String: Any])?["id"] as? String
        }
        #expect(listed.contains(membershipId))

        let withdrawn = try await app.call("PATCH", "/v1/memberships/\(membershipId)", token: manager, json: ["avgAccess": false])
        #expect(withdrawn.status == 200)
        let after = try await app.call("GET", "/v1/me", token: colleague.token).object()
        #expect((after["membership"] as? [String: Any])?["avgAccess"] as? Bool == false)

        #expect(try await app.call("DELETE", "/v1/memberships/\(membershipId)", token: manager).status == 204)
        #expect(try await app.call("GET", "/v1/me", token: colleague.token).status == 401)

        let uuid = try #require(UUID(uuidString: membershipId))
        let audited = try await app.pool.query(
            """
            SELECT action FROM audit_events WHERE object_type = 'membership' AND object_id = \(uuid) ORDER BY at
            """
        ).map { try $0.decode("action", as: String.self) }
        // A manager's new colleague: the membership's creation is audited too (its credential was emailed to her).
        #expect(audited == ["create", "update", "delete"])
    }

    @Test func aManagerCannotActOnAnotherOrganisationsMembers() async throws {
        let app = try await TestApp.shared.value
        let mine = try await app.organization("careProvider")
        let theirs = try await app.organization("careProvider")
        let (_, manager) = try await app.user(role: "careProvider", organizationId: mine, manager: true)
        let stranger = try await app.user(role: "careProvider", organizationId: theirs, avgAccess: true)
        let strangerMembership = try #require(
            (try await app.call("GET", "/v1/me", token: stranger.token).object()["membership"] as? [String: Any])?["id"] as? String)

        #expect(try await app.call("GET", "/v1/organizations/\(theirs)/memberships", token: manager).status == 404)
        #expect(
            try await app.call("PATCH", "/v1/memberships/\(strangerMembership)", token: manager, json: ["avgAccess": false]).status == 404)
        #expect(try await app.call("DELETE", "/v1/memberships/\(strangerMembership)", token: manager).status == 404)
        // Nothing changed.
        let me = try await app.call("GET", "/v1/me", token: stranger.token).object()
        #expect((me["membership"] as? [String: Any])?["avgAccess"] as? Bool == true)
    }

    @Test func aNonManagerCannotManage() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (_, plain) = try await app.user(role: "insurer", organizationId: org)
        #expect(try await app.call("GET", "/v1/organizations/\(org)/memberships", token: plain).status == 404)
    }

    @Test func theLastManagerCannotBeRemoved() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("courseProvider")
        let (_, manager) = try await app.user(role: "courseProvider", organizationId: org, manager: true)
        let own = try #require(
            (try await app.call("GET", "/v1/me", token: manager).object()["membership"] as? [String: Any])?["id"] as? String)
        let demote = try await app.call("PATCH", "/v1/memberships/\(own)", token: manager, json: ["manager": false])
        #expect(demote.status == 422)
        let remove = try await app.call("DELETE", "/v1/memberships/\(own)", token: manager)
        #expect(remove.status == 422)
        #expect(try await app.call("GET", "/v1/me", token: manager).status == 200)

        // With a second manager, the first may step down.
        let second = try await app.user(role: "courseProvider", organizationId: org, manager: true, by: manager)
        #expect(try await app.call("PATCH", "/v1/memberships/\(own)", token: second.token, json: ["manager": false]).status == 200)
    }

    @Test func oneUserActsForTwoOrganisationsWithOneTokenEach() async throws {
        let app = try await TestApp.shared.value
        let first = try await app.organization("careProvider")
        let second = try await app.organization("careProvider")
        let (userId, firstToken) = try await app.user(role: "careProvider", organizationId: first)
        let added = try await app.admin(
            "POST", "/v1/users/\(userId)/memberships",
            json: ["role": "careProvider", "organizationId": second, "avgAccess": false])
        #expect(added.status == 201)
        let secondToken = try #require(try added.object()["token"] as? String)
        let a = try await app.call("GET", "/v1/me", token: firstToken).object()
        let b = try await app.call("GET", "/v1/me", token: secondToken).object()
        #expect((a["organization"] as? [String: Any])?["id"] as? String == first)
        #expect((b["organization"] as? [String: Any])?["id"] as? String == second)
        #expect((a["user"] as? [String: Any])?["id"] as? String == (b["user"] as? [String: Any])?["id"] as? String)
    }
}

@Suite struct TokenTests {
    @Test func rotationKeepsTheOldTokenUntilItIsRevoked() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (_, old) = try await app.user(role: "insurer", organizationId: org)
        let created = try await app.call("POST", "/v1/tokens", token: old, json: ["expiresInDays": 30])
        #expect(created.status == 201)
        let body = try created.object()
        let new = try #require(body["token"] as? String)
        #expect(try await app.call("GET", "/v1/me", token: new).status == 200)
        #expect(try await app.call("GET", "/v1/me", token: old).status == 200)

        let list = try await app.call("GET", "/v1/tokens", token: new)
        let items = try #require(try list.object()["items"] as? [[String: Any]])
        #expect(items.count == 2)
        #expect(!list.text.contains(old) && !list.text.contains(new))
        let oldId = try #require(items.first { $0["current"] as? Bool == false }?["id"] as? String)
        #expect(try await app.call("DELETE", "/v1/tokens/\(oldId)", token: new).status == 204)
        #expect(try await app.call("GET", "/v1/me", token: old).status == 401)
        #expect(try await app.call("GET", "/v1/me", token: new).status == 200)
    }

    @Test func expiryIsBounded() async throws {
        let app = try await TestApp.shared.value
        for days in [0, 731] {
            #expect(try await app.call("POST", "/v1/tokens", token: app.adminToken, json: ["expiresInDays": days]).status == 400)
        }
    }

    @Test func aTokenCannotRevokeAnotherMembershipsToken() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (_, a) = try await app.user(role: "insurer", organizationId: org)
        let (_, b) = try await app.user(role: "insurer", organizationId: org)
        let bTokens = try await app.call("GET", "/v1/tokens", token: b).object()
        let bId = try #require((bTokens["items"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try await app.call("DELETE", "/v1/tokens/\(bId)", token: a).status == 404)
        #expect(try await app.call("GET", "/v1/me", token: b).status == 200)
    }
}
