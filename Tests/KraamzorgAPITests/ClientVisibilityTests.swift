import Foundation
import PostgresClient
import Testing
import TestSupport

/// AVG visibility on every client-returning route (DOMAIN §7 "Visibility").
@Suite struct ClientVisibilityTests {
    @Test func preferentInsurersSeeEveryoneNonPreferentOnlyTheirOwnAndLabels() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let ofPreferent = try await world.placedClient()
        let ofOther = try await world.placedClient(token: world.otherInsurer)
        let ofLabel = try await world.placedClient(token: world.label)

        func listed(_ token: String) async throws -> Set<String> {
            Set(
                try app.items(try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)", token: token)).compactMap {
                    $0["id"] as? String
                })
        }
        #expect(try await listed(world.insurer) == [ofPreferent.id, ofOther.id, ofLabel.id])
        #expect(try await listed(world.otherInsurer) == [ofOther.id, ofLabel.id])
        #expect(try await listed(world.label) == [ofLabel.id])
        #expect(try await app.call("GET", "/v1/clients/\(ofPreferent.id)", token: world.otherInsurer).status == 404)
        #expect(try await app.call("GET", "/v1/clients/\(ofOther.id)", token: world.label).status == 404)
        #expect(try await app.call("GET", "/v1/clients/\(ofOther.id)", token: world.insurer).status == 200)

        // The weekly report counts what each caller may see.
        func waiting(_ token: String) async throws -> Int? {
            (try await app.call("GET", "/v1/waitlists/\(world.waitlistId)/report", token: token).object()["totals"] as? [String: Any])?[
                "waiting"] as? Int
        }
        #expect(try await waiting(world.insurer) == 3)
        #expect(try await waiting(world.otherInsurer) == 2)
        #expect(try await waiting(world.label) == 1)
    }

    @Test func servedRegionsChangeWhatAProviderSees() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let client = try await world.placedClient()
        let (strangerId, stranger) = world.strangerProvider
        #expect(try await app.call("GET", "/v1/clients/\(client.id)", token: stranger).status == 404)
        let patched = try await app.admin("PATCH", "/v1/organizations/\(strangerId)", json: ["regionIds": [world.regionId]])
        #expect(patched.status == 200)
        #expect(try patched.object()["regionIds"] as? [String] == [world.regionId])
        #expect(try await app.call("GET", "/v1/clients/\(client.id)", token: stranger).status == 200)
        // Only care providers serve regions; only insurers are preferent (the stored kind decides: refused, 422).
        #expect(try await app.admin("PATCH", "/v1/organizations/\(world.insurerId)", json: ["regionIds": [world.regionId]]).status == 422)
        #expect(try await app.admin("PATCH", "/v1/organizations/\(strangerId)", json: ["regionIds": [UUID().uuidString]]).status == 422)
        let insurer = try await app.admin("GET", "/v1/organizations/\(world.insurerId)").object()
        #expect(insurer["preferentRegionIds"] as? [String] == [world.regionId])
    }

    @Test func concurrentChangesOfAnOrganisationsRegionsAllSucceedAndTheLastOneStands() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let other = try await WaitlistWorld.make(app: app, providers: 0)
        // The same pair written from both sides at once (the insurer's preferent regions, the region's preferent
        // insurers), and a provider's regions ten times: none collides.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await app.admin("PATCH", "/v1/organizations/\(world.insurerId)", json: ["preferentRegionIds": [world.regionId]])
                        .status
                }
                group.addTask {
                    try await app.admin("PATCH", "/v1/regions/\(world.regionId)", json: ["preferentInsurerIds": [world.insurerId]]).status
                }
                group.addTask {
                    try await app.admin("PATCH", "/v1/organizations/\(world.providers[0].id)", json: ["regionIds": [world.regionId]]).status
                }
            }
            var out: [Int] = []
            for try await s in group { out.append(s) }
            return out
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        let patched = try await app.admin("PATCH", "/v1/organizations/\(world.insurerId)", json: ["preferentRegionIds": [other.regionId]])
        #expect(try patched.object()["preferentRegionIds"] as? [String] == [other.regionId])
    }

    @Test func groupOneNeverReceivesPersonalData() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let client = try await world.placedClient(dueDate: day(45))
        let group1Tokens = [world.insurerGroup1, world.coordinatorGroup1, world.providers[0].group1]
        for token in group1Tokens {
            let list = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)", token: token)
            let item = try #require(try app.items(list).first)
            for f in personalFields { #expect(item[f] == nil, "list leaks \(f)") }
            #expect(item["postcodeArea"] as? String == String(world.pc4))
            #expect(item["clientNumber"] != nil)
            let one = try await app.call("GET", "/v1/clients/\(client.id)", token: token).object()
            for f in personalFields { #expect(one[f] == nil, "get leaks \(f)") }
            #expect(!list.text.contains("Anna") && !list.text.contains("de Vries") && !list.text.contains("12345678"))
        }
        for token in [world.insurerGroup1, world.coordinatorGroup1] {
            let json = try await app.call("GET", "/v1/waitlists/\(world.waitlistId)/report", token: token)
            #expect(json.status == 200)
            let csv = try await app.call("GET", "/v1/waitlists/\(world.waitlistId)/report", token: token, headers: [("Accept", "text/csv")])
            for r in [json, csv] {
                #expect(
                    !r.text.contains("Anna") && !r.text.contains("Vries") && !r.text.contains("12345678")
                        && !r.text.contains("\(world.pc4) AB") && !r.text.contains("@example.nl"))
            }
        }
        // Group 2 does get them.
        let full = try await app.call("GET", "/v1/clients/\(client.id)", token: world.insurer).object()
        #expect(full["firstName"] as? String == "Anna")
        #expect(full["postcode"] as? String == "\(world.pc4) AB")
    }

    @Test func providersSeeGroupOneBeforeAndFullAfterEnrolling() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 2)
        let client = try await world.placedClient()
        let provider = world.providers[0]
        let before = try await app.call("GET", "/v1/clients/\(client.id)", token: provider.token).object()
        for f in personalFields { #expect(before[f] == nil) }
        #expect(before["dueDate"] != nil)

        let enrolled = try await app.call("POST", "/v1/clients/\(client.id)/enrolment", token: provider.token)
        #expect(enrolled.status == 201)
        let after = try await app.call("GET", "/v1/clients/\(client.id)", token: provider.token).object()
        #expect(after["firstName"] as? String == "Anna")
        #expect(after["phone"] as? String == "06 12345678")
        // Her group-1 colleague still sees group 1 only; the other provider no longer sees her.
        let colleague = try await app.call("GET", "/v1/clients/\(client.id)", token: provider.group1).object()
        for f in personalFields { #expect(colleague[f] == nil) }
        #expect(try await app.call("GET", "/v1/clients/\(client.id)", token: world.providers[1].token).status == 404)
    }

    @Test func aProviderNotServingTheRegionCanNeitherSeeNorEnrol() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let client = try await world.placedClient()
        let stranger = world.strangerProvider.token
        #expect(try await app.call("GET", "/v1/clients/\(client.id)", token: stranger).status == 404)
        #expect(try app.items(try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)", token: stranger)).isEmpty)
        #expect(try await app.call("POST", "/v1/clients/\(client.id)/enrolment", token: stranger).status == 404)
        #expect(try await app.call("GET", "/v1/clients/\(client.id)", token: world.coordinator).object()["status"] as? String == "waiting")
    }

    @Test func twentyConcurrentEnrolmentsHaveExactlyOneWinner() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        var tokens: [String] = []
        for _ in 0..<20 {
            let id = try await app.provider(regionIds: [world.regionId])
            tokens.append(try await app.user(role: "careProvider", organizationId: id, avgAccess: true).token)
        }
        let client = try await world.placedClient()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for token in tokens {
                group.addTask { try await app.call("POST", "/v1/clients/\(client.id)/enrolment", token: token).status }
            }
            var out: [Int] = []
            for try await s in group { out.append(s) }
            return out
        }
        #expect(statuses.filter { $0 == 201 }.count == 1)
        #expect(statuses.filter { $0 == 409 }.count == 19)
        #expect(try await app.count("SELECT count(*) FROM clients WHERE id = \(UUID(uuidString: client.id)!) AND status = 'enrolled'") == 1)
        #expect(
            try await app.count(
                """
                SELECT count(*) FROM audit_events WHERE client_id = \(UUID(uuidString: client.id)!) AND details->>'event' = 'enrolled'
                """) == 1)
    }

    @Test func birthBeforeEnrolmentIsUrgentAndStillEnrolable() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 2)
        let client = try await world.placedClient(dueDate: day(150))
        let birth = try await app.call("POST", "/v1/clients/\(client.id)/birth", token: world.coordinator, json: ["bornOn": day(0)])
        #expect(birth.status == 200)
        #expect(try birth.object()["status"] as? String == "birthReported")
        let notices = try await app.pool.query(
            """
            SELECT recipient, organization_id FROM notifications WHERE client_id = \(UUID(uuidString: client.id)!) AND kind = 'urgentBirthNotice'
            """)
        let orgs = Set(try notices.compactMap { try $0.decode("organization_id", as: UUID?.self)?.uuidString.lowercased() })
        #expect(orgs.isSuperset(of: world.providers.map(\.id)))
        // Both coordinators of the region (register organisation) are told by their own address.
        #expect(notices.count >= 2 * 2 + 2)
        let urgent = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)&urgent=true", token: world.providers[0].token)
        #expect(try app.items(urgent).map { $0["id"] as? String } == [client.id])
        #expect(try app.items(urgent).first?["urgent"] as? Bool == true)
        #expect(try await app.call("POST", "/v1/clients/\(client.id)/enrolment", token: world.providers[1].token).status == 201)
    }

    @Test func theClientReportsBirthAndWithdrawsThroughHerOwnLinkOnly() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let a = try await world.placedClient()
        let b = try await world.placedClient()
        let own = try await app.call("GET", "/v1/client-links/\(a.link)").object()
        #expect(own["id"] as? String == a.id)
        #expect(try await app.call("POST", "/v1/client-links/\(a.link)/birth", json: ["bornOn": day(0)]).status == 200)
        #expect(try await app.call("GET", "/v1/clients/\(a.id)", token: world.coordinator).object()["status"] as? String == "birthReported")
        #expect(try await app.call("GET", "/v1/clients/\(b.id)", token: world.coordinator).object()["status"] as? String == "waiting")
        #expect(
            try await app.count(
                "SELECT count(*) FROM notifications WHERE client_id = \(UUID(uuidString: a.id)!) AND kind = 'urgentBirthNotice'") >= 1)

        let withdrawn = try await app.call("POST", "/v1/client-links/\(b.link)/withdrawal", json: ["reason": "zelf geregeld"])
        #expect(withdrawn.status == 200)
        #expect(
            try await app.count("SELECT count(*) FROM consents WHERE client_id = \(UUID(uuidString: b.id)!) AND withdrawn_at IS NOT NULL")
                == 1)
        let erased = try await app.call("GET", "/v1/clients/\(b.id)", token: world.coordinator).object()
        #expect(erased["status"] as? String == "withdrawn")
        #expect(erased["firstName"] == nil)
        // A's state did not change through B's link.
        #expect(try await app.call("GET", "/v1/clients/\(a.id)", token: world.coordinator).object()["status"] as? String == "birthReported")
    }
}
