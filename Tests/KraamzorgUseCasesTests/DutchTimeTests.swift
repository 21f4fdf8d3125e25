import Foundation
import KraamzorgRules
import KraamzorgStore
import Testing
import KraamzorgUseCases

/// The server links only FoundationEssentials, which has no named time zones, so `DutchTime` does
/// Europe/Amsterdam by hand. Here full Foundation (with ICU's zone data) is the reference.
@Suite struct DutchTimeTests {
    static let amsterdam: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        return calendar
    }()

    @Test func clockTimeMatchesTheTimeZoneDataFrom1947To2100() {
        var instants: [Int] = []
        for year in 1947...2100 {
            let start = CivilDate(year, 1, 1).dayNumber * 86400, end = CivilDate(year + 1, 1, 1).dayNumber * 86400
            instants += stride(from: start, to: end, by: 13 * 3600 + 17 * 60).map { $0 }
            // Around 01:00 UTC on every Sunday of March, April, September and October (the switches).
            for month in [3, 4, 9, 10] {
                for day in 1...CivilDate.daysInMonth(year: year, month: month) where CivilDate(year, month, day).isoWeekday == 7 {
                    let switchAt = CivilDate(year, month, day).dayNumber * 86400 + 3600
                    instants += [-3601, -3600, -1, 0, 1, 3599, 3600].map { switchAt + $0 }
                }
            }
        }
        var mismatches: [String] = []
        for t in instants {
            let date = Date(timeIntervalSince1970: Double(t) + 0.25)
            let c = Self.amsterdam.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            let mine = DutchTime.local(date)
            if mine.day != CivilDate(c.year!, c.month!, c.day!) || mine.hour != c.hour! || mine.minute != c.minute! {
                mismatches.append("\(date): \(mine) vs \(c)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func midnightMatchesTheTimeZoneDataFrom1947To2100() {
        var mismatches: [String] = []
        for n in CivilDate(1947, 1, 1).dayNumber...CivilDate(2100, 12, 31).dayNumber {
            let day = CivilDate(dayNumber: n)
            let expected = Self.amsterdam.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
            if DutchTime.startOfDay(day) != expected { mismatches.append("\(day): \(DutchTime.startOfDay(day)) vs \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
