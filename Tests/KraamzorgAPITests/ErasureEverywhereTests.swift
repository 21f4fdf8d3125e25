import Foundation
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import Testing
import TestSupport

/// DOMAIN §8, second round: erasure (her withdrawal, the retention six months after her due date) removes her
/// personal data from every place it was copied to, leaving ids only. The places are `ClientPersonalData.places`;
/// the checks below are driven by that list, column by column, and then search every table for her values.
@Suite struct ErasureEverywhereTests {
    /// Her values as stored before the erasure (to be found nowhere after it).
    struct Her {
        let id: String
        let email: String
        let tokens: [String]
        var values: [String] { [email, "Anna", "de Vries", "06 12345678"] + tokens }
    }

    @Test func afterHerWithdrawalAndAfterTheRetentionNothingPersonalOfHersRemainsInAnyListedColumnWhileIdsCountsAndAuditRowsRemain()
        async throws
    {
        let flow = try await SecretsInADumpTests.Flow.start()
        defer { Task { await flow.stop() } }
        let app = flow.app
        let world = try await WaitlistWorld.make(app: app, providers: 2)

        // Client 1: invited and placed through mailed links, enrolled (her enrolment notice still pending),
        // released, withdrawn by the coordinator with a reason that names her.
        let first = try await flow.placedClient(world, dueDate: day(100))
        let postcode1: String = try await app.pool.query("SELECT postcode FROM clients WHERE id = \(UUID(uuidString: first.id)!)")[0]
            .decode("postcode")
        #expect(try await app.call("POST", "/v1/clients/\(first.id)/enrolment", token: world.providers[0].token).status == 201)
        #expect(
            try await app.call(
                "POST", "/v1/clients/\(first.id)/release", token: world.providers[0].token, json: ["reason": "Anna belde af"]
            ).status == 200)
        #expect(
            try await app.count(
                "SELECT count(*) FROM notifications WHERE client_id = \(UUID(uuidString: first.id)!) AND organization_id IS NULL AND status = 'pending' AND body LIKE 'Beste Anna%'"
            ) == 2)  // her enrolment notice and her hand-back notice (DOMAIN §7a)
        // A message to her still waiting with her link in it (as between acceptance and the next outbox pass).
        _ = try await app.pool.execute(
            """
            INSERT INTO notifications (kind, recipient, client_id, subject, body, link)
            VALUES ('placementConfirmation', \(first.email), \(UUID(uuidString: first.id)!), 'Beste Anna', 'Beste Anna,', \("https://kraamzorg.test/aanmelding/\(first.link)"))
            """)
        let withdrawn = try await app.call(
            "POST", "/v1/clients/\(first.id)/withdrawal", token: world.coordinator, json: ["reason": "Anna de Vries is verhuisd"])
        #expect(withdrawn.status == 200)

        // Client 2: placed with her due date tomorrow, reports the birth through her link (a birth date in her
        // event), erased by the retention six months later (a fixed DutchClock).
        let second = try await flow.placedClient(world, dueDate: day(1))
        let postcode2: String = try await app.pool.query("SELECT postcode FROM clients WHERE id = \(UUID(uuidString: second.id)!)")[0]
            .decode("postcode")
        #expect(try await app.call("POST", "/v1/client-links/\(second.link)/birth", json: ["bornOn": day(0)]).status == 200)
        #expect(
            try await app.count("SELECT count(*) FROM events WHERE client_id = \(UUID(uuidString: second.id)!) AND data ? 'bornOn'") == 1)
        let before = try await counts(app)
        let later = DutchTime.startOfDay(CivilDate.todayForTests().adding(days: 1).adding(months: 6)).addingTimeInterval(12 * 3600)
        #expect(try await ClientWorkflows(pool: app.pool, clock: .fixed(later)).erasePersonalData().contains(UUID(uuidString: second.id)!))

        for (her, postcode) in [
            (Her(id: first.id, email: first.email, tokens: [first.invitation, first.link]), postcode1),
            (Her(id: second.id, email: second.email, tokens: [second.invitation, second.link]), postcode2),
        ] {
            let id = UUID(uuidString: her.id)!
            // Column by column, from the list itself.
            for place in ClientPersonalData.places {
                let rows = try await app.pool.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT * FROM \(place.table) WHERE \(place.rows.replacingOccurrences(of: "$ids", with: "$1::uuid[]"))",
                        binds: [.text("{\(her.id)}")]))
                #expect(!rows.isEmpty, "\(place.table) holds rows of hers to erase")
                for row in rows {
                    for column in place.columns {
                        let value: String? = row.isNull(column.name) ? nil : try row.decode(column.name, as: String.self)
                        switch column.erasure {
                        case .null: #expect(value == nil, "\(place.table).\(column.name)")
                        case .placeholder: #expect(value == ClientPersonalData.placeholder, "\(place.table).\(column.name)")
                        case .freeText(let keeping):
                            #expect(
                                value == nil || value == ClientPersonalData.placeholder || keeping.contains(value!),
                                "\(place.table).\(column.name)")
                        case .neutralSubject: #expect(value == WaitlistMessages.erased.subject, "\(place.table).\(column.name)")
                        case .neutralBody: #expect(value == WaitlistMessages.erased.body, "\(place.table).\(column.name)")
                        case .unsentReason:
                            #expect(
                                value == nil || value == ClientPersonalData.placeholder || value == WaitlistMessages.erased.notSent,
                                "\(place.table).\(column.name)")
                        case .keepKeys(let keys):
                            let object = try JSONSerialization.jsonObject(with: Data((value ?? "{}").utf8)) as? [String: Any] ?? [:]
                            #expect(Set(object.keys).isSubset(of: Set(keys)), "\(place.table).\(column.name): \(object.keys)")
                        }
                    }
                }
            }
            // Nothing addressed to her is sent any more (notices to organisations, group-1 facts only, still go).
            #expect(
                try await app.count(
                    "SELECT count(*) FROM notifications WHERE client_id = \(id) AND organization_id IS NULL AND status = 'pending'") == 0)
            // Her values are nowhere: every table she was copied to, searched whole-row.
            for table in [
                "clients", "notifications", "events", "webhook_deliveries", "audit_events", "invitations", "client_links", "consents",
            ] {
                for value in her.values + [postcode] {
                    #expect(
                        try await app.count(
                            PostgresQuery(
                                unsafeSQL: "SELECT count(*) FROM \(table) t WHERE strpos(lower(t::text), lower($1)) > 0",
                                binds: [.text(value)])) == 0, "\(table) still holds \(value)")
                }
            }
            // The admins' view of the outbox by her address returns nothing of hers.
            let outbox = try await app.admin("GET", "/v1/notifications?to=\(her.email)")
            let mine = try app.items(outbox)
            #expect(outbox.status == 200 && mine.isEmpty)
            // Her ids, her group-1 facts and the audit log remain.
            #expect(
                try await app.count("SELECT count(*) FROM clients WHERE id = \(id) AND client_number IS NOT NULL AND erased_at IS NOT NULL")
                    == 1)
            #expect(
                try await app.count(
                    "SELECT count(*) FROM notifications WHERE client_id = \(id) AND organization_id IS NULL AND recipient = 'erased'") >= 2)
            #expect(try await app.count("SELECT count(*) FROM audit_events WHERE client_id = \(id)") >= 3)
        }
        #expect(
            try await app.count(
                "SELECT count(*) FROM notifications WHERE client_id = \(UUID(uuidString: first.id)!) AND status = 'failed' AND last_error = \(WaitlistMessages.erased.notSent)"
            ) == 3)
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE client_id = \(UUID(uuidString: second.id)!) AND details->>'event' = 'retentionErasure'"
            ) == 1)
        // Counts stay: no row was deleted (the retention only added its audit rows).
        let after = try await counts(app)
        for (table, n) in before where table != "audit_events" { #expect(after[table] == n, "\(table)") }
        #expect(after["audit_events"]! > before["audit_events"]!)
    }

    func counts(_ app: TestApp) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for table in [
            "clients", "notifications", "events", "webhook_deliveries", "audit_events", "invitations", "client_links", "consents",
        ] {
            out[table] = try await app.count(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"))
        }
        return out
    }
}
