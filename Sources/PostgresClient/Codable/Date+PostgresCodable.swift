import FoundationEssentials
import DatesAndIDs

/// `Date` is `timestamptz`, to the microsecond (PostgreSQL's resolution).
///
/// Sent as ISO 8601 in UTC (`2024-06-10T06:13:20.123456Z`). Read from PostgreSQL's ISO output in any
/// session time zone (`2024-06-10 08:13:20.123456+02`, `…+05:30`, whole seconds, `timestamp` without a
/// zone as UTC, a bare `date` as UTC midnight); `infinity` and `-infinity` read as `distantFuture` and
/// `distantPast`.
extension Date: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(PostgresTimestamp.format(self)) }

    public init(postgresText: String) throws {
        guard let date = PostgresTimestamp.parse(postgresText) else { throw PostgresTextDecodingFailure() }
        self = date
    }
}

extension Date: PostgresArrayElement {}

enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (y, m, d) = CivilCalendar.date(days: Int(days))
        let (year, month, day) = (Int64(y), Int64(m), Int64(d))
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        text += "." + pad(fraction, 6) + "Z"
        return text
    }

    static func parse(_ text: String) -> Date? {
        switch text {
        case "infinity": return .distantFuture
        case "-infinity": return .distantPast
        default: break
        }
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    private static func parse(utf8 s: UnsafeBufferPointer<UInt8>) -> Date? {
        var i = 0
        func digits(_ count: Int) -> Int64? {
            guard i + count <= s.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                let d = s[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                value = value * 10 + Int64(d)
                i += 1
            }
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard i < s.count, s[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        // Year: 4 or more digits.
        var year: Int64 = 0
        var yearDigits = 0
        while i < s.count, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") {
            year = year * 10 + Int64(s[i] - UInt8(ascii: "0"))
            yearDigits += 1
            i += 1
        }
        guard yearDigits >= 4, expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds: Int64 = 0
        var micros: Int64 = 0
        var offset: Int64 = 0
        if i < s.count, s[i] == UInt8(ascii: " ") || s[i] == UInt8(ascii: "T") {
            i += 1
            guard let hour = digits(2), expect(":"), let minute = digits(2), expect(":"), let second = digits(2),
                hour < 24 || (hour == 24 && minute == 0 && second == 0), minute < 60, second < 61
            else { return nil }
            seconds = hour * 3600 + minute * 60 + second
            if expect(".") {
                var scale: Int64 = 100_000
                var any = false
                while i < s.count, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") {
                    micros += Int64(s[i] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    any = true
                    i += 1
                }
                guard any else { return nil }
            }
            if i < s.count {
                if s[i] == UInt8(ascii: "Z") {
                    i += 1
                } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                    let sign: Int64 = s[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let hours = digits(2) else { return nil }
                    var total = hours * 3600
                    if expect(":") {
                        guard let minutes = digits(2) else { return nil }
                        total += minutes * 60
                        if expect(":") {
                            guard let secs = digits(2) else { return nil }
                            total += secs
                        }
                    }
                    offset = sign * total
                }
            }
        }
        var bc = false
        if i + 3 == s.count, s[i] == UInt8(ascii: " "), s[i + 1] == UInt8(ascii: "B"), s[i + 2] == UInt8(ascii: "C") {
            bc = true
            i += 3
        }
        guard i == s.count else { return nil }
        if bc { year = 1 - year }
        let days = Int64(CivilCalendar.days(year: Int(year), month: Int(month), day: Int(day)))
        let total = (days * 86_400 + seconds - offset) * 1_000_000 + micros
        return Date(timeIntervalSince1970: Double(total) / 1_000_000)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a >= 0 ? a / b : -((-a + b - 1) / b)
        return (q, a - q * b)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

}
