import Foundation
import Testing
import TestSupport

/// Issue 12: what an organisation decides about its people takes effect on their very next request.
@Suite struct MembershipVisibilityTests {
    @Test func avgAccessGrantedAndWithdrawnByAManagerChangesTheFieldsOnTheNextRequest() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app)
        let client = try await world.placedClient()
        let (_, manager) = try await app.user(role: "insurer", organizationId: world.insurerId, avgAccess: true, manager: true)
        let colleague = try await app.user(role: "insurer", organizationId: world.insurerId, avgAccess: true, by: manager)

        let full = try await app.call("GET", "/v1/clients/\(client.id)", token: colleague.token)
        #expect(full.status == 200)
        let fullBody = try full.object()
        for field in personalFields { #expect(fullBody[field] != nil, "group 2 sees \(field)") }

        let membershipId = try #require(
            (try await app.call("GET", "/v1/me", token: colleague.token).object()["membership"] as? [String: Any])?["id"] as? String)
        #expect(try await app.call("PATCH", "/v1/memberships/\(membershipId)", token: manager, json: ["avgAccess": false]).status == 200)

        let reduced = try await app.call("GET", "/v1/clients/\(client.id)", token: colleague.token)
        #expect(reduced.status == 200)
        let reducedBody = try reduced.object()
        for field in personalFields { #expect(reducedBody[field] == nil, "group 1 must not see \(field)") }
        #expect(reducedBody["clientNumber"] != nil)
        let listed = try app.items(try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)", token: colleague.token))
        #expect(!listed.isEmpty)
        for item in listed { for field in personalFields { #expect(item[field] == nil) } }

        #expect(try await app.call("DELETE", "/v1/memberships/\(membershipId)", token: manager).status == 204)
        #expect(try await app.call("GET", "/v1/clients/\(client.id)", token: colleague.token).status == 401)
    }

    @Test func oneUserInTwoCareProvidersSeesEachOrganisationsClientsWithItsOwnToken() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 2)
        let first = world.providers[0].id, second = world.providers[1].id
        let (userId, firstToken) = try await app.user(role: "careProvider", organizationId: first, avgAccess: true)
        let added = try await app.admin(
            "POST", "/v1/users/\(userId)/memberships",
            json: ["role": "careProvider", "organizationId": second, "avgAccess": true])
        #expect(added.status == 201)
        let secondToken = try #require(try added.object()["token"] as? String)

        let a = try await world.placedClient()
        let b = try await world.placedClient()
        #expect(try await app.call("POST", "/v1/clients/\(a.id)/enrolment", token: firstToken).status == 201)
        #expect(try await app.call("POST", "/v1/clients/\(b.id)/enrolment", token: secondToken).status == 201)

        func enrolledIds(_ token: String) async throws -> Set<String> {
            let r = try await app.call("GET", "/v1/clients?status=enrolled&waitlistId=\(world.waitlistId)", token: token)
            #expect(r.status == 200)
            return Set(try app.items(r).compactMap { $0["id"] as? String })
        }
        #expect(try await enrolledIds(firstToken) == [a.id])
        #expect(try await enrolledIds(secondToken) == [b.id])
        #expect(try await app.call("GET", "/v1/clients/\(b.id)", token: firstToken).status == 404)
        #expect(try await app.call("GET", "/v1/clients/\(a.id)", token: secondToken).status == 404)
    }
}
