import Foundation
import KraamzorgRules
import PostgresClient
import Synchronization
import Testing
import TestSupport

/// Hands out disjoint PC4 blocks so parallel tests never create overlapping regions.
enum PC4Blocks {
    private static let next = Mutex(0)
    /// 20 areas per block: 1000–1019, 1020–1039, … (450 blocks).
    static func take() -> Int {
        let n = next.withLock { v -> Int in
            v += 1; return v
        }
        precondition(n < 450, "out of PC4 blocks")
        return 1000 + n * 20
    }
}

/// Dates relative to today, as the API exchanges them.
func day(_ offset: Int) -> String { CivilDate.todayForTests().adding(days: offset).iso }

extension CivilDate {
    static func todayForTests() -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(c.year!, c.month!, c.day!)
    }
}

/// One region in code red with its people: a coordinator, insurers (preferent or not, with a label),
/// providers serving it (and one that does not), and an open waitlist for due dates 0…250 days ahead.
struct WaitlistWorld {
    let app: TestApp
    let pc4: Int
    let regionId: String
    let waitlistId: String
    let coordinator: String
    let coordinatorGroup1: String
    /// Preferent insurer with AVG access / without.
    let insurer: String
    let insurerId: String
    let insurerGroup1: String
    /// A non-preferent insurer, its label, and their tokens.
    let otherInsurerId: String
    let otherInsurer: String
    let labelId: String
    let label: String
    let providers: [(id: String, token: String, group1: String)]
    let strangerProvider: (id: String, token: String)

    static func make(app: TestApp, providers count: Int = 2, clientInfo: String = "V: Wat nu? A: Wacht op bericht.") async throws
        -> WaitlistWorld
    {
        let pc4 = PC4Blocks.take()
        let insurerId = try await app.organization("insurer")
        let region = try await app.admin(
            "POST", "/v1/regions",
            json: [
                "name": "Regio \(pc4)", "postcodeRanges": [["from": pc4, "to": pc4 + 19]],
                "preferentInsurerIds": [insurerId], "clientInfo": clientInfo,
            ])
        guard region.status == 201, let regionId = try region.object()["id"] as? String else {
            throw TestAppError.fixture("region \(region.status) \(region.text)")
        }
        let waitlist = try await app.admin(
            "POST", "/v1/waitlists",
            json: [
                "regionId": regionId, "name": "Wachtlijst \(pc4)", "status": "open", "dueFrom": day(0), "dueTo": day(250),
            ])
        guard waitlist.status == 201, let waitlistId = try waitlist.object()["id"] as? String else {
            throw TestAppError.fixture("waitlist \(waitlist.status) \(waitlist.text)")
        }
        let coordinator = try await app.member(role: "coordinator", organizationId: nil, avgAccess: true, regionIds: [regionId])
        let coordinatorGroup1 = try await app.member(role: "coordinator", organizationId: nil, avgAccess: false, regionIds: [regionId])
        let insurer = try await app.user(role: "insurer", organizationId: insurerId, avgAccess: true).token
        let insurerGroup1 = try await app.user(role: "insurer", organizationId: insurerId, avgAccess: false).token
        let otherInsurerId = try await app.organization("insurer")
        let otherInsurer = try await app.user(role: "insurer", organizationId: otherInsurerId, avgAccess: true).token
        let labelId = try await app.organization("insurer", parentId: otherInsurerId)
        let label = try await app.user(role: "insurer", organizationId: labelId, avgAccess: true).token
        var providers: [(String, String, String)] = []
        for _ in 0..<count {
            let id = try await app.provider(regionIds: [regionId])
            providers.append(
                (
                    id, try await app.user(role: "careProvider", organizationId: id, avgAccess: true).token,
                    try await app.user(role: "careProvider", organizationId: id, avgAccess: false).token
                ))
        }
        let strangerId = try await app.provider(regionIds: [])
        let stranger = try await app.user(role: "careProvider", organizationId: strangerId, avgAccess: true).token
        return WaitlistWorld(
            app: app, pc4: pc4, regionId: regionId, waitlistId: waitlistId, coordinator: coordinator,
            coordinatorGroup1: coordinatorGroup1, insurer: insurer, insurerId: insurerId, insurerGroup1: insurerGroup1,
            otherInsurerId: otherInsurerId, otherInsurer: otherInsurer, labelId: labelId, label: label,
            providers: providers, strangerProvider: (strangerId, stranger))
    }

