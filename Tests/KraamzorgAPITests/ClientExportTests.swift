import Foundation
import KraamzorgRules
import PostgresClient
import Testing
import TestSupport

/// `GET /v1/clients` with `Accept: text/csv`: a spreadsheet for Dutch Excel with exactly what the caller may see.
@Suite struct ClientExportTests {
    func csv(_ app: TestApp, _ query: String, token: String) async throws -> TestResponse {
        try await app.call("GET", "/v1/clients?\(query)", token: token, headers: [("Accept", "text/csv")])
    }

    /// The file's lines without the BOM, split at CRLF (a bare LF would stay inside a line).
    func lines(_ r: TestResponse) -> [String] {
        let text = String(decoding: r.body.dropFirst(3), as: UTF8.self)
        return text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test func aDutchExcelFileWithTheCallersRowsAndFieldsOnlyAndAnAuditedExport() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        let first = try await world.placedClient(dueDate: day(60))
        let second = try await world.placedClient(dueDate: day(90))
        let q = "waitlistId=\(world.waitlistId)"

        let full = try await csv(app, q, token: world.coordinator)
        #expect(full.status == 200)
        #expect(full.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(full.header("Content-Disposition")?.hasPrefix("attachment; filename=\"wachtlijst-clienten-") == true)
        #expect(Array(full.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = lines(full)
        #expect(
            rows.first
                == "Wachtlijst;Wachtlijstnr. cliënt;Postcode;Uitgerekend;Zwangerschapsweek;Urgent;Status;Kraamzorgaanbieder;Voornaam;Achternaam;E-mailadres;Telefoonnummer"
        )
        #expect(rows.count == 3)  // both clients, sorted by due date, as the JSON list
        let due = CivilDate.todayForTests().adding(days: 60)
        let dutch = String(format: "%02d-%02d-%04d", due.day, due.month, due.year)
        let cells = rows[1].components(separatedBy: ";")
        #expect(cells[0] == "Wachtlijst \(world.pc4)")
        #expect(cells[2] == "\(world.pc4) AB")
        #expect(cells[3] == dutch)
        #expect(cells[6] == "wachtend")
        #expect(cells[8] == "Anna" && cells[9] == "de Vries" && cells[11] == "06 12345678")
        #expect(cells[10].hasPrefix("client-"))

        // Group 1: no personal columns and no personal values; the postcode is the area (PC4).
        for token in [world.coordinatorGroup1, world.insurerGroup1, world.providers[0].group1, world.providers[0].token] {
            let r = try await csv(app, q, token: token)
            #expect(r.status == 200)
            let ls = lines(r)
            #expect(
                ls.first == "Wachtlijst;Wachtlijstnr. cliënt;Postcode;Uitgerekend;Zwangerschapsweek;Urgent;Status;Kraamzorgaanbieder"
                    || (token == world.providers[0].token && ls.first?.hasSuffix("Telefoonnummer") == true))
            #expect(ls.count == 3)
            #expect(!r.text.contains("Anna") && !r.text.contains("Vries") && !r.text.contains("12345678"))
            #expect(!r.text.contains("\(world.pc4) AB") && !r.text.contains("@example.nl"))
            #expect(ls[1].components(separatedBy: ";")[2] == "\(world.pc4)")
        }
        // Someone who sees none of them: a header only.
        #expect(lines(try await csv(app, q, token: world.strangerProvider.token)).count == 1)
        // The same filters as the JSON list; and the whole list, not one page.
        #expect(lines(try await csv(app, q + "&dueTo=\(day(70))", token: world.coordinator)).count == 2)
        #expect(lines(try await csv(app, q + "&limit=1", token: world.coordinator)).count == 3)
        #expect(try await csv(app, q + "&dueTo=never", token: world.coordinator).status == 400)

        // Audited as an export: one event per client in the file.
        let ids = [first.id, second.id].map { UUID(uuidString: $0)! }
        #expect(
            try await app.count(
                "SELECT count(*) FROM audit_events WHERE action = 'export' AND client_id = ANY(\(ids)::uuid[]) AND details->>'format' = 'text/csv'"
            ) >= 2 * 5)
    }

    @Test func cellsThatASpreadsheetWouldRunAsAFormulaAreNeutralised() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        // A client number and a name that would be formulas in Excel, and one with the separator and a quote.
        let r = try await world.invite(number: "=HYPERLINK(\"X\";\"Y\")")
        #expect(r.status == 201)
        let id = try #require(try r.object()["clientId"] as? String)
        let invitation = try await app.outboxToken(clientId: id, kind: "invitation", prefix: "/uitnodiging/")
        var acceptance = world.acceptance()
        acceptance["firstName"] = "@SUM(A1)"
        acceptance["lastName"] = "+31;\"x\""
        #expect(try await app.call("POST", "/v1/invitations/\(invitation)/accept", json: acceptance).status == 201)
        let file = try await csv(app, "waitlistId=\(world.waitlistId)", token: world.coordinator)
        let row = try #require(lines(file).dropFirst().first)
        #expect(row.contains(";\"'=HYPERLINK(\"\"X\"\";\"\"Y\"\")\";"))
        #expect(row.contains(";'@SUM(A1);"))
        #expect(row.contains(";\"'+31;\"\"x\"\"\";"))
        #expect(!row.contains(";=") && !row.contains(";@") && !row.contains(";+"))
    }
}
