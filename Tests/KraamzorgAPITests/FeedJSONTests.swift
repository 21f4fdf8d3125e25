import DatesAndIDs
import FoundationEssentials
import JSONOutput
import KraamzorgRules
import KraamzorgUseCases
import Testing

@testable import KraamzorgAPI

/// The hand-written feed page must be byte for byte what the `Encodable` page gives: events with and without a client
/// (in each reader's view), with every optional present or absent, data with keys in any order and text that needs
/// escaping. A member added to `EventJSON` and not to `FeedJSON` fails here.
@Suite struct FeedJSONTests {
    private static let texts = ["KCKZ-2000001", "Reanimatie \"basis\"", "a/b", "Ëerste 😀", "tab\tnieuwe\nregel", "", "\u{1}"]
    private static let keys = ["registrationNumber", "reason", "Zeta", "a", "ab", "é", "courseId", "b"]
    private static let viewers: [Viewer] = [
        .admin, .insurer(InsurerViewer(organizationId: "zk", avgAccess: false)),
        .insurer(InsurerViewer(organizationId: "zk", avgAccess: true)),
    ]

    private func client(_ rng: inout SplitMix64) -> ClientView? {
        let erased = rng.int(below: 3) == 0
        let record = ClientRecord(
            facts: ClientFacts(
                clientId: "c\(rng.int(below: 100))", insurerId: "zk", regionId: "fr", status: .waiting, enrollingProviderId: nil),
            waitlistName: "KSV Friesland", clientNumber: "TS1111RR", dueDate: CivilDate(2026, 6, 1 + rng.int(below: 28)),
            postcodeArea: PC4(8731)!, providerName: nil, firstName: erased ? nil : Self.texts[rng.int(below: Self.texts.count)],
            lastName: erased ? nil : "de Vries", email: erased ? nil : "anna@example.nl", phone: erased ? nil : "0612345678",
            postcode: erased ? nil : try! Postcode(parsing: "8731AB"))
        return record.view(for: Self.viewers[rng.int(below: Self.viewers.count)], on: CivilDate(2026, 4, 20))
    }

    private func event(_ rng: inout SplitMix64) -> EventJSON {
        var data: [String: String] = [:]
        for _ in 0..<rng.int(below: 4) { data[Self.keys[rng.int(below: Self.keys.count)]] = Self.texts[rng.int(below: Self.texts.count)] }
        return EventJSON(
            id: "event-\(rng.int(below: 1000))", type: ["period.approved", "client.enrolled", "course.accredited"][rng.int(below: 3)],
            occurredAt: Date(timeIntervalSince1970: Double(1_700_000_000 + rng.int(below: 100_000_000))),
            client: rng.int(below: 2) == 0 ? client(&rng) : nil,
            practitionerId: rng.int(below: 2) == 0 ? "p-\(rng.int(below: 9))" : nil,
            organizationId: rng.int(below: 2) == 0 ? "o-\(rng.int(below: 9))" : nil, data: data)
    }

    @Test func theHandWrittenPageIsTheEncodersPage() throws {
        var rng = SplitMix64(seed: 23)
        for round in 0..<300 {
            let items = (0..<rng.int(below: 6)).map { _ in event(&rng) }
            let cursor = "cursor-\(round)"
            let expected = try APIJSON.encoder.encode(EventRoutes.FeedBody(items: items, nextCursor: cursor))
            let written = try FeedJSON.bytes(items: items, nextCursor: cursor)
            // As text, so that a failure shows where the two differ.
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            if written != expected { return }
        }
    }
}
