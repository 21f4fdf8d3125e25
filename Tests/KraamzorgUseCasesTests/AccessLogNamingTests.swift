import Foundation
import KraamzorgStore
import KraamzorgUseCases
import Testing

/// Her access log's lines (DOMAIN §8): names she recognises, identical accesses within an hour as one line.
@Suite struct AccessLogNamingTests {
    func entry(_ minutesAgo: Double, _ action: String, _ role: String?, _ org: String?) -> AccessLogEntry {
        AccessLogEntry(
            at: Date(timeIntervalSince1970: 1_800_000_000 - minutesAgo * 60), action: action, organizationName: org, role: role)
    }

    @Test func namesAndMergesNewestFirst() {
        let lines = AccessLogNaming.named(
            [
                entry(1, "read", "coordinator", "Kwaliteitsregister Kraamzorg"),
                entry(2, "search", "insurer", "Zorgverzekeraar Noord"),
                entry(3, "read", "coordinator", "Kwaliteitsregister Kraamzorg"),
                entry(50, "read", "coordinator", "Kwaliteitsregister Kraamzorg"),
                entry(200, "read", "coordinator", "Kwaliteitsregister Kraamzorg"),
                entry(201, "update", "careProvider", "Kraamzorg De Wieg"),
                entry(202, "read", "admin", "Kwaliteitsregister Kraamzorg"),
                entry(203, "update", nil, nil),
            ], regionName: "Friesland")
        #expect(
            lines.map(\.who) == [
                "Coördinator wachtlijst Friesland", "Zorgverzekeraar Noord (zorgverzekeraar)", "Coördinator wachtlijst Friesland",
                "Kraamzorg De Wieg (kraamzorgaanbieder)", "Kwaliteitsregister Kraamzorg (beheerder)", "De wachtlijstservice (automatisch)",
            ])
        // The coordinator's reads 1, 3 and 50 minutes ago are one line (the insurer's search in between); the one
        // 200 minutes ago is more than an hour older: a line of its own.
        #expect(lines.map(\.times) == [3, 1, 1, 1, 1, 1])
        #expect(lines[0].at == Date(timeIntervalSince1970: 1_800_000_000 - 60))
        #expect(lines[0].organizationName == "Wachtlijst kraamzorg Friesland")
    }
}
