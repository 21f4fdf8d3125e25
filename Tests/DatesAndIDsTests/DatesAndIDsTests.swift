import DatesAndIDs
import Foundation
import Testing

@Suite struct CivilCalendarTests {
    @Test func knownDaysMatchTheirDates() {
        #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilCalendar.days(year: 1969, month: 12, day: 31) == -1)
        #expect(CivilCalendar.date(days: 19_782) == (2024, 2, 29))
        #expect(CivilCalendar.date(days: -719_162) == (1, 1, 1))
    }

    @Test func everyDayFromYear1To9999RoundTripsAndFollowsTheLast() {
        var previous = CivilCalendar.days(year: 1, month: 1, day: 1) - 1
        for year in stride(from: 1, through: 9999, by: 7) {
            for month in 1...12 {
                let day = [1, 15, 28][month % 3]
                let n = CivilCalendar.days(year: year, month: month, day: day)
                #expect(n > previous)
                previous = n
                let back = CivilCalendar.date(days: n)
                #expect(back.year == year && back.month == month && back.day == day)
            }
        }
    }

    @Test func weekdaysAndSplitsFollowTheUnixEpoch() {
        #expect(CivilCalendar.isoWeekday(days: 0) == 4)  // 1970-01-01, a Thursday
        #expect(CivilCalendar.isoWeekday(days: CivilCalendar.days(year: 2026, month: 12, day: 2)) == 3)
        #expect(CivilCalendar.isoWeekday(days: -4) == 7)
        #expect(CivilCalendar.split(unixSeconds: -1) == (-1, 86_399))
        #expect(CivilCalendar.split(unixSeconds: 86_400) == (1, 0))
    }
}

@Suite struct IdentifierTextTests {
    @Test func uuidTextIsLowercaseAndRoundTrips() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(id.lowercasedString == id.uuidString.lowercased())
            #expect(UUID(hyphenatedHex: id.lowercasedString) == id)
            #expect(UUID(hyphenatedHex: id.uuidString) == id)
        }
        #expect(UUID(hyphenatedHex: "not-a-uuid") == nil)
        #expect(UUID(hyphenatedHex: "0123456789abcdef0123456789abcdef0123") == nil)
    }

    @Test func hexOfWordsIsSixteenDigitsEachMostSignificantFirst() {
        #expect(Hex.encode(words: [0x0123_4567_89AB_CDEF, 0]) == "0123456789abcdef0000000000000000")
        #expect(Hex.encode([0x00, 0xFF, 0x10]) == "00ff10" && Hex.decode("00FF10") == [0, 255, 16])
        #expect(Hex.value(of: UInt8(ascii: "g")) == nil && Hex.value(of: UInt8(ascii: "F")) == 15)
    }

    @Test func splitMixIsReproducibleFromItsSeed() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)  // the reference implementation's first output
    }
}
