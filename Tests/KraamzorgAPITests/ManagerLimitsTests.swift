import Foundation
import PostgresClient
import Testing
import TestSupport

/// A manager never hands out more than she holds, and manages only her own colleagues.
@Suite struct ManagerLimitsTests {
    @Test func aManagerWithoutAVGAccessCannotGrantIt() async throws {
        let app = try await TestApp.shared.value
        let org = try await app.organization("insurer")
        let (_, manager) = try await app.user(role: "insurer", organizationId: org, avgAccess: false, manager: true)
        let create = try await app.call(
            "POST", "/v1/users", token: manager,
            json: [
                "name": "X", "email": "\(UUID().uuidString)@example.nl", "role": "insurer", "avgAccess": true,
            ])
        #expect(create.status == 403)
        let colleague = try await app.user(role: "insurer", organizationId: org, avgAccess: false, by: manager)
        let id = try #require(
            (try await app.call("GET", "/v1/me", token: colleague.token).object()["membership"] as? [String: Any])?["id"] as? String)
        #expect(try await app.call("PATCH", "/v1/memberships/\(id)", token: manager, json: ["avgAccess": true]).status == 403)
        let me = try await app.call("GET", "/v1/me", token: colleague.token).object()
        #expect((me["membership"] as? [String: Any])?["avgAccess"] as? Bool == false)
    }

    @Test func aCoordinatorManagerGrantsOnlyHerOwnRegions() async throws {
        let app = try await TestApp.shared.value
        let ksv = try await app.organization("ksv")
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let other = try await WaitlistWorld.make(app: app, providers: 0)
        let manager = try await app.admin(
            "POST", "/v1/users",
            json: [
                "name": "Coördinator", "email": "\(UUID().uuidString)@example.nl", "role": "coordinator", "organizationId": ksv,
                "avgAccess": true, "manager": true, "regionIds": [world.regionId],
            ])
        let token = try #require(try manager.object()["token"] as? String)
        let own = try await app.call(
            "POST", "/v1/users", token: token,
            json: [
                "name": "Collega", "email": "\(UUID().uuidString)@example.nl", "role": "coordinator", "avgAccess": true,
                "regionIds": [world.regionId],
            ])
        #expect(own.status == 201)
        let foreign = try await app.call(
            "POST", "/v1/users", token: token,
            json: [
                "name": "Collega", "email": "\(UUID().uuidString)@example.nl", "role": "coordinator", "avgAccess": true,
                "regionIds": [other.regionId],
            ])
        #expect(foreign.status == 403)
        let selfId = try #require(
            (try await app.call("GET", "/v1/me", token: token).object()["membership"] as? [String: Any])?["id"] as? String)
        let widen = try await app.call(
            "PATCH", "/v1/memberships/\(selfId)", token: token, json: ["regionIds": [world.regionId, other.regionId]])
        #expect(widen.status == 403)
    }

    @Test func aManagerCannotAttachSomeoneFromElsewhere() async throws {
        let app = try await TestApp.shared.value
        let mine = try await app.organization("careProvider")
        let theirs = try await app.organization("careProvider")
        let (_, manager) = try await app.user(role: "careProvider", organizationId: mine, avgAccess: true, manager: true)
        let (strangerId, _) = try await app.user(role: "careProvider", organizationId: theirs)
        let attach = try await app.call(
            "POST", "/v1/users/\(strangerId)/memberships", token: manager,
            json: ["role": "careProvider", "avgAccess": false])
        #expect(attach.status == 404)
        let uuid = try #require(UUID(uuidString: strangerId))
        #expect(try await app.count("SELECT count(*) FROM memberships WHERE user_id = \(uuid)") == 1)
    }

    @Test func aManagerNeverReceivesAColleaguesToken() async throws {
        let app = try await TestApp.shared.value
        let mine = try await app.organization("careProvider")
        let (_, manager) = try await app.user(role: "careProvider", organizationId: mine, avgAccess: true, manager: true)
        let (colleagueId, _) = try await app.user(role: "careProvider", organizationId: mine)
        // Her organisation has one role, which the colleague already holds: a second one would be a token that acts
        // as her, so it is refused, and nothing is written.
        let again = try await app.call(
            "POST", "/v1/users/\(colleagueId)/memberships", token: manager, json: ["role": "careProvider", "avgAccess": false])
        #expect(again.status == 409)
        #expect(!again.text.contains("\"token\""))
        let uuid = try #require(UUID(uuidString: colleagueId))
        #expect(try await app.count("SELECT count(*) FROM memberships WHERE user_id = \(uuid)") == 1)
        // An admin still receives the token of a membership she adds (she hands it over herself).
        let other = try await app.organization("careProvider")
        let added = try await app.admin(
            "POST", "/v1/users/\(colleagueId)/memberships", json: ["role": "careProvider", "organizationId": other, "avgAccess": false])
        #expect(added.status == 201)
        #expect(try added.object()["token"] is String)
    }

    @Test func aRegisterManagerWhoIsNoAdminCannotTouchAdminsOrPractitionerAccounts() async throws {
        let app = try await TestApp.shared.value
        let manager = try await app.member(role: "coordinator", organizationId: nil, avgAccess: true, regionIds: [])
        // Make her a manager of the register organisation.
        let membership = try #require(
            (try await app.call("GET", "/v1/me", token: manager).object()["membership"] as? [String: Any])?["id"] as? String)
        #expect(try await app.admin("PATCH", "/v1/memberships/\(membership)", json: ["manager": true]).status == 200)
        let adminMembership = try #require(
            (try await app.call("GET", "/v1/me", token: app.adminToken).object()["membership"] as? [String: Any])?["id"] as? String)
        #expect(try await app.call("DELETE", "/v1/memberships/\(adminMembership)", token: manager).status == 404)
        #expect(try await app.call("PATCH", "/v1/memberships/\(adminMembership)", token: manager, json: ["avgAccess": false]).status == 404)
        let practitioner = try await app.call(
            "POST", "/v1/users", token: manager,
            json: [
                "name": "X", "email": "\(UUID().uuidString)@example.nl", "role": "practitioner", "practitionerId": UUID().uuidString,
                "avgAccess": false,
            ])
        #expect(practitioner.status == 403)
        #expect(try await app.call("GET", "/v1/me", token: app.adminToken).status == 200)
    }
}

