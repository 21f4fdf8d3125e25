import Foundation
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import Testing
import TestSupport
import KraamzorgUseCases

/// Register fixtures over the API: every test makes its own provider, practitioners and courses.
extension TestApp {
    /// A course provider organisation and a user acting for it.
    func provider() async throws -> (id: String, token: String) {
        let org = try await organization("courseProvider")
        let (_, token) = try await user(role: "courseProvider", organizationId: org)
        return (org, token)
    }

    /// Registers a practitioner (admin); returns her id and registration number.
    func practitioner(
        start: String, registeredOn: String? = nil, diploma: String? = nil, first: String = "Anna",
        last: String = "Jansen \(UUID().uuidString.prefix(6))"
    ) async throws -> (id: String, number: String, body: [String: Any]) {
        var body: [String: Any] = [
            "firstName": first, "lastName": last, "email": "\(UUID().uuidString.lowercased())@example.nl",
            "periodStart": start, "diplomaObtainedOn": diploma ?? start,
        ]
        if let registeredOn { body["registeredOn"] = registeredOn }
        let r = try await admin("POST", "/v1/practitioners", json: body)
        guard r.status == 201, let o = try? r.object(), let id = o["id"] as? String, let number = o["registrationNumber"] as? String else {
            throw TestAppError.fixture("practitioner: \(r.status) \(r.text)")
        }
        return (id, number, o)
    }

    /// A login for the practitioner herself (a practitioner membership of the register).
    func practitionerLogin(_ practitionerId: String) async throws -> String {
        let body: [String: Any] = [
            "name": "Kraamverzorgende", "email": "\(UUID().uuidString.lowercased())@example.nl",
            "role": "practitioner", "practitionerId": practitionerId, "avgAccess": false,
        ]
        let r = try await admin("POST", "/v1/users", json: body)
        guard r.status == 201, let token = try r.object()["token"] as? String else {
            throw TestAppError.fixture("practitioner login: \(r.status) \(r.text)")
        }
        return token
    }

    /// A course with the given lines (`[norm, category, subject?, points]`). A provider's course is an application
    /// (DOMAIN §3a): unless `accredit` is false, register staff then accredit it as proposed through the review route.
    func course(
        _ token: String, title: String = "Course", start: String = "2023-01-01", externalId: String? = nil,
        lines: [(String, String, String?, Double)], accredit: Bool = true
    ) async throws -> String {
        var body: [String: Any] = [
            "title": title, "format": "classroom", "startDate": start,
            "accreditations": lines.map { l -> [String: Any] in
                var d: [String: Any] = ["norm": l.0, "category": l.1, "points": l.3]
                if let s = l.2 { d["subject"] = s }
                return d
            },
        ]
        if let externalId { body["externalId"] = externalId }
        let r = try await call("POST", "/v1/courses", token: token, json: body)
        guard r.status == 201, let id = try r.object()["id"] as? String else { throw TestAppError.fixture("course: \(r.status) \(r.text)") }
        if accredit, try r.object()["status"] as? String == "pending" {
            let review = try await admin("POST", "/v1/courses/\(id)/review", json: ["decision": "accredit"])
            guard review.status == 200, try review.object()["status"] as? String == "accredited" else {
                throw TestAppError.fixture("course review: \(review.status) \(review.text)")
            }
        }
        return id
    }

    func push(_ token: String, course: String, number: String, on date: String) async throws -> TestResponse {
        try await call(
            "POST", "/v1/accreditations", token: token, json: ["courseId": course, "registrationNumber": number, "completedOn": date])
    }

    func dossier(_ token: String, _ practitioner: String, period: String = "current", asOf: String? = nil) async throws -> [String: Any] {
        let r = try await call(
            "GET", "/v1/practitioners/\(practitioner)/periods/\(period)/dossier" + (asOf.map { "?asOf=\($0)" } ?? ""), token: token)
        guard r.status == 200 else { throw TestAppError.fixture("dossier: \(r.status) \(r.text)") }
        return try r.object()
    }
}

/// Dates relative to the real "today" (submission windows and the no-future-push rule use the clock).
enum Day {
    static var today: CivilDate { DutchClock.system.today }
    static func iso(_ d: CivilDate) -> String { d.iso }
}

extension [String: Any] {
    func category(_ code: String) -> [String: Any]? {
        (self["categories"] as? [[String: Any]])?.first { $0["code"] as? String == code }
    }
    var needs: [[String: Any]] { self["needs"] as? [[String: Any]] ?? [] }
}

/// PNG and PDF bytes as the magic-byte check sees them.
enum Files {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)
    static let pdf: [UInt8] = Array("%PDF-1.7\n% test\n".utf8) + Array(repeating: 0x20, count: 64)
}

extension TestApp {
    func upload(_ method: String, _ path: String, token: String, contentType: String, bytes: [UInt8]) async throws -> TestResponse {
        try await client.request(method, path, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", contentType)], body: bytes)
    }

    /// The status line's code for a request that declares a body larger than `length` and sends only its head
    /// (the server answers 413 from the head; sending 10 MB it will not read would fail with EPIPE).
    func oversized(_ method: String, _ path: String, token: String, contentType: String, length: Int) async throws -> Int {
        let head =
            "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\nContent-Type: \(contentType)\r\nContent-Length: \(length)\r\n\r\n"
        let reply = String(decoding: try await client.raw(Array(head.utf8), readTimeout: .seconds(5)), as: UTF8.self)
        return Int(reply.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Rows in a table matching a condition: "nothing written" checks.
    func registerRows(_ sql: String) async throws -> Int {
        let rows = try await pool.query("SELECT count(*) AS n FROM \(unsafeRaw: sql)")
        return try rows[0].decode("n", as: Int.self)
    }
}
