import Testing
import KraamzorgRules

@Suite struct CivilDateTests {
    @Test func parsesAndPrintsISODates() {
        #expect(CivilDate(iso: "2024-02-29")?.iso == "2024-02-29")
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "2023-2-01") == nil)
        #expect(CivilDate(iso: "1970-01-01")?.dayNumber == 0)
    }

    /// Input dates far from today would make period arithmetic leave the calendar (year 0 or 10000).
    @Test func inputDatesOutsideTheAcceptedYearsAreRefused() {
        #expect(CivilDate(iso: "0001-01-01") == nil)
        #expect(CivilDate(iso: "9999-01-01") == nil)
        #expect(CivilDate(iso: "1899-12-31") == nil)
        #expect(CivilDate(iso: "1900-01-01") != nil)
        #expect(CivilDate(iso: "2200-12-31") != nil)
    }

    @Test func addingMonthsClampsToTheLastDay() {
        #expect(CivilDate(2023, 1, 31).adding(months: 1) == CivilDate(2023, 2, 28))
        #expect(CivilDate(2024, 1, 31).adding(months: 1) == CivilDate(2024, 2, 29))
        #expect(CivilDate(2024, 5, 31).adding(months: -3) == CivilDate(2024, 2, 29))
        #expect(CivilDate(2024, 1, 15).adding(months: -13) == CivilDate(2022, 12, 15))
    }

    @Test func aLeapDayPlusFourYearsMinusOneDay() {
        // A period starting on 29 February ends on 28 February four years later (DOMAIN §2).
        #expect(CivilDate(2024, 2, 29).adding(years: 4).adding(days: -1) == CivilDate(2028, 2, 28))
        #expect(CivilDate(2024, 2, 29).adding(years: 1) == CivilDate(2025, 2, 28))
    }

    @Test func isoWeeks() {
        #expect(ISOWeek(containing: CivilDate(2026, 11, 23)).description == "2026-W48")
        #expect(ISOWeek(containing: CivilDate(2021, 1, 3)).description == "2020-W53")
        #expect(ISOWeek(containing: CivilDate(2024, 12, 30)).description == "2025-W01")
        #expect(ISOWeek("2026-W48")?.monday == CivilDate(2026, 11, 23))
        #expect(ISOWeek("2026-W54") == nil)
        #expect(ISOWeek.weeksIn(year: 2020) == 53)
        #expect(CivilDate(2026, 11, 23).isoWeekday == 1)
    }
}
