import Foundation
import Testing
import KraamzorgRules

@Suite struct NormTests {
    @Test func seededNormsValidateClean() {
        #expect(Norm.seeded2019.validate().isEmpty)
        #expect(Norm.seeded2023.validate().isEmpty)
    }

    @Test func seededNorm2023HasEverySubjectCodeOfTheTable() {
        let codes = Norm.seeded2023.categories.flatMap { $0.subjects.map(\.code) }
        #expect(
            codes == [
                "ehbo-theorie", "ehbo-praktijk", "reanimatie-theorie", "reanimatie-praktijk",
                "acute-situaties-theorie", "acute-situaties-praktijk", "borstvoeding",
                "verdieping-kraamzorg", "risicovolle-situaties", "voorlichting-instructie", "kunstvoeding",
                "partusassistentie", "verpleegtechnisch", "kennisoverdracht",
            ])
        #expect(Norm.seeded2023.category("C")?.minDistinctCourses == 3)
        #expect(Norm.seeded2023.careHoursPerYear == 200)
    }

    @Test func seededNorm2019HasNoSubjectsInB() {
        #expect(Norm.seeded2019.category("B")?.subjects.isEmpty == true)
        #expect(Norm.seeded2019.categories.map(\.minPoints) == [20, 10, 10])
        #expect(Norm.seeded2019.ehboCertificateRequired == false)
    }

    @Test func validationListsEveryProblem() {
        var norm = Norm.seeded2023
        norm.code = " "
        norm.categories[1].code = "A"
        norm.categories[1].subjects[0].code = "ehbo-theorie"
        norm.categories[0].subjects[1].minCompletions = -1
        norm.categories[2].minDistinctCourses = -2
        norm.categories[3].annotations[0].subject = "onbekend"
        let fields = norm.validate().map(\.field)
        #expect(
            fields == [
                "code", "categories[0].subjects[1].minCompletions", "categories[1].code",
                "categories[1].subjects[0].code", "categories[2].minDistinctCourses",
                "categories[3].annotations[0].subject",
            ])
    }

    @Test func normJSONHasAPIFieldNamesAndRoundTrips() throws {
        let data = try JSONEncoder().encode(Norm.seeded2019)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "code", "appliesFrom", "version", "minTotalPoints", "ehboCertificateRequired",
                "careHoursPerYear", "categories",
            ])
        #expect(object["careHoursPerYear"] is NSNull)
        let category = try #require((object["categories"] as? [[String: Any]])?.first)
        #expect(Set(category.keys) == ["code", "name", "minPoints", "minDistinctCourses", "subjects", "annotations"])
        #expect(try JSONDecoder().decode(Norm.self, from: data) == Norm.seeded2019)
        let data2023 = try JSONEncoder().encode(Norm.seeded2023)
        #expect(try JSONDecoder().decode(Norm.self, from: data2023) == Norm.seeded2023)
    }

    @Test func catalogPicksTheLatestNormInForce() throws {
        #expect(try NormCatalog.seeded.norm(forRegistrationDate: CivilDate(2019, 4, 1)).code == "2019")
        #expect(try NormCatalog.seeded.norm(forRegistrationDate: CivilDate(2030, 1, 1)).code == "2023")
    }

    @Test func catalogRefusesRegistrationDatesBefore2019April1() {
        #expect(throws: NormRefusal.beforeEarliestNorm(date: CivilDate(2019, 3, 31), earliest: CivilDate(2019, 4, 1))) {
            try NormCatalog.seeded.norm(forRegistrationDate: CivilDate(2019, 3, 31))
        }
    }

    @Test func aLaterNormIsAddedAsData() throws {
        var norm2027 = Norm.seeded2023
        norm2027.code = "2027"
        norm2027.appliesFrom = CivilDate(2027, 1, 1)
        let catalog = NormCatalog([.seeded2019, .seeded2023, norm2027])
        #expect(try catalog.norm(forRegistrationDate: CivilDate(2027, 1, 1)).code == "2027")
    }
}

@Suite struct PointsTests {
    @Test func parsingAcceptsOneDecimal() {
        #expect(Points(parsing: "2.5")?.tenths == 25)
        #expect(Points(parsing: "12")?.tenths == 120)
        #expect(Points(parsing: "0.0") == .zero)
    }

    @Test func parsingRejectsASecondDecimalNegativesAndJunk() {
        for text in ["2.55", "-1", "1e2", "", ".5", "5.", "1.2.3", " 1"] { #expect(Points(parsing: text) == nil) }
    }

    @Test func pointsEncodeAsJSONNumbers() throws {
        let data = try JSONEncoder().encode([Points(tenths: 25), Points(12)])
        #expect(String(decoding: data, as: UTF8.self) == "[2.5,12]")
    }

    @Test func decodingRejectsASecondDecimalAndNegatives() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Points].self, from: Data("[2.55]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Points].self, from: Data("[-1]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Points].self, from: Data("[-0.5]".utf8)) }
    }

    @Test func decodingRefusesValuesBeyondTheLargestAccepted() {
        for json in ["[1000000000000000000]", "[1e18]", "[1001]", "[1000.5]", "[9223372036854775807]"] {
            #expect(throws: DecodingError.self, "\(json)") { try JSONDecoder().decode([Points].self, from: Data(json.utf8)) }
        }
        #expect((try? JSONDecoder().decode([Points].self, from: Data("[1000]".utf8))) == [Points(1000)])
        #expect(Points(parsing: "1000.1") == nil && Points(parsing: "99999") == nil && Points(parsing: "1000.0") == Points(1000))
    }

    @Test func normNumbersAreBoundedTo1000() {
        var norm = Norm.seeded2023
        norm.categories[0].minDistinctCourses = 1001
        norm.categories[0].subjects[0].minCompletions = Int.max
        norm.careHoursPerYear = 9000
        let fields = Set(norm.validate().map(\.field))
        #expect(fields == ["categories[0].minDistinctCourses", "categories[0].subjects[0].minCompletions", "careHoursPerYear"])
    }

    @Test func sumsOfTenthsAreExact() {
        let sum = (0..<10).reduce(Points.zero) { acc, _ in acc + Points(tenths: 1) }
        #expect(sum == 1)
    }
}