    var postcode: String { "\(pc4) AB" }

    /// Step 2 by `token` (default: the preferent insurer); returns the response.
    func invite(
        number: String = "CN-\(UUID().uuidString.prefix(8))", dueDate: String = day(100), token: String? = nil,
        insurerId: String? = nil, postcode: String? = nil
    ) async throws -> TestResponse {
        var body: [String: Any] = [
            "clientNumber": number, "email": "client-\(UUID().uuidString.prefix(6))@example.nl",
            "postcode": postcode ?? self.postcode, "dueDate": dueDate,
        ]
        if let insurerId { body["insurerId"] = insurerId }
        return try await app.call("POST", "/v1/waitlists/\(waitlistId)/invitations", token: token ?? insurer, json: body)
    }

    /// Invitation, link from the outbox, acceptance: a waiting client. Returns (client id, client-link token).
    func placedClient(dueDate: String = day(100), token: String? = nil, insurerId: String? = nil) async throws -> (id: String, link: String)
    {
        let r = try await invite(dueDate: dueDate, token: token, insurerId: insurerId)
        guard r.status == 201, let clientId = try r.object()["clientId"] as? String else {
            throw TestAppError.fixture("invite \(r.status) \(r.text)")
        }
        let invitation = try await app.outboxToken(clientId: clientId, kind: "invitation", prefix: "/uitnodiging/")
        let accepted = try await app.call("POST", "/v1/invitations/\(invitation)/accept", json: acceptance(dueDate: dueDate))
        guard accepted.status == 201 else { throw TestAppError.fixture("accept \(accepted.status) \(accepted.text)") }
        let link = try await app.outboxToken(clientId: clientId, kind: "placementConfirmation", prefix: "/aanmelding/")
        return (clientId, link)
    }

    func acceptance(dueDate: String = day(100), consent: Any? = true) -> [String: Any] {
        var body: [String: Any] = [
            "firstName": "Anna", "lastName": "de Vries", "phone": "06 12345678", "postcode": postcode, "dueDate": dueDate,
        ]
        if let consent { body["consent"] = consent }
        return body
    }
}

extension TestApp {
    /// A user with one membership, with coordinator regions; returns the token.
    func member(role: String, organizationId: String?, avgAccess: Bool, regionIds: [String]) async throws -> String {
        var body: [String: Any] = [
            "name": "Test \(role)", "email": "\(UUID().uuidString.lowercased())@example.nl",
            "role": role, "avgAccess": avgAccess, "regionIds": regionIds,
        ]
        if let organizationId { body["organizationId"] = organizationId }
        let r = try await admin("POST", "/v1/users", json: body)
        guard r.status == 201, let token = try r.object()["token"] as? String else {
            throw TestAppError.fixture("member: \(r.status) \(r.text)")
        }
        return token
    }

    func provider(regionIds: [String]) async throws -> String {
        let r = try await admin(
            "POST", "/v1/organizations",
            json: ["kind": "careProvider", "name": "Kraamzorg \(UUID().uuidString.prefix(6))", "regionIds": regionIds])
        guard r.status == 201, let id = try r.object()["id"] as? String else {
            throw TestAppError.fixture("provider: \(r.status) \(r.text)")
        }
        return id
    }

    /// The token in the link of the newest outbox message of `kind` about the client.
    func outboxToken(clientId: String, kind: String, prefix: String) async throws -> String {
        let rows = try await pool.query(
            """
            SELECT link FROM notifications WHERE client_id = \(UUID(uuidString: clientId)!) AND kind = \(kind) ORDER BY created_at DESC LIMIT 1
            """)
        guard let link: String = try rows.first?.decode("link"), let range = link.range(of: prefix) else {
            throw TestAppError.fixture("no \(kind) link in the outbox for \(clientId)")
        }
        return String(link[range.upperBound...])
    }

    func count(_ sql: PostgresQuery) async throws -> Int {
        try await pool.query(sql)[0].decode(0, as: Int.self)
    }

    func items(_ r: TestResponse) throws -> [[String: Any]] {
        (try r.object()["items"] as? [[String: Any]]) ?? []
    }
}

let personalFields = ["firstName", "lastName", "email", "phone", "postcode"]
