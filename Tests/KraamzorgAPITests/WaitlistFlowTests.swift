import Foundation
import PostgresClient
import Testing
import TestSupport

/// The insurers' manual, end to end: step 1, step 2, acceptance through the mailed link, placement,
/// notices, enrolment and the lists.
@Suite struct WaitlistFlowTests {
    @Test func availabilityAnswersYesAndNoPlainly() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let yes = try await app.call("GET", "/v1/waitlists/availability?postcode=\(world.pc4)AB&dueDate=\(day(60))", token: world.insurer)
        #expect(yes.status == 200)
        let y = try yes.object()
        #expect(y["open"] as? Bool == true)
        #expect((y["waitlist"] as? [String: Any])?["id"] as? String == world.waitlistId)

        let outside = try await app.call(
            "GET", "/v1/waitlists/availability?postcode=\(world.pc4)&dueDate=\(day(400))", token: world.insurer
        ).object()
        #expect(outside["open"] as? Bool == false)
        #expect(outside["waitlist"] == nil)
        #expect((outside["message"] as? String)?.contains("kraamzorgaanbieder in uw regio") == true)

        // A closed list answers no as well.
        #expect(
            try await app.call("PATCH", "/v1/waitlists/\(world.waitlistId)", token: world.coordinator, json: ["status": "closed"]).status
                == 200)
        let closed = try await app.call("GET", "/v1/waitlists/availability?postcode=\(world.pc4)&dueDate=\(day(60))", token: world.insurer)
            .object()
        #expect(closed["open"] as? Bool == false)

        let bad = try await app.call("GET", "/v1/waitlists/availability?postcode=0123AB&dueDate=\(day(60))", token: world.insurer)
        #expect(bad.status == 400)
    }

    @Test func theWholeFlowFromInvitationToEnrolment() async throws {
        let app = try await TestApp.shared.value
        let info = "V: Wanneer hoor ik iets? A: Zodra een aanbieder u inschrijft."
        let world = try await WaitlistWorld.make(app: app, providers: 2, clientInfo: info)

        // Step 2: the response never carries the link token.
        let invited = try await world.invite(dueDate: day(90))
        #expect(invited.status == 201)
        let clientId = try #require(try invited.object()["clientId"] as? String)
        let token = try await app.outboxToken(clientId: clientId, kind: "invitation", prefix: "/uitnodiging/")
        #expect(!invited.text.contains(token))
        #expect(invited.header("Location") == "/v1/clients/\(clientId)")
        let invitationLink: String = try await app.pool.query(
            "SELECT link FROM notifications WHERE client_id = \(UUID(uuidString: clientId)!) AND kind = 'invitation'")[0].decode("link")
        #expect(invitationLink.hasPrefix("http://127.0.0.1:8080/uitnodiging/"))
        // The token is stored hashed only.
        #expect(try await app.count("SELECT count(*) FROM invitations WHERE encode(token_hash, 'escape') LIKE \("%" + token + "%")") == 0)

        // Her view of the invitation, with the consent text and version.
        let view = try await app.call("GET", "/v1/invitations/\(token)")
        #expect(view.status == 200)
        let version = try #require(try view.object()["consentVersion"] as? String)
        #expect((try view.object()["consentText"] as? String)?.isEmpty == false)

        // Acceptance with consent: placed.
        var body = world.acceptance(dueDate: day(90))
        body["consentVersion"] = version
        let accepted = try await app.call("POST", "/v1/invitations/\(token)/accept", json: body)
        #expect(accepted.status == 201)
        #expect(try accepted.object()["status"] as? String == "waiting")
        #expect(
            try await app.count("SELECT count(*) FROM consents WHERE client_id = \(UUID(uuidString: clientId)!) AND version = \(version)")
                == 1)

        // Confirmation: her link and the region's Q&A.
        let confirmation = try await app.pool.query(
            """
            SELECT body, link FROM notifications WHERE client_id = \(UUID(uuidString: clientId)!) AND kind = 'placementConfirmation'
            """)
        #expect(confirmation.count == 1)
        #expect(try confirmation[0].decode("body", as: String.self).contains(info))
        #expect(try confirmation[0].decode("link", as: String.self).contains("/aanmelding/"))

        // Every provider serving the region is told; the stranger is not.
        let told = try await app.pool.query(
            """
            SELECT DISTINCT organization_id FROM notifications WHERE client_id = \(UUID(uuidString: clientId)!) AND kind = 'providerNotice'
            """
        ).map { try $0.decode("organization_id", as: UUID.self).uuidString.lowercased() }
        #expect(Set(told) == Set(world.providers.map(\.id)))

        // The waiting list.
        let waiting = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)&status=waiting", token: world.coordinator)
        #expect(waiting.status == 200)
        #expect(try app.items(waiting).map { $0["id"] as? String } == [clientId])
        #expect(try app.items(waiting).first?["firstName"] as? String == "Anna")

        // Enrolment and its notices.
        let enrol = try await app.call("POST", "/v1/clients/\(clientId)/enrolment", token: world.providers[0].token)
        #expect(enrol.status == 201)
        #expect(try enrol.object()["status"] as? String == "enrolled")
        #expect(try enrol.object()["lastName"] as? String == "de Vries")
        let notices = try await app.pool.query(
            """
            SELECT recipient, organization_id FROM notifications WHERE client_id = \(UUID(uuidString: clientId)!) AND kind = 'enrolmentNotice'
            """)
        let orgs = Set(try notices.compactMap { try $0.decode("organization_id", as: UUID?.self)?.uuidString.lowercased() })
        #expect(orgs == [world.providers[1].id, world.insurerId])
        #expect(try notices.contains { try $0.decode("organization_id", as: UUID?.self) == nil })  // to her own address

        let again = try await app.call("POST", "/v1/clients/\(clientId)/enrolment", token: world.providers[1].token)
        #expect(again.status == 409)

        let enrolled = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)&status=enrolled", token: world.coordinator)
        #expect(try app.items(enrolled).first?["providerName"] as? String != nil)
        #expect(
            try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)&status=waiting", token: world.coordinator).object()[
                "total"] as? Int == 0)

        // Her link shows the placement; she sees who looked at her data.
        let link = try await app.outboxToken(clientId: clientId, kind: "placementConfirmation", prefix: "/aanmelding/")
        let own = try await app.call("GET", "/v1/client-links/\(link)")
        #expect(own.status == 200)
        #expect(try own.object()["status"] as? String == "enrolled")
        let log = try await app.call("GET", "/v1/client-links/\(link)/access-log")
        #expect(log.status == 200)
        let organizations = try app.items(log).compactMap { $0["organization"] as? String }
        #expect(!organizations.isEmpty)
        #expect(try app.items(log).contains { $0["role"] as? String == "careProvider" })
    }

    @Test func listsFilterAndCount() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        var ids: [String] = []
        for offset in [40, 80, 120] { ids.append(try await world.placedClient(dueDate: day(offset)).id) }
        let all = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)", token: world.coordinator)
        #expect(try app.items(all).map { $0["id"] as? String } == ids)  // by due date
        #expect(try all.object()["total"] as? Int == 3)

        let page = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)&limit=2", token: world.coordinator).object()
        #expect((page["items"] as? [Any])?.count == 2)
        #expect(page["total"] as? Int == 3)
        let cursor = try #require(page["nextCursor"] as? String)
        let rest = try await app.call(
            "GET", "/v1/clients?waitlistId=\(world.waitlistId)&limit=2&cursor=\(cursor)", token: world.coordinator)
        #expect(try app.items(rest).map { $0["id"] as? String } == [ids[2]])

        let between = try await app.call(
            "GET", "/v1/clients?waitlistId=\(world.waitlistId)&dueFrom=\(day(50))&dueTo=\(day(100))", token: world.coordinator)
        #expect(try app.items(between).map { $0["id"] as? String } == [ids[1]])
        #expect(try between.object()["total"] as? Int == 1)

        let byPostcode = try await app.call(
            "GET", "/v1/clients?waitlistId=\(world.waitlistId)&postcodeContains=\(world.pc4)ab", token: world.coordinator)
        #expect(try byPostcode.object()["total"] as? Int == 3)
        let none = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)&postcodeContains=ZZ", token: world.coordinator)
        #expect(try none.object()["total"] as? Int == 0)
        // Group 1 matches the area only: letters find nothing.
        let group1 = try await app.call(
            "GET", "/v1/clients?waitlistId=\(world.waitlistId)&postcodeContains=AB", token: world.coordinatorGroup1)
        #expect(try group1.object()["total"] as? Int == 0)

        // Due in 40 days is week 35: urgent.
        let urgent = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)&urgent=true", token: world.coordinator)
        #expect(try app.items(urgent).map { $0["id"] as? String } == [ids[0]])
        #expect(try app.items(urgent).first?["pregnancyWeek"] as? Int == 35)
    }

    @Test func releaseWithinSevenDaysPutsHerBack() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 2)
        let client = try await world.placedClient()
        #expect(try await app.call("POST", "/v1/clients/\(client.id)/enrolment", token: world.providers[0].token).status == 201)
        // Only the enrolling provider may release.
        #expect(
            try await app.call("POST", "/v1/clients/\(client.id)/release", token: world.providers[1].token, json: ["reason": "x"]).status
                == 404)
        let released = try await app.call(
            "POST", "/v1/clients/\(client.id)/release", token: world.providers[0].token, json: ["reason": "geen plek"])
        #expect(released.status == 200)
        #expect(try released.object()["status"] as? String == "waiting")
        // After the window: refused with the reason.
        #expect(try await app.call("POST", "/v1/clients/\(client.id)/enrolment", token: world.providers[1].token).status == 201)
        _ = try await app.pool.execute("UPDATE clients SET enrolled_on = current_date - 8 WHERE id = \(UUID(uuidString: client.id)!)")
        let late = try await app.call(
            "POST", "/v1/clients/\(client.id)/release", token: world.providers[1].token, json: ["reason": "te laat"])
        #expect(late.status == 422)
    }

    @Test func capacityAndTheWeeklyReport() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let client = try await world.placedClient(dueDate: day(70))
        let dueWeek = ISOWeekText.of(day(70))
        let put = try await app.call(
            "PUT", "/v1/regions/\(world.regionId)/capacity/\(dueWeek)", token: world.providers[0].token, json: ["places": 3])
        #expect(put.status == 200)
        #expect(
            try await app.call(
                "PUT", "/v1/regions/\(world.regionId)/capacity/\(dueWeek)", token: world.strangerProvider.token, json: ["places": 3]
            ).status == 403)
        let cap = try await app.call(
            "GET", "/v1/regions/\(world.regionId)/capacity?from=\(dueWeek)&to=\(dueWeek)", token: world.coordinator)
        #expect(cap.status == 200)
        let weeks = try #require(try cap.object()["weeks"] as? [[String: Any]])
        #expect(weeks.first?["waiting"] as? Int == 1)
        #expect(((weeks.first?["places"] as? [[String: Any]])?.first?["places"] as? Int) == 3)

        // Weeks are ISO weeks of 1900 to 2200 (as dates are), and W53 only in a year that has one (2026 has, 2027 not).
        for bad in ["0439-W10", "2201-W01", "2027-W53", "2026-W54"] {
            #expect(
                try await app.call("GET", "/v1/waitlists/\(world.waitlistId)/report?week=\(bad)", token: world.coordinator).status == 400)
            #expect(
                try await app.call(
                    "PUT", "/v1/regions/\(world.regionId)/capacity/\(bad)", token: world.providers[0].token, json: ["places": 3]
                ).status == 400)
        }
        #expect(try await app.call("GET", "/v1/waitlists/\(world.waitlistId)/report?week=2026-W53", token: world.coordinator).status == 200)

        let report = try await app.call("GET", "/v1/waitlists/\(world.waitlistId)/report", token: world.coordinator)
        #expect(report.status == 200)
        let totals = try #require(try report.object()["totals"] as? [String: Any])
        #expect(totals["waiting"] as? Int == 1)
        #expect(totals["newPlacements"] as? Int == 1)
        let csv = try await app.call(
            "GET", "/v1/waitlists/\(world.waitlistId)/report", token: world.coordinator, headers: [("Accept", "text/csv")])
        #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        // Dutch Excel: BOM, `;`, CRLF, Dutch headers (the client export's conventions).
        #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(csv.text.contains("Uitgerekend (week);Wachtend;Urgent;Ingeschreven;Nieuw geplaatst\r\n"))
        #expect(csv.text.contains("\(dueWeek);1;0;0;1\r\n"))
        #expect(csv.text.contains("Totaal;1;0;0;1\r\n"))
        _ = client
    }
}

enum ISOWeekText {
    static func of(_ iso: String) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        let d = f.date(from: iso)!
        let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: d)
        return String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
    }
}
