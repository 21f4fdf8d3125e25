import Foundation
import HTTPServer
import Logging
import KraamzorgAPI
import KraamzorgStore
import KraamzorgRules
import Testing
import TestSupport

@Suite struct RegisterBatchTests {
    /// 10,000 items, some invalid: the valid ones are booked, the invalid ones reported in place, nothing half-applied.
    @Test func aBatchOf10000WithSomeInvalidItems() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let (_, other) = try await app.provider()
        let foreign = try await app.course(other, lines: [("2019", "C", nil, 1)])
        let startDay = CivilDate(2022, 12, 1)
        let p = try await app.practitioner(start: startDay.iso)
        var courses: [String] = []
        for i in 0..<8 {
            courses.append(
                try await app.course(provider, title: "E-learning \(i)", lines: [("2019", "C", nil, 0.5), ("2023", "C", nil, 0.5)]))
        }

        var items: [[String: Any]] = (0..<10_000).map { i in
            ["courseId": courses[i % 8], "registrationNumber": p.number, "completedOn": startDay.adding(days: i / 8).iso]
        }
        items[17]["completedOn"] = "2021-02-30"  // 400: impossible date
        items[500]["registrationNumber"] = "KCKZ-9999999"  // 404: unknown number
        items[1234]["completedOn"] = "2022-11-30"  // 422: before her period
        items[4321]["completedOn"] = Day.today.adding(days: 3).iso  // 422: future
        items[7777]["courseId"] = foreign  // 403: another provider's course
        items[9999].removeValue(forKey: "registrationNumber")  // 400: missing
        items[5000] = items[0]  // 200: the same completion again

        let started = ContinuousClock.now
        let r = try await app.call("POST", "/v1/accreditations", token: provider, json: ["items": items])
        let elapsed = ContinuousClock.now - started
        print("batch of 10,000 completions: \(elapsed)")
        #expect(r.status == 200)
        let results = try #require(try r.object()["results"] as? [[String: Any]])
        #expect(results.count == 10_000)
        let statuses = results.map { $0["status"] as? Int ?? 0 }
        #expect(statuses[17] == 400 && statuses[500] == 404 && statuses[1234] == 422 && statuses[4321] == 422)
        #expect(statuses[7777] == 403 && statuses[9999] == 400 && statuses[5000] == 200)
        #expect(statuses.filter { $0 == 201 }.count == 9_993)
        #expect((results[17]["problem"] as? [String: Any])?["errors"] != nil)
        #expect(
            ((results[0]["accreditation"] as? [String: Any])?["id"] as? String)
                == ((results[5000]["accreditation"] as? [String: Any])?["id"] as? String))
        #expect(try await app.registerRows("accreditations WHERE practitioner_id = '\(p.id)'") == 9_993)

        // The same batch again books nothing new: every valid item is 200.
        let again = try await app.call("POST", "/v1/accreditations", token: provider, json: ["items": items])
        let againStatuses = ((try again.object()["results"] as? [[String: Any]]) ?? []).map { $0["status"] as? Int ?? 0 }
        #expect(againStatuses.filter { $0 == 200 }.count == 9_994 && !againStatuses.contains(201))
        #expect(try await app.registerRows("accreditations WHERE practitioner_id = '\(p.id)'") == 9_993)
    }

    /// The batch answer is written by hand for speed: it must be the same JSON as the single push's.
    @Test func batchAndSingleAnswersAgree() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01")
        let course = try await app.course(
            provider, title: "Titel met \"aanhalingstekens\" en \\ en é",
            lines: [("2023", "B", "borstvoeding", 1.5), ("2023", "C", nil, 2)])
        let batch = try await app.call(
            "POST", "/v1/accreditations", token: provider,
            json: [
                "items": [
                    ["courseId": course, "registrationNumber": p.number, "completedOn": "2024-03-03"]
                ]
            ])
        let fromBatch = try #require((try batch.object()["results"] as? [[String: Any]])?.first?["accreditation"] as? [String: Any])
        let single = try await app.push(provider, course: course, number: p.number, on: "2024-03-03")
        #expect(single.status == 200)
        func canonical(_ o: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try canonical(fromBatch) == canonical(try single.object()))
    }

    /// The provider's check before pushing: name per line, duplicate and late flags, nothing booked.
    @Test func dryRunShowsNamesAndBooksNothing() async throws {
        let app = try await TestApp.shared.value
        let (_, provider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01", first: "Daphne", last: "Bakker")
        let course = try await app.course(
            provider, externalId: "BV-\(UUID().uuidString.prefix(6))", lines: [("2023", "B", "borstvoeding", 2)])
        let externalId = try #require(try await app.call("GET", "/v1/courses/\(course)", token: provider).object()["externalId"] as? String)
        #expect(try await app.push(provider, course: course, number: p.number, on: "2024-01-01").status == 201)
        let r = try await app.call(
            "POST", "/v1/accreditations?dryRun=true", token: provider,
            json: [
                "items": [
                    ["externalId": externalId, "registrationNumber": p.number, "completedOn": "2024-01-01"],
                    ["externalId": externalId, "registrationNumber": p.number.lowercased(), "completedOn": "2024-02-01"],
                    ["externalId": "NOPE", "registrationNumber": p.number, "completedOn": "2024-02-01"],
                ]
            ])
        #expect(r.status == 200)
        let results = try #require(try r.object()["results"] as? [[String: Any]])
        #expect(results.map { $0["status"] as? Int } == [200, 201, 404])
        #expect(results[0]["practitionerName"] as? String == "Daphne Bakker" && results[0]["duplicate"] as? Bool == true)
        #expect(results[1]["late"] as? Bool == true && results[1]["duplicate"] as? Bool == false)
        #expect(try await app.registerRows("accreditations WHERE practitioner_id = '\(p.id)'") == 1)
    }

    /// The public lookup is rate-limited per address (429 with Retry-After); authenticated traffic is not.
    @Test func publicLookupIsRateLimited() async throws {
        let app = try await TestApp.shared.value
        let p = try await app.practitioner(start: "2023-06-01")
        // A server of its own with a small bucket, so other suites' public calls do not interfere.
        let api = KraamzorgApp(
            pool: app.pool, logger: Logger(level: .error), jobs: standardScheduler(app.pool),
            configuration: .init(
                openAPIDocument: [], httpMetrics: { "" }, webhookSecretKey: .random(),
                database: TestApp.patientDatabaseClasses))
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.rateLimit = RateLimit(requests: 3, per: .seconds(60))
        let server = Server(configuration: configuration, router: api.router(), logger: Logger(level: .error))
        let client = HTTPTestClient(port: try server.start())
        var statuses: [Int] = []
        var retryAfter: String?
        for _ in 0..<5 {
            let r = try await client.request("GET", "/v1/register/\(p.number)")
            statuses.append(r.status)
            if r.status == 429 { retryAfter = r.header("Retry-After") }
        }
        #expect(statuses.prefix(3).allSatisfy { $0 == 200 })
        #expect(statuses.last == 429)
        #expect(Int(retryAfter ?? "") ?? 0 >= 1)
        // Authenticated routes from the same address keep working.
        for _ in 0..<5 {
            let r = try await client.request(
                "POST", "/v1/register/lookups",
                headers: [("Authorization", "Bearer \(app.adminToken)"), ("Content-Type", "application/json")],
                body: Array(#"{"items":[{"registrationNumber":"\#(p.number)"}]}"#.utf8))
            #expect(r.status == 200)
        }
        await server.shutdown()
    }
}
