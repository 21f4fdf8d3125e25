import Foundation
import Testing
import TestSupport

/// Every register route against every kind of caller: allowed, or 401/403/404 as the contract says.
@Suite struct RegisterRoleMatrixTests {
    enum Caller: String, CaseIterable {
        case anonymous, admin, provider, otherProvider, herself, otherPractitioner, insurer, careProvider
    }

    struct World {
        let tokens: [Caller: String]
        let practitioner: (id: String, number: String)
        let periodId: String
        let course: String
        /// Accredited, no bookings (deletable).
        let freeCourse: String
        /// The provider's application, awaiting the register's decision.
        let pendingCourse: String
        let accreditation: String
        let ehbo: String
        let request: String
        let certificateCode: String
    }

    static func world(_ app: TestApp) async throws -> World {
        let (_, provider) = try await app.provider()
        let (_, otherProvider) = try await app.provider()
        let p = try await app.practitioner(start: "2023-06-01")
        let other = try await app.practitioner(start: "2023-06-01")
        let herself = try await app.practitionerLogin(p.id)
        let otherPractitioner = try await app.practitionerLogin(other.id)
        let (_, insurer) = try await app.user(role: "insurer", organizationId: try await app.organization("insurer"))
        let (_, care) = try await app.user(role: "careProvider", organizationId: try await app.organization("careProvider"))
        let course = try await app.course(provider, lines: [("2023", "D", nil, 1)])
        let pushed = try await app.push(provider, course: course, number: p.number, on: "2024-01-01")
        let freeCourse = try await app.course(provider, lines: [("2023", "D", nil, 1)])
        let pendingCourse = try await app.course(provider, lines: [("2023", "D", nil, 1)], accredit: false)
        let ehbo = try await app.call(
            "POST", "/v1/practitioners/\(p.id)/ehbo-certificates", token: herself,
            json: ["obtainedOn": "2023-01-01", "validUntil": "2028-01-01"])
        _ = try await app.upload(
            "PUT", "/v1/ehbo-certificates/\(try ehbo.object()["id"] as? String ?? "")/file", token: herself, contentType: "application/pdf",
            bytes: Files.pdf)
        let periodId = (p.body["currentPeriod"] as? [String: Any])?["id"] as? String ?? ""
        let request = try await app.call(
            "POST", "/v1/practitioners/\(p.id)/period-requests", token: herself,
            json: ["kind": "extension", "periodId": periodId, "until": "2027-07-31", "reason": "Zwangerschapsverlof"])
        return World(
            tokens: [
                .admin: app.adminToken, .provider: provider, .otherProvider: otherProvider, .herself: herself,
                .otherPractitioner: otherPractitioner, .insurer: insurer, .careProvider: care,
            ],
            practitioner: (p.id, p.number), periodId: periodId, course: course, freeCourse: freeCourse, pendingCourse: pendingCourse,
            accreditation: try pushed.object()["id"] as? String ?? "", ehbo: try ehbo.object()["id"] as? String ?? "",
            request: try request.object()["id"] as? String ?? "",
            certificateCode: (p.body["certificate"] as? [String: Any])?["verificationCode"] as? String ?? "")
    }

    struct Row {
        let method: String
        let path: String
        let json: Any?
        /// Expected status per caller; callers not listed expect `otherwise`.
        let expect: [Caller: Int]
        let otherwise: Int
        /// Public routes are rate-limited per address (shared by every suite): ask them as two callers only.
        var only: [Caller]? = nil
    }

