import Foundation
import Testing
import TestSupport

/// Every problem the API answers with has an absolute `type` under `PUBLIC_BASE_URL/problems/`, whether a route
/// or the server itself answers; each type's URI answers with a page that explains it in Dutch and English; the
/// types openapi.yaml lists are exactly the ones that answer.
@Suite struct ProblemTypeTests {
    /// TestApp runs with the default `PUBLIC_BASE_URL`.
    static let base = "http://127.0.0.1:8080/problems/"

    func type(_ r: TestResponse) -> String? { (try? r.object())?["type"] as? String }

    @Test func routeAndServerProblemsHaveAbsoluteTypes() async throws {
        let app = try await TestApp.shared.value
        let invalid = try await app.admin("POST", "/v1/organizations", json: ["kind": "insurer"])
        #expect(invalid.status == 400 && type(invalid) == Self.base + "validation", "\(invalid.text)")
        let refused = try await app.admin(
            "POST", "/v1/organizations", json: ["kind": "insurer", "name": "X", "parentId": UUID().uuidString])
        #expect(refused.status == 422 && type(refused) == Self.base + "refused", "\(refused.text)")
        let unauthorized = try await app.call("GET", "/v1/me")
        #expect(unauthorized.status == 401 && type(unauthorized) == Self.base + "unauthorized", "\(unauthorized.text)")
        let notFound = try await app.admin("GET", "/v1/organizations/\(UUID().uuidString)")
        #expect(notFound.status == 404 && type(notFound) == Self.base + "notFound", "\(notFound.text)")
        let notJSON = try await app.client.request(
            "POST", "/v1/organizations", headers: [("Authorization", "Bearer \(app.adminToken)"), ("Content-Type", "text/plain")],
            body: Array("{}".utf8))
        #expect(notJSON.status == 415 && type(notJSON) == Self.base + "unsupportedMediaType", "\(notJSON.text)")
        // The server's own answers: no route, a method the path does not have.
        let noRoute = try await app.call("GET", "/v1/nothing-here")
        #expect(noRoute.status == 404 && type(noRoute) == Self.base + "notFound", "\(noRoute.text)")
        let method = try await app.call("DELETE", "/v1/norms")
        #expect(method.status == 405 && type(method) == Self.base + "methodNotAllowed", "\(method.text)")
    }

    @Test func batchItemProblemsHaveAbsoluteTypes() async throws {
        let app = try await TestApp.shared.value
        let r = try await app.admin("POST", "/v1/register/lookups", json: ["items": [["registrationNumber": "KCKZ-1", "nmae": "x"]]])
        let results = try #require((try r.object())["results"] as? [[String: Any]])
        #expect((results.first?["problem"] as? [String: Any])?["type"] as? String == Self.base + "validation", "\(r.text)")
    }

    @Test func everyDocumentedTypeExplainsItself() async throws {
        let app = try await TestApp.shared.value
        let slugs = try Self.documentedSlugs()
        #expect(slugs.count >= 10 && slugs.contains("validation") && slugs.contains("rateLimited"), "\(slugs)")
        for slug in slugs {
            let page = try await app.call("GET", "/problems/\(slug)")
            #expect(page.status == 200, "\(slug): \(page.status)")
            #expect(page.header("Content-Type") == "text/html; charset=utf-8", "\(slug)")
            #expect(page.text.contains("Wat het betekent") && page.text.contains("What to do"), "\(slug): \(page.text.prefix(300))")
            #expect(page.text.contains("<code>\(slug)</code>"), "\(slug)")
        }
        let unknown = try await app.call("GET", "/problems/noSuchProblem")
        #expect(unknown.status == 404 && type(unknown) == Self.base + "notFound", "\(unknown.text)")
    }

    /// The `ProblemType` enum of openapi.yaml's components.
    static func documentedSlugs() throws -> [String] {
        let text = try String(contentsOf: OpenAPIContractTests.repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "    ProblemType:") else { return [] }
        for line in lines[start...] where line.hasPrefix("      enum: [") {
            return line.dropFirst("      enum: [".count).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return []
    }
}

/// A page cursor is opaque: one the API never gave out is a 400 naming it, never a 500 (a forged cursor whose key
/// is not a time reached the database as one; schemathesis found it).
@Suite struct ForgedCursorTests {
    @Test func aForgedCursorIsA400() async throws {
        let app = try await TestApp.shared.value
        let forged = Data("abc|00000000-0000-0000-0000-000000000000".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        for path in ["/v1/audit-events", "/v1/notifications", "/v1/organizations", "/v1/practitioners"] {
            let r = try await app.admin("GET", "\(path)?cursor=\(forged)")
            #expect(r.status == 400 || r.status == 200, "\(path): \(r.status) \(r.text.prefix(300))")
            if r.status == 400 {
                let errors = (try r.object())["errors"] as? [[String: Any]]
                #expect(errors?.first?["field"] as? String == "cursor", "\(path): \(r.text.prefix(300))")
            }
        }
    }
}
