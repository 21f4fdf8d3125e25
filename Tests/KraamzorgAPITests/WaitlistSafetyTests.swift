import Foundation
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import Testing
import TestSupport
import KraamzorgUseCases

/// Link tokens, the audit log, bad input, and retention.
@Suite struct WaitlistSafetyTests {
    @Test func expiredReusedAndUnknownInvitationTokensAreRefused() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        #expect(try await app.call("GET", "/v1/invitations/nonsense").status == 404)
        #expect(try await app.call("POST", "/v1/invitations/nonsense/accept", json: world.acceptance()).status == 404)

        let first = try await world.invite()
        let firstId = try #require(try first.object()["clientId"] as? String)
        let token = try await app.outboxToken(clientId: firstId, kind: "invitation", prefix: "/uitnodiging/")
        #expect(try await app.call("POST", "/v1/invitations/\(token)/accept", json: world.acceptance()).status == 201)
        // Single use.
        #expect(try await app.call("POST", "/v1/invitations/\(token)/accept", json: world.acceptance()).status == 404)
        #expect(try await app.call("GET", "/v1/invitations/\(token)").status == 404)

        // Expired.
        let second = try await world.invite()
        let secondId = try #require(try second.object()["clientId"] as? String)
        let stale = try await app.outboxToken(clientId: secondId, kind: "invitation", prefix: "/uitnodiging/")
        _ = try await app.pool.execute(
            "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE client_id = \(UUID(uuidString: secondId)!)")
        #expect(try await app.call("GET", "/v1/invitations/\(stale)").status == 404)
        #expect(try await app.call("POST", "/v1/invitations/\(stale)/accept", json: world.acceptance()).status == 404)
        #expect(try await app.count("SELECT count(*) FROM clients WHERE id = \(UUID(uuidString: secondId)!) AND status = 'invited'") == 1)
    }

    @Test func expiredAndUnknownClientLinksAreRefused() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let client = try await world.placedClient()
        #expect(try await app.call("GET", "/v1/client-links/nonsense").status == 404)
        #expect(try await app.call("POST", "/v1/client-links/nonsense/birth", json: ["bornOn": day(0)]).status == 404)
        // Her link expires 90 days after the due date.
        let expiry: String = try await app.pool.query(
            """
            SELECT (expires_at AT TIME ZONE 'Europe/Amsterdam')::date::text AS d FROM client_links WHERE client_id = \(UUID(uuidString: client.id)!)
            """)[0].decode("d")
        #expect(expiry == day(100 + 91))
        _ = try await app.pool.execute(
            "UPDATE client_links SET expires_at = now() - interval '1 second' WHERE client_id = \(UUID(uuidString: client.id)!)")
        #expect(try await app.call("GET", "/v1/client-links/\(client.link)").status == 404)
        #expect(try await app.call("POST", "/v1/client-links/\(client.link)/withdrawal", json: [:] as [String: String]).status == 404)
        #expect(try await app.call("GET", "/v1/client-links/\(client.link)/access-log").status == 404)
    }

    @Test func personalDataReadsAndChangesAreAuditedAndTheLogIsAppendOnly() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let client = try await world.placedClient()
        let uuid = UUID(uuidString: client.id)!
        _ = try await app.call("GET", "/v1/clients/\(client.id)", token: world.insurer)
        _ = try await app.call("GET", "/v1/clients?waitlistId=\(world.waitlistId)", token: world.coordinator)
        _ = try await app.call("POST", "/v1/clients/\(client.id)/enrolment", token: world.providers[0].token)
        let actions = try await app.pool.query("SELECT action, role FROM audit_events WHERE client_id = \(uuid) ORDER BY at")
            .map { "\(try $0.decode("action", as: String.self)):\(try $0.decode("role", as: String?.self) ?? "-")" }
        #expect(actions.contains("create:insurer"))  // invited
        #expect(actions.contains("update:client"))  // accepted through her link
        #expect(actions.contains("read:insurer"))
        #expect(actions.contains("search:coordinator"))
        #expect(actions.contains("update:careProvider"))  // enrolled

        // The admin asks "who saw this client"; the question itself is logged.
        let events = try await app.admin("GET", "/v1/audit-events?clientId=\(client.id)")
        #expect(events.status == 200)
        #expect((try events.object()["total"] as? Int ?? 0) >= 5)
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE object_type = 'auditEvents' AND details->>'clientId' = \(client.id)") == 1)
        #expect(try await app.call("GET", "/v1/audit-events", token: world.coordinator).status == 403)

        // No route changes events, and the database refuses it.
        #expect(try await app.admin("DELETE", "/v1/audit-events").status != 200)
        await #expect(throws: PostgresError.self) {
            _ = try await app.pool.execute("UPDATE audit_events SET outcome = 'x' WHERE client_id = \(uuid)")
        }
        await #expect(throws: PostgresError.self) {
            _ = try await app.pool.execute("DELETE FROM audit_events WHERE client_id = \(uuid)")
        }

        // The outbox for admins.
        let outbox = try await app.admin("GET", "/v1/notifications?kind=placementConfirmation&limit=500")
        #expect(outbox.status == 200)
        #expect(try app.items(outbox).allSatisfy { $0["kind"] as? String == "placementConfirmation" })
        #expect(try await app.call("GET", "/v1/notifications", token: world.coordinator).status == 403)
        let email: String = try await app.pool.query("SELECT email FROM clients WHERE id = \(uuid)")[0].decode("email")
        let hers = try await app.admin("GET", "/v1/notifications?to=\(email.uppercased())")
        #expect(
            Set(try app.items(hers).compactMap { $0["kind"] as? String }) == ["invitation", "placementConfirmation", "enrolmentNotice"])
        // Link tokens are credentials: the outbox as the API shows it never carries them, and the read is audited.
        let links: [String] = try await app.pool.query("SELECT link FROM notifications WHERE client_id = \(uuid) AND link IS NOT NULL").map
        { try $0.decode("link") }
        #expect(!links.isEmpty)
        for link in links { #expect(!hers.text.contains(String(link.split(separator: "/").last!))) }
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE client_id = \(uuid) AND details->>'route' = 'GET /v1/notifications'") >= 1)

        // "What did this user see": the provider's enrolment is listed under her user id.
        let me = try await app.call("GET", "/v1/me", token: world.providers[0].token).object()
        let userId = try #require((me["user"] as? [String: Any])?["id"] as? String ?? me["id"] as? String)
        let byUser = try await app.admin("GET", "/v1/audit-events?userId=\(userId)&from=\(day(-1))")
        #expect(try app.items(byUser).contains { $0["clientId"] as? String == client.id && $0["action"] as? String == "update" })

        // Her access log shows the provider's organisation, and reading it is logged.
        _ = try await app.call("GET", "/v1/client-links/\(client.link)/access-log")
        #expect(try await app.count("SELECT count(*) FROM audit_events WHERE client_id = \(uuid) AND object_type = 'accessLog'") == 1)
    }

    @Test func badInputIsAProblemAndWritesNothing() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        func clients() async throws -> Int {
            try await app.count("SELECT count(*) FROM clients WHERE waitlist_id = \(UUID(uuidString: world.waitlistId)!)")
        }
        func outbox() async throws -> Int {
            try await app.count(
                "SELECT count(*) FROM notifications n JOIN clients c ON c.id = n.client_id WHERE c.waitlist_id = \(UUID(uuidString: world.waitlistId)!)"
            )
        }
        for postcode in ["0123AB", "\(world.pc4)SA", "\(world.pc4)S", "AB\(world.pc4)"] {
            let r = try await world.invite(postcode: postcode)
            #expect(r.status == 400, "\(postcode)")
            #expect(r.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect((try r.object()["errors"] as? [[String: Any]])?.first?["field"] as? String == "postcode")
        }
        let unknown = try await app.call(
            "POST", "/v1/waitlists/\(UUID().uuidString)/invitations", token: world.insurer,
            json: ["clientNumber": "X1", "email": "a@example.nl", "postcode": world.postcode, "dueDate": day(100)])
        #expect(unknown.status == 404)
        let outside = try await world.invite(dueDate: day(400))
        #expect(outside.status == 422)
        #expect((try outside.object()["errors"] as? [[String: Any]])?.contains { $0["field"] as? String == "dueDate" } == true)
        let otherRegion = try await world.invite(postcode: "9999 AA")
        #expect(otherRegion.status == 422)
        let noInsurer = try await world.invite(token: world.coordinator)
        #expect(noInsurer.status == 422)  // who must name the insurer depends on the caller: refused
        #expect((try noInsurer.object()["errors"] as? [[String: Any]])?.first?["field"] as? String == "insurerId")
        // Group-1 insurers may not invite.
        #expect(try await world.invite(token: world.insurerGroup1).status == 403)
        #expect(try await clients() == 0)
        #expect(try await outbox() == 0)

        // A coordinator with an insurer may.
        let byCoordinator = try await world.invite(token: world.coordinator, insurerId: world.insurerId)
        #expect(byCoordinator.status == 201)
        let clientId = try #require(try byCoordinator.object()["clientId"] as? String)
        // The same client number again while active: 409.
        let number = try await app.pool.query("SELECT client_number FROM clients WHERE id = \(UUID(uuidString: clientId)!)")[0].decode(
            "client_number", as: String.self)
        #expect(try await world.invite(number: number.lowercased()).status == 409)

        // Acceptance: missing consent, false consent, stale version, due date outside the range, closed list.
        let token = try await app.outboxToken(clientId: clientId, kind: "invitation", prefix: "/uitnodiging/")
        #expect(try await app.call("POST", "/v1/invitations/\(token)/accept", json: world.acceptance(consent: nil)).status == 400)
        #expect(try await app.call("POST", "/v1/invitations/\(token)/accept", json: world.acceptance(consent: false)).status == 400)
        var stale = world.acceptance()
        stale["consentVersion"] = "2019-1"
        #expect(try await app.call("POST", "/v1/invitations/\(token)/accept", json: stale).status == 409)
        #expect(try await app.call("POST", "/v1/invitations/\(token)/accept", json: world.acceptance(dueDate: day(300))).status == 422)
        #expect(
            try await app.call("PATCH", "/v1/waitlists/\(world.waitlistId)", token: world.coordinator, json: ["status": "closed"]).status
                == 200)
        let refused = try await app.call("POST", "/v1/invitations/\(token)/accept", json: world.acceptance(dueDate: day(300)))
        #expect(refused.status == 422)
        let fields = Set((try refused.object()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
        #expect(fields == ["waitlist", "dueDate"])
        #expect(
            try await app.count(
                "SELECT count(*) FROM clients WHERE id = \(UUID(uuidString: clientId)!) AND status = 'invited' AND first_name IS NULL") == 1
        )
        #expect(try await app.count("SELECT count(*) FROM consents WHERE client_id = \(UUID(uuidString: clientId)!)") == 0)
    }

    @Test func regionsAndWaitlistsMayNotOverlap() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let clash = try await app.admin(
            "POST", "/v1/regions", json: ["name": "Dubbel", "postcodeRanges": [["from": world.pc4 + 5, "to": world.pc4 + 6]]])
        #expect(clash.status == 409)
        let overlapping = try await app.call(
            "POST", "/v1/waitlists", token: world.coordinator,
            json: [
                "regionId": world.regionId, "name": "Te veel", "status": "open", "dueFrom": day(200), "dueTo": day(300),
            ])
        #expect(overlapping.status == 409)
        let next = try await app.call(
            "POST", "/v1/waitlists", token: world.coordinator,
            json: [
                "regionId": world.regionId, "name": "Volgende", "status": "closed", "dueFrom": day(251), "dueTo": day(300),
            ])
        #expect(next.status == 201)
        // Another region's coordinator may not.
        let other = try await WaitlistWorld.make(app: app, providers: 0)
        #expect(
            try await app.call("PATCH", "/v1/waitlists/\(world.waitlistId)", token: other.coordinator, json: ["status": "closed"]).status
                == 403)
        #expect(
            try await app.call(
                "POST", "/v1/regions", token: world.coordinator, json: ["name": "x", "postcodeRanges": [["from": 9990, "to": 9991]]]
            ).status == 403)
        let regions = try await app.call("GET", "/v1/regions", token: world.providers.first?.token ?? world.insurer)
        #expect(regions.status == 200)
    }

    @Test func retentionErasesPersonalFieldsSixMonthsAfterTheDueDate() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        let old = try await world.placedClient(dueDate: day(1))
        let recent = try await world.placedClient(dueDate: day(200))
        let later = DutchTime.startOfDay(CivilDate.todayForTests().adding(days: 1).adding(months: 6)).addingTimeInterval(12 * 3600)
        let erased = try await ClientWorkflows(pool: app.pool, clock: .fixed(later)).erasePersonalData()
        #expect(erased.contains(UUID(uuidString: old.id)!))
        #expect(!erased.contains(UUID(uuidString: recent.id)!))
        let row = try await app.call("GET", "/v1/clients/\(old.id)", token: world.coordinator).object()
        for f in personalFields { #expect(row[f] == nil) }
        #expect(row["clientNumber"] != nil)
        #expect(try await app.call("GET", "/v1/clients/\(recent.id)", token: world.coordinator).object()["firstName"] as? String == "Anna")
        #expect(
            try await app.count("SELECT count(*) FROM audit_events WHERE client_id = \(UUID(uuidString: old.id)!) AND action = 'delete'")
                == 1)
    }

    @Test func theQualityDataObligationIsPublic() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.call(
            "POST", "/v1/quality-data-obligation", json: ["year": 2025, "providerKind": "organisation", "bedsTotal": 10])
        #expect(r.status == 200)
        #expect(try r.object()["mustDeliver"] as? Bool != nil)
        let bad = try await app.call("POST", "/v1/quality-data-obligation", json: ["year": 2025, "providerKind": "nobody"])
        #expect(bad.status == 400)
    }
}