    @Test func everyRouteAgainstEveryCaller() async throws {
        let app = try await TestApp.shared.value
        let w = try await RegisterRoleMatrixTests.world(app)
        let pr = "/v1/practitioners/\(w.practitioner.id)"
        let period = "\(pr)/periods/\(w.periodId)"
        let adminOrHerself: [Caller: Int] = [.anonymous: 401, .admin: 200, .herself: 200, .otherPractitioner: 404]
        let adminOnly: [Caller: Int] = [.anonymous: 401, .admin: 200, .otherPractitioner: 403, .herself: 403]
        let publicRoute: [Caller: Int] = [:]
        let rows: [Row] = [
            Row(method: "GET", path: "/v1/practitioners", json: nil, expect: adminOnly, otherwise: 403),
            Row(method: "GET", path: pr, json: nil, expect: adminOrHerself, otherwise: 403),
            Row(
                method: "GET", path: "/v1/practitioners/\(w.practitioner.number.lowercased())", json: nil, expect: adminOrHerself,
                otherwise: 403),
            Row(method: "PATCH", path: pr, json: ["email": "nieuw@example.nl"], expect: adminOrHerself, otherwise: 403),
            Row(method: "PUT", path: "\(pr)/care-hours/2024", json: ["hours": 900], expect: adminOrHerself, otherwise: 403),
            Row(method: "GET", path: "\(pr)/periods", json: nil, expect: adminOrHerself, otherwise: 403),
            Row(method: "GET", path: "\(period)/dossier", json: nil, expect: adminOrHerself, otherwise: 403),
            Row(method: "GET", path: "\(pr)/periods/current/dossier", json: nil, expect: adminOrHerself, otherwise: 403),
            Row(method: "GET", path: "\(pr)/certificates", json: nil, expect: adminOrHerself, otherwise: 403),
            Row(method: "GET", path: "\(pr)/certificate", json: nil, expect: adminOrHerself, otherwise: 403),
            Row(method: "GET", path: "\(pr)/ehbo-certificates", json: nil, expect: adminOrHerself, otherwise: 403),
            Row(method: "GET", path: "/v1/ehbo-certificates/\(w.ehbo)/file", json: nil, expect: adminOrHerself, otherwise: 403),
            Row(method: "GET", path: "/v1/period-requests/\(w.request)", json: nil, expect: adminOrHerself, otherwise: 403),
            // Writes only admins make: everyone else is refused before anything is read.
            Row(
                method: "POST", path: "\(pr)/strike-off", json: ["on": "2030-01-01"], expect: [.anonymous: 401, .admin: 400], otherwise: 403
            ),
            Row(
                method: "POST", path: "\(period)/review", json: ["decision": "maybe"], expect: [.anonymous: 401, .admin: 400],
                otherwise: 403),
            Row(
                method: "POST", path: "\(period)/extension", json: ["until": "2027-06-30"], expect: [.anonymous: 401, .admin: 400],
                otherwise: 403),
            Row(
                method: "POST", path: "\(period)/advance", json: ["nextStart": "2027-05-01"], expect: [.anonymous: 401, .admin: 400],
                otherwise: 403),
            Row(
                method: "POST", path: "/v1/period-requests/\(w.request)/decision", json: ["decision": "maybe", "message": "x"],
                expect: [.anonymous: 401, .admin: 400], otherwise: 403),
            Row(
                method: "POST", path: "/v1/ehbo-certificates/\(w.ehbo)/review", json: ["decision": "maybe"],
                expect: [.anonymous: 401, .admin: 400], otherwise: 403),
            Row(method: "PUT", path: "/v1/norms/2019", json: ["code": ""], expect: [.anonymous: 401, .admin: 400], otherwise: 403),
            Row(
                method: "GET", path: "/v1/reports/open-period-requests", json: nil, expect: [.anonymous: 401, .admin: 200], otherwise: 403),
            Row(
                method: "POST", path: "/v1/practitioners", json: ["firstName": "X"], expect: [.anonymous: 401, .admin: 400], otherwise: 403),
            // Submission: admin or herself (refused by the rules here: the window is not open).
            Row(
                method: "POST", path: "\(period)/submission", json: nil,
                expect: [.anonymous: 401, .admin: 422, .herself: 422, .otherPractitioner: 404], otherwise: 403),
            Row(
                method: "POST", path: "\(pr)/deregistration", json: ["on": "2021-02-30"],
                expect: [.anonymous: 401, .admin: 400, .herself: 400, .otherPractitioner: 404], otherwise: 403),
            Row(
                method: "POST", path: "\(pr)/period-requests", json: ["kind": "x"],
                expect: [.anonymous: 401, .admin: 400, .herself: 400, .otherPractitioner: 404], otherwise: 403),
            Row(
                method: "POST", path: "\(pr)/ehbo-certificates", json: ["obtainedOn": "2024-01-01"],
                expect: [.anonymous: 401, .admin: 400, .herself: 400, .otherPractitioner: 404], otherwise: 403),
            Row(
                method: "GET", path: "/v1/period-requests", json: nil,
                expect: [.anonymous: 401, .admin: 200, .herself: 200, .otherPractitioner: 200], otherwise: 403),
            // Public.
            Row(
                method: "GET", path: "/v1/register/\(w.practitioner.number)", json: nil, expect: publicRoute, otherwise: 200,
                only: [.anonymous, .insurer]),
            Row(
                method: "GET", path: "/v1/certificates/\(w.certificateCode)", json: nil, expect: publicRoute, otherwise: 200,
                only: [.anonymous, .insurer]),
            Row(method: "GET", path: "/v1/norms", json: nil, expect: publicRoute, otherwise: 200, only: [.anonymous, .insurer]),
            Row(method: "GET", path: "/v1/norms/2023", json: nil, expect: publicRoute, otherwise: 200, only: [.anonymous, .insurer]),
            Row(
                method: "GET", path: "/v1/courses?norm=2023", json: nil, expect: publicRoute, otherwise: 200, only: [.anonymous, .insurer]),
            Row(method: "GET", path: "/v1/statistics", json: nil, expect: publicRoute, otherwise: 200, only: [.anonymous, .insurer]),
            Row(
                method: "POST", path: "/v1/register/lookups", json: ["items": [["registrationNumber": w.practitioner.number]]],
                expect: [.anonymous: 401], otherwise: 200),
            // Courses: the owner provider and admins.
            Row(
                method: "GET", path: "/v1/courses/\(w.course)", json: nil,
                expect: [.anonymous: 401, .admin: 200, .provider: 200, .otherProvider: 404], otherwise: 403),
            Row(
                method: "PATCH", path: "/v1/courses/\(w.course)", json: ["location": "Utrecht"],
                expect: [.anonymous: 401, .admin: 200, .provider: 200, .otherProvider: 404], otherwise: 403),
            Row(
                method: "POST", path: "/v1/courses", json: ["title": "x"],
                expect: [.anonymous: 401, .admin: 400, .provider: 400, .otherProvider: 400], otherwise: 403),
            // Accreditations: own courses only; listing per caller.
            Row(
                method: "POST", path: "/v1/accreditations",
                json: ["courseId": w.course, "registrationNumber": w.practitioner.number, "completedOn": "2024-01-01"],
                expect: [.anonymous: 401, .admin: 200, .provider: 200, .otherProvider: 403], otherwise: 403),
            Row(
                method: "GET", path: "/v1/accreditations", json: nil,
                expect: [.anonymous: 401, .admin: 200, .provider: 200, .otherProvider: 200, .herself: 200, .otherPractitioner: 200],
                otherwise: 403),
            Row(
                method: "DELETE", path: "/v1/accreditations/\(w.accreditation)", json: nil,
                expect: [.anonymous: 401, .otherProvider: 404, .admin: 200, .provider: 200], otherwise: 403),
            // Course accreditation (DOMAIN §3a): register staff decide; applications are listed for their owner and staff.
            Row(
                method: "POST", path: "/v1/courses/\(w.pendingCourse)/review",
                json: ["decision": "refuse", "reason": "Onvoldoende inhoud"],
                expect: [.anonymous: 401, .admin: 200], otherwise: 403),
            Row(
                method: "POST", path: "/v1/courses/\(w.course)/review", json: ["decision": "accredit"],
                expect: [.anonymous: 401, .admin: 409], otherwise: 403),
            Row(
                method: "GET", path: "/v1/courses?status=pending", json: nil,
                expect: [.anonymous: 401, .admin: 200, .provider: 200, .otherProvider: 200], otherwise: 403),
            Row(
                method: "GET", path: "/v1/courses?status=refused", json: nil,
                expect: [.anonymous: 401, .admin: 200, .provider: 200, .otherProvider: 200], otherwise: 403),
            // A course with bookings is never deleted.
            Row(
                method: "DELETE", path: "/v1/courses/\(w.course)", json: nil,
                expect: [.anonymous: 401, .otherProvider: 404, .admin: 409, .provider: 409], otherwise: 403),
            Row(
                method: "DELETE", path: "/v1/courses/\(w.freeCourse)", json: nil,
                expect: [.anonymous: 401, .otherProvider: 404, .admin: 204, .provider: 404], otherwise: 403),
        ]
        // Order matters only for the last rows: the admin deletes the course before its owner tries (404 then).
        let order: [Caller] = [.anonymous, .otherProvider, .otherPractitioner, .insurer, .careProvider, .herself, .admin, .provider]
        for row in rows {
            for caller in order where row.only?.contains(caller) ?? true {
                let r = try await app.call(row.method, row.path, token: w.tokens[caller], json: row.json)
                let expected = row.expect[caller] ?? row.otherwise
                #expect(r.status == expected, "\(row.method) \(row.path) as \(caller.rawValue): \(r.status) \(r.text.prefix(200))")
                if r.status >= 400 {
                    #expect(r.header("Content-Type") == "application/problem+json", "\(row.method) \(row.path) as \(caller.rawValue)")
                }
            }
        }

        // What each caller sees in lists is their own.
        let own = try await app.call("GET", "/v1/accreditations", token: w.tokens[.otherProvider]).object()
        #expect(own["total"] as? Int == 0)
        let hers = try await app.call("GET", "/v1/accreditations", token: w.tokens[.otherPractitioner]).object()
        #expect(hers["total"] as? Int == 0)
        let mine = try await app.call("GET", "/v1/accreditations", token: w.tokens[.herself]).object()
        #expect(mine["total"] as? Int == 1)
        let requests = try await app.call("GET", "/v1/period-requests", token: w.tokens[.otherPractitioner]).object()
        #expect(requests["total"] as? Int == 0)
    }
}