@Suite struct WaitlistReadersTests {
    @Test func practitionersAndCourseProvidersDoNotReadWaitlists() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let courseProvider = try await app.organization("courseProvider")
        let (_, outsider) = try await app.user(role: "courseProvider", organizationId: courseProvider)
        #expect(try await app.call("GET", "/v1/waitlists", token: outsider).status == 403)
        #expect(try await app.call("GET", "/v1/waitlists/\(world.waitlistId)", token: outsider).status == 403)
        for token in [world.insurer, world.providers[0].token, world.coordinator] {
            #expect(try await app.call("GET", "/v1/waitlists/\(world.waitlistId)", token: token).status == 200)
        }
    }
}

@Suite struct HostileInputTests {
    @Test func aNULCharacterIsABadRequestNotAServerError() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.admin("POST", "/v1/organizations", json: ["kind": "insurer", "name": "Nul\u{0}Verzekeraar"])
        #expect(r.status == 400)
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let invite = try await world.invite(number: "CN\u{0}1")
        #expect(invite.status == 400)
    }

    @Test func datesFarFromTodayAreRefusedNotFatal() async throws {
        let app = try await TestApp.shared.value
        for dates in [
            ["periodStart": "0001-01-01"], ["periodStart": "9999-01-01"], ["periodStart": "2024-01-01", "registeredOn": "0001-01-01"],
        ] {
            var body: [String: Any] = [
                "firstName": "Jet", "lastName": "Jansen", "email": "\(UUID().uuidString)@example.nl", "diplomaObtainedOn": "2023-12-01",
            ]
            for (k, v) in dates { body[k] = v }
            let r = try await app.admin("POST", "/v1/practitioners", json: body)
            #expect(r.status == 400, "\(dates): \(r.status)")
        }
        #expect(try await app.call("GET", "/healthz").status == 200)
    }
}
