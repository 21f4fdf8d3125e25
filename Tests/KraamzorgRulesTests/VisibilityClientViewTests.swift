import Foundation
import Testing
import KraamzorgRules

private let today = CivilDate(2026, 4, 20)
private func record(status: ClientStatus = .waiting, enrolledBy: String? = nil, erased: Bool = false) -> ClientRecord {
    ClientRecord(
        facts: ClientFacts(clientId: "c1", insurerId: "zk", regionId: "fr", status: status, enrollingProviderId: enrolledBy),
        waitlistName: "KSV Friesland", clientNumber: "TS1111RR", dueDate: CivilDate(2026, 6, 23),
        postcodeArea: PC4(8731)!, providerName: enrolledBy == nil ? nil : "Kraamzorg Miek",
        firstName: erased ? nil : "Anna", lastName: erased ? nil : "de Vries", email: erased ? nil : "anna@example.nl",
        phone: erased ? nil : "0612345678", postcode: erased ? nil : try! Postcode(parsing: "8731AB"))
}
private func keys(_ view: ClientView) throws -> Set<String> {
    let data = try JSONEncoder().encode(view)
    let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    return Set(object.keys)
}

@Suite struct VisibilityClientViewTests {
    @Test func group1ViewEncodesWithoutPersonalKeys() throws {
        let v = record().view(for: .insurer(InsurerViewer(organizationId: "zk", avgAccess: false)), on: today)!
        #expect(try keys(v) == ["id", "waitlistName", "clientNumber", "dueDate", "pregnancyWeek", "urgent", "postcodeArea", "status"])
        #expect(v.firstName == nil && v.email == nil && v.postcode == nil)
    }

    @Test func group2ViewAddsNameEmailPhoneAndPostcode() throws {
        let v = record().view(for: .insurer(InsurerViewer(organizationId: "zk", avgAccess: true)), on: today)!
        #expect(try keys(v).isSuperset(of: ["firstName", "lastName", "email", "phone", "postcode"]))
        let json = String(decoding: try JSONEncoder().encode(v), as: UTF8.self)
        #expect(json.contains("\"8731 AB\""))
        #expect(json.contains("\"postcodeArea\":\"8731\""))
    }

    @Test func invisibleClientHasNoView() {
        #expect(record().view(for: .practitioner, on: today) == nil)
        #expect(record().view(for: .insurer(InsurerViewer(organizationId: "vgz", avgAccess: true)), on: today) == nil)
    }

    @Test func erasedPersonalDataIsAbsentNotNull() throws {
        let v = record(erased: true).view(for: .admin, on: today)!
        let k = try keys(v)
        #expect(!k.contains("firstName") && !k.contains("email") && !k.contains("postcode"))
        #expect(!v.fields.contains(.email))
    }

    @Test func viewComputesPregnancyWeekAndUrgency() {
        // 64 days before the due date: week 31, not yet urgent; 62 days: week 32, urgent.
        let early = record().view(for: .admin, on: CivilDate(2026, 6, 23).adding(days: -64))!
        #expect(early.pregnancyWeek == 31 && early.urgent == false)
        let late = record().view(for: .admin, on: CivilDate(2026, 6, 23).adding(days: -62))!
        #expect(late.pregnancyWeek == 32 && late.urgent == true)
    }

    @Test func enrolledViewNamesTheProvider() {
        let v = record(status: .enrolled, enrolledBy: "miek")
            .view(for: .careProvider(CareProviderViewer(organizationId: "miek", servedRegionIds: ["fr"], avgAccess: true)), on: today)!
        #expect(v.providerName == "Kraamzorg Miek")
        #expect(v.firstName == "Anna")
    }
}
