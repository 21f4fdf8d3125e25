import Foundation
import Testing
import TestSupport

/// The second round's waitlist routes against every kind of caller: who may act, and what the others get.
/// (Each route's own behaviour is tested in its suite; this one only asks "may this caller?".)
@Suite struct WaitlistRoleMatrixTests {
    struct Callers {
        let admin: String?, coordinator: String, otherCoordinator: String, insurer: String, provider: String
        let practitioner: String, courseProvider: String
    }

    func callers(_ app: TestApp, _ world: WaitlistWorld) async throws -> Callers {
        let elsewhere = try await WaitlistWorld.make(app: app, providers: 0)
        let p = try await app.practitioner(start: "2023-06-01")
        let courseProvider = try await app.user(role: "courseProvider", organizationId: try await app.organization("courseProvider")).token
        return Callers(
            admin: nil, coordinator: world.coordinator, otherCoordinator: elsewhere.coordinator, insurer: world.insurer,
            provider: world.providers[0].token, practitioner: try await app.practitionerLogin(p.id), courseProvider: courseProvider)
    }

    /// A client whose birth was reported (by her coordinator).
    func reported(_ app: TestApp, _ world: WaitlistWorld) async throws -> String {
        let client = try await world.placedClient()
        let r = try await app.call("POST", "/v1/clients/\(client.id)/birth", token: world.coordinator, json: ["bornOn": day(-1)])
        #expect(r.status == 200)
        return client.id
    }

    @Test func correctingAndUndoingABirthReportIsForHerCoordinatorsAndAdminsOnly() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let who = try await callers(app, world)
        let client = try await reported(app, world)
        for (method, body) in [("PATCH", ["bornOn": day(-2)] as [String: Any]?), ("DELETE", nil)] {
            let path = "/v1/clients/\(client)/birth"
            #expect(try await app.call(method, path, json: body).status == 401, "\(method) anonymous")
            for (name, token) in [
                ("insurer", who.insurer), ("provider", who.provider), ("practitioner", who.practitioner),
                ("courseProvider", who.courseProvider),
            ] {
                #expect(try await app.call(method, path, token: token, json: body).status == 403, "\(method) \(name)")
            }
            // A coordinator of another region does not learn that she exists.
            #expect(try await app.call(method, path, token: who.otherCoordinator, json: body).status == 404, "\(method) other region")
        }
        #expect(try await app.call("PATCH", "/v1/clients/\(client)/birth", token: who.coordinator, json: ["bornOn": day(-2)]).status == 200)
        #expect(try await app.admin("PATCH", "/v1/clients/\(client)/birth", json: ["bornOn": day(-3)]).status == 200)
        #expect(try await app.admin("DELETE", "/v1/clients/\(client)/birth").status == 200)
    }

    @Test func linkingAPersonIsForTheOrganisationsManagersAndAdminsOnly() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let who = try await callers(app, world)
        let organization = try await app.organization("insurer")
        let manager = try await app.user(role: "insurer", organizationId: organization, avgAccess: true, manager: true).token
        let colleague = try await app.user(role: "insurer", organizationId: organization, avgAccess: true).token
        let person = "\(UUID().uuidString.lowercased())@example.nl"
        _ = try await app.admin(
            "POST", "/v1/users",
            json: [
                "name": "Bestaand", "email": person, "role": "insurer", "organizationId": try await app.organization("insurer"),
                "avgAccess": false,
            ])
        let path = "/v1/organizations/\(organization)/memberships"
        let body: [String: Any] = ["email": person, "role": "insurer", "avgAccess": false]
        #expect(try await app.call("POST", path, json: body).status == 401)
        // Nobody but its managers and admins learns the organisation exists: 404, not 403.
        for (name, token) in [
            ("colleague", colleague), ("insurer elsewhere", who.insurer), ("provider", who.provider), ("coordinator", who.coordinator),
            ("practitioner", who.practitioner), ("courseProvider", who.courseProvider),
        ] {
            #expect(try await app.call("POST", path, token: token, json: body).status == 404, "\(name)")
        }
        let linked = try await app.call("POST", path, token: manager, json: body)
        #expect(linked.status == 201)
        #expect(try linked.object()["token"] == nil)
    }
}
