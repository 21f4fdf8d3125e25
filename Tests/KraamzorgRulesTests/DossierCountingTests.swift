import Testing
import KraamzorgRules

/// How lines count (DOMAIN §3 "Counting") in the corners the seed examples leave out.
@Suite struct DossierCountingTests {
    let day = CivilDate(2024, 1, 10)

    @Test func aSubjectItsCategoryDoesNotHaveCountsForTheCategoryOnly() {
        let course = Fx.completion("X", on: day, [Fx.line("2023", "A", "borstvoeding", 2)])
        let a = Fx.evaluate2023([course]).category("A")
        #expect(a?.points == 2)
        #expect(a?.subjects.allSatisfy { $0.completions == 0 } == true)
    }

    @Test func aCategoryTheNormDoesNotHaveCountsNowhere() {
        let course = Fx.completion("X", on: day, [Fx.line("2023", "Z", nil, 2), Fx.line("2023", "C", nil, 1)])
        let dossier = Fx.evaluate2023([course])
        #expect(dossier.totalPoints == 1)
        #expect(dossier.accreditations.count == 1)
    }

    @Test func theSameCategoryWithAndWithoutASubjectIsTwoLines() {
        let course = Fx.completion("X", on: day, [Fx.line("2023", "D", nil, 2), Fx.line("2023", "D", "kennisoverdracht", 3)])
        let d = Fx.evaluate2023([course]).category("D")
        #expect(d?.points == 5)
        #expect(d?.subjects.first { $0.code == "kennisoverdracht" }?.completions == 1)
    }

    @Test func differentCoursesAreCountedInEveryCategoryEachCourseOnce() {
        let list = [
            Fx.completion("P", on: day, [Fx.line("2023", "B", "borstvoeding", 2)]),
            Fx.completion("P", on: day.adding(days: 30), [Fx.line("2023", "B", "borstvoeding", 2)]),
            Fx.completion(
                "Q", on: day.adding(days: 60),
                [
                    Fx.line("2023", "B", "kunstvoeding", 1),
                    Fx.line("2023", "C", nil, 1),
                ]),
        ]
        let dossier = Fx.evaluate2023(list)
        #expect(dossier.category("B")?.distinctCourses == 2)
        #expect(dossier.category("C")?.distinctCourses == 1)
        #expect(dossier.category("A")?.distinctCourses == 0)
        #expect(dossier.needs.contains { $0.kind == .distinctCourses && $0.category == "C" && $0.coursesShort == 2 })
    }

    @Test func completionsOfOneDayAreListedByCourseThenId() {
        let list = [
            Fx.completion("b", on: day, [Fx.line("2023", "C", nil, 1)], id: "1"),
            Fx.completion("a", on: day, [Fx.line("2023", "C", nil, 1)], id: "3"),
            Fx.completion("a", on: day.adding(days: -1), [Fx.line("2023", "C", nil, 1)], id: "2"),
            Fx.completion("c", on: day, [Fx.line("2023", "C", nil, 1)], id: "0"),
        ]
        let ids = Fx.evaluate2023(list).accreditations.map(\.completion.id)
        #expect(ids == ["2", "3", "1", "0"])
    }

    @Test func completeIsExactlyNothingNeeded() {
        for list in [Fx.complete2023(), Fx.without("C1", Fx.complete2023()), []] {
            let dossier = Fx.evaluate2023(list)
            #expect(dossier.complete == dossier.needs.isEmpty)
            #expect(
                dossier.complete
                    == (dossier.categories.allSatisfy(\.met) && dossier.totalPoints >= dossier.minTotalPoints
                        && dossier.ehbo.met))
        }
    }
}
