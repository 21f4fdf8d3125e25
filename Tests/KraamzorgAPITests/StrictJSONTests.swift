import Foundation
import Testing
import TestSupport

/// Request bodies are read strictly: a key twice (a proxy may read the last one where we would have read the
/// first) or a key the request does not have (a typo in a PATCH was a silent no-op) is a 400 naming it, and nothing
/// is written. Batch items report a field they do not have as their own problem, like any other bad field.
@Suite struct StrictJSONTests {
    /// The raw bytes, as sent: JSONSerialization cannot write a key twice.
    func send(_ app: TestApp, _ method: String, _ path: String, token: String, _ body: String) async throws -> TestResponse {
        try await app.client.request(
            method, path, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
            body: Array(body.utf8))
    }

    func errors(_ r: TestResponse) -> [String: String] {
        let list = ((try? r.object()["errors"] as? [[String: Any]]) ?? [])
        return Dictionary(
            list.compactMap { e in (e["field"] as? String).map { ($0, e["message"] as? String ?? "") } }, uniquingKeysWith: { a, _ in a })
    }

    func expect400(
        _ r: TestResponse, naming field: String, _ message: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(r.status == 400, "\(context): \(r.status) \(r.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(r.header("Content-Type") == "application/problem+json", "\(context)", sourceLocation: sourceLocation)
        #expect(errors(r)[field] == message, "\(context): \(r.text.prefix(400))", sourceLocation: sourceLocation)
    }

    static let twice = "is given more than once"
    static let unknown = "is not a field of this request"

    @Test func organizations() async throws {
        let app = try await TestApp.shared.value
        let name = "Strict \(UUID().uuidString.prefix(8))"
        let duplicate = try await send(
            app, "POST", "/v1/organizations", token: app.adminToken,
            #"{"kind": "insurer", "name": "\#(name) A", "name": "\#(name) B"}"#)
        expect400(duplicate, naming: "name", Self.twice, "name twice")
        let typo = try await send(app, "POST", "/v1/organizations", token: app.adminToken, #"{"kind": "insurer", "nmae": "\#(name)"}"#)
        expect400(typo, naming: "nmae", Self.unknown, "nmae")
        // What else is wrong is said too.
        #expect(errors(typo)["name"] == "is required")
        let extra = try await send(
            app, "POST", "/v1/organizations", token: app.adminToken,
            #"{"kind": "insurer", "name": "\#(name)", "agbcode": "12345678", "regionIds": []}"#)
        expect400(extra, naming: "agbcode", Self.unknown, "agbcode")
        #expect(errors(extra).count == 1)
        #expect(try await app.registerRows("organizations WHERE name LIKE '\(name)%'") == 0)

        // PATCH: a typo changes nothing, and says so.
        let id = try await app.organization("insurer", name: name)
        let patch = try await send(
            app, "PATCH", "/v1/organizations/\(id)", token: app.adminToken, #"{"name": "\#(name) new", "kvknumber": "12345678"}"#)
        expect400(patch, naming: "kvknumber", Self.unknown, "patch kvknumber")
        let again = try await send(
            app, "PATCH", "/v1/organizations/\(id)", token: app.adminToken, #"{"name": "\#(name) new", "name": "x"}"#)
        expect400(again, naming: "name", Self.twice, "patch name twice")
        #expect(try await app.registerRows("organizations WHERE id = '\(id)' AND name = '\(name)' AND kvk_number IS NULL") == 1)
    }

    @Test func practitionerPatch() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01", first: "Anna")
        let path = "/v1/practitioners/\(p.id)"
        expect400(try await send(app, "PATCH", path, token: app.adminToken, #"{"nmae": "Eva"}"#), naming: "nmae", Self.unknown, "nmae")
        expect400(
            try await send(app, "PATCH", path, token: app.adminToken, #"{"firstName": "Eva", "lastname": "Smit"}"#),
            naming: "lastname", Self.unknown, "lastname beside a good field")
        expect400(
            try await send(app, "PATCH", path, token: app.adminToken, #"{"firstName": "Eva", "firstName": "Evi"}"#),
            naming: "firstName", Self.twice, "firstName twice")
        expect400(
            try await send(app, "PATCH", path, token: app.adminToken, #"{"firstName": "Eva", "FirstName": "Evi"}"#),
            naming: "FirstName", Self.unknown, "keys are case-sensitive")
        #expect(try await app.registerRows("practitioners WHERE id = '\(p.id)' AND first_name = 'Anna'") == 1)
        // The same patch without the stray key goes through.
        let good = try await send(app, "PATCH", path, token: app.adminToken, #"{"firstName": "Eva"}"#)
        #expect(good.status == 200, "\(good.text)")
        #expect(try await app.registerRows("practitioners WHERE id = '\(p.id)' AND first_name = 'Eva'") == 1)
    }

    @Test func courses() async throws {
        let app = try await TestApp.shared.value
        let (providerId, provider) = try await app.provider()
        func course(_ lines: String, extra: String = "") -> String {
            #"{"title": "Strikt", "format": "classroom", "startDate": "2024-01-01", \#(extra)"accreditations": [\#(lines)]}"#
        }
        let line = #"{"norm": "2023", "category": "D", "points": 1}"#
        expect400(
            try await send(
                app, "POST", "/v1/courses", token: provider,
                course(line + #", {"norm": "2023", "category": "D", "points": 1, "points": 9}"#)),
            naming: "accreditations[1].points", Self.twice, "points twice in the second line")
        expect400(
            try await send(app, "POST", "/v1/courses", token: provider, course(#"{"norm": "2023", "category": "D", "pionts": 1}"#)),
            naming: "accreditations[0].pionts", Self.unknown, "pionts")
        expect400(
            try await send(
                app, "POST", "/v1/courses", token: provider, course(line, extra: #""endDate": "2024-01-02", "enddate": "2024-01-03", "#)),
            naming: "enddate", Self.unknown, "enddate")
        #expect(try await app.registerRows("courses WHERE provider_id = '\(providerId)'") == 0)
        #expect(try await send(app, "POST", "/v1/courses", token: provider, course(line)).status == 201)
    }

    @Test func accreditations() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let course = try await app.course(provider, lines: [("2023", "D", nil, 1)])
        let p = try await app.practitioner(start: "2023-06-01")
        func item(_ day: Int, _ extra: String = "") -> String {
            #"{"courseId": "\#(course)", "registrationNumber": "\#(p.number)", \#(extra)"completedOn": "2024-02-\#(String(format: "%02d", day))"}"#
        }
        func rows() async throws -> Int { try await app.registerRows("accreditations WHERE practitioner_id = '\(p.id)'") }

        // A key twice in one item: the whole batch is refused, the item's key named.
        let twice = (1...3).map { item($0) } + [item(4, #""registrationNumber": "KCKZ-0000", "#)]
        expect400(
            try await send(app, "POST", "/v1/accreditations", token: provider, #"{"items": [\#(twice.joined(separator: ","))]}"#),
            naming: "items[3].registrationNumber", Self.twice, "registrationNumber twice in items[3]")
        expect400(
            try await send(app, "POST", "/v1/accreditations", token: provider, #"{"items": [\#(item(1))], "items": []}"#),
            naming: "items", Self.twice, "items twice")
        #expect(try await rows() == 0)

        // A field an item does not have: that item's 400, the others booked.
        let batch = try await send(
            app, "POST", "/v1/accreditations", token: provider,
            #"{"items": [\#(item(1)), \#(item(2, #""nmae": "Anna", "#)), \#(item(3))]}"#)
        #expect(batch.status == 200, "\(batch.text)")
        let results = (try? batch.object()["results"] as? [[String: Any]]) ?? []
        #expect(results.map { $0["status"] as? Int } == [201, 400, 201])
        let problem = results.count == 3 ? results[1]["problem"] as? [String: Any] : nil
        let itemErrors = (problem?["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        #expect(itemErrors == ["nmae"], "\(problem ?? [:])")
        #expect(try await rows() == 2)

        // A single completion: the same problem is the answer.
        expect400(
            try await send(app, "POST", "/v1/accreditations", token: provider, item(5, #""completedon": "2024-02-05", "#)),
            naming: "completedon", Self.unknown, "single completedon")
        expect400(
            try await send(app, "POST", "/v1/accreditations", token: provider, item(5, #""completedOn": "2024-02-06", "#)),
            naming: "completedOn", Self.twice, "single completedOn twice")
        // Beside items: a batch-level key it does not have, or a completion's field that belongs in the items.
        expect400(
            try await send(app, "POST", "/v1/accreditations", token: provider, #"{"items": [\#(item(6))], "dryrun": true}"#),
            naming: "dryrun", Self.unknown, "dryrun in the body")
        expect400(
            try await send(app, "POST", "/v1/accreditations", token: provider, #"{"items": [\#(item(6))], "completedOn": "2024-02-07"}"#),
            naming: "completedOn", "belongs in each item when the body has items", "completedOn beside items")
        #expect(try await rows() == 2)
    }

    @Test func registerLookups() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01")
        let r = try await send(
            app, "POST", "/v1/register/lookups", token: app.adminToken,
            #"{"items": [{"registrationNumber": "\#(p.number)"}, {"registrationNumber": "\#(p.number)", "op": "2024-01-01"}, 7]}"#)
        #expect(r.status == 200, "\(r.text)")
        let results = (try? r.object()["results"] as? [[String: Any]]) ?? []
        #expect(results.map { $0["found"] as? Bool } == [true, false, false])
        let fields = results.map {
            (($0["problem"] as? [String: Any])?["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        }
        #expect(fields == [[], ["items[1].op"], ["items[2]"]])
        expect400(
            try await send(
                app, "POST", "/v1/register/lookups", token: app.adminToken,
                #"{"items": [{"registrationNumber": "\#(p.number)", "on": "2024-01-01", "on": "2025-01-01"}]}"#),
            naming: "items[0].on", Self.twice, "on twice")
    }

    @Test func bodiesTheAPIWritesAreAcceptedBack() async throws {
        let app = try await TestApp.shared.value
        // A norm as GET shows it is a valid PUT body: no field of it is unknown (the path's code differs, so
        // nothing is published).
        let norm = try await app.call("GET", "/v1/norms/2023")
        let put = try await app.client.request(
            "PUT", "/v1/norms/2999", headers: [("Authorization", "Bearer \(app.adminToken)"), ("Content-Type", "application/json")],
            body: norm.body)
        #expect(put.status == 400 && errors(put).keys.sorted() == ["code"], "\(put.text.prefix(400))")
    }

    @Test func notJSONSaysWhere() async throws {
        let app = try await TestApp.shared.value
        let r = try await send(app, "POST", "/v1/organizations", token: app.adminToken, #"{"kind": "insurer", "name": "x",}"#)
        #expect(r.status == 400)
        #expect(errors(r)["(body)"] == "the body is not valid JSON (expected a key at byte 32)", "\(r.text)")
        let nested = try await send(app, "POST", "/v1/organizations", token: app.adminToken, String(repeating: "[", count: 600))
        #expect(nested.status == 400)
        #expect(try await app.call("GET", "/healthz").status == 200)
    }
}
