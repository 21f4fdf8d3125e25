/// Accreditation points, stored as whole tenths so that sums are exact (DOMAIN §3: ≥ 0, at most one decimal).
///
/// Encodes as a JSON number (`2.5`); decoding refuses negatives and a second decimal instead of rounding.
public struct Points: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in tenths of a point (`25` is 2.5 points). Never negative.
    public let tenths: Int

    public static let zero = Points(tenths: 0)

    /// The largest value input may carry (no norm or course comes near; sums of any number of them cannot overflow).
    public static let largestAccepted = 1_000

    /// Traps on a negative value; use `init?(parsing:)` or decoding for input.
    public init(tenths: Int) {
        precondition(tenths >= 0, "points are never negative")
        self.tenths = tenths
    }

    /// Whole points (`Points(12)`).
    public init(_ whole: Int) { self.init(tenths: whole * 10) }

    /// Exactly representable values only: `2.5` yes, `2.55` and `-1` no.
    public init?(exactly value: Double) {
        guard value.isFinite, value >= 0, value <= Double(Points.largestAccepted) else { return nil }
        let scaled = value * 10
        let nearest = Int(scaled + 0.5)  // value ≥ 0; avoids libm's round(), which this module does not link
        guard abs(Double(nearest) - scaled) < 1e-6 else { return nil }
        self.init(tenths: nearest)
    }

    /// Parses `12`, `2.5`, `0.0`; refuses signs, exponents, a second decimal and empty parts.
    public init?(parsing text: some StringProtocol) {
        var whole = 0, tenth = 0, digitsBefore = 0, digitsAfter = 0, seenDot = false
        for c in text.utf8 {
            if c == UInt8(ascii: ".") {
                guard !seenDot else { return nil }
                seenDot = true
            } else if c >= 48 && c <= 57 {
                if seenDot {
                    digitsAfter += 1
                    guard digitsAfter == 1 else { return nil }
                    tenth = Int(c - 48)
                } else {
                    digitsBefore += 1
                    guard digitsBefore <= 4 else { return nil }
                    whole = whole * 10 + Int(c - 48)
                }
            } else {
                return nil
            }
        }
        guard digitsBefore > 0, !seenDot || digitsAfter == 1 else { return nil }
        guard whole * 10 + tenth <= Points.largestAccepted * 10 else { return nil }
        self.init(tenths: whole * 10 + tenth)
    }

    /// `12` or `2.5`.
    public var description: String {
        tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    public var doubleValue: Double { Double(tenths) / 10 }

    public static func < (a: Points, b: Points) -> Bool { a.tenths < b.tenths }
    public static func + (a: Points, b: Points) -> Points { Points(tenths: a.tenths + b.tenths) }
    public static func += (a: inout Points, b: Points) { a = a + b }

    /// How far `self` falls short of `minimum` (zero when met).
    public func shortfall(to minimum: Points) -> Points {
        minimum.tenths > tenths ? Points(tenths: minimum.tenths - tenths) : .zero
    }
}

extension Points: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension Points: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let whole = try? c.decode(Int.self) {
            guard whole >= 0, whole <= Points.largestAccepted else {
                throw DecodingError.dataCorruptedError(
                    in: c, debugDescription: "points must be between 0 and \(Points.largestAccepted), got \(whole)")
            }
            self.init(whole)
            return
        }
        let value = try c.decode(Double.self)
        guard let p = Points(exactly: value) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "points must be between 0 and \(Points.largestAccepted) with at most one decimal, got \(value)")
        }
        self = p
    }

    /// Kept by hand: points are the number `12` or `2.5`, not their tenths.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if tenths % 10 == 0 { try c.encode(tenths / 10) } else { try c.encode(Double(tenths) / 10) }
    }
}

extension Points: ExpressibleByFloatLiteral {
    /// Traps on a literal with a second decimal or a negative value (a programming error, not input).
    public init(floatLiteral value: Double) {
        guard let p = Points(exactly: value) else { preconditionFailure("not a points value: \(value)") }
        self = p
    }
}
