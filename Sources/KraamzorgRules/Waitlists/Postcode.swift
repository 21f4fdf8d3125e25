/// A 4-digit postcode area (PC4), 1000–9999: what group-1 viewers see and what regions are made of.
public struct PC4: Sendable, Hashable, Comparable, Encodable, CustomStringConvertible {
    public let value: Int

    /// Nil outside 1000–9999.
    public init?(_ value: Int) {
        guard (1000...9999).contains(value) else { return nil }
        self.value = value
    }

    /// Exactly four digits (surrounding white space ignored); letters are refused (`unexpectedLetters`).
    public init(parsing text: some StringProtocol) throws(PostcodeError) {
        switch try PostcodeOrArea(parsing: text) {
        case .area(let a): self = a
        case .full: throw .unexpectedLetters
        }
    }

    public var description: String { String(value) }
    public static func < (a: PC4, b: PC4) -> Bool { a.value < b.value }

    /// Kept by hand: an area is the string `"8731"`, not `{"value":8731}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A full Dutch postcode: four digits (first not 0) and two letters (not SA, SD, SS).
///
/// Parsing forgives case and white space (`8731ab`, ` 8731 ab `); `canonical` (`8731AB`) is what is stored
/// and compared, `display` (`8731 AB`) what people read and what the JSON carries.
public struct Postcode: Sendable, Hashable, Comparable, Encodable, CustomStringConvertible {
    /// The numeric part, 1000–9999.
    public let pc4: Int
    /// Two upper-case ASCII letters.
    public let letters: String

    public init(parsing text: some StringProtocol) throws(PostcodeError) {
        switch try PostcodeOrArea(parsing: text) {
        case .full(let p): self = p
        case .area: throw .missingLetters
        }
    }

    init(uncheckedPC4 pc4: Int, letters: String) {
        self.pc4 = pc4
        self.letters = letters
    }

    public var area: PC4 { PC4(pc4)! }
    /// `8731AB`
    public var canonical: String { "\(pc4)\(letters)" }
    /// `8731 AB`
    public var display: String { "\(pc4) \(letters)" }
    public var description: String { display }

    public static func < (a: Postcode, b: Postcode) -> Bool { (a.pc4, a.letters) < (b.pc4, b.letters) }

    /// Kept by hand: a postcode is the string `"8731 AB"`, not its parts.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(display)
    }
}

/// Either a full postcode or only its area, for inputs that accept both (availability: `postcode=8731` or `8731 AB`).
public enum PostcodeOrArea: Sendable, Hashable {
    case full(Postcode)
    case area(PC4)

    public var area: PC4 {
        switch self {
        case .full(let p): p.area
        case .area(let a): a
        }
    }

    /// Rules, in this order: trim white space; only ASCII digits, ASCII letters and white space;
    /// white space only between the digits and the letters; exactly four digits, first not 0;
    /// then no letters (a PC4) or exactly two, any case, not SA/SD/SS.
    public init(parsing text: some StringProtocol) throws(PostcodeError) {
        let scalars = Array(text.unicodeScalars)
        func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        func isLetter(_ s: Unicode.Scalar) -> Bool { ("A"..."Z").contains(s) || ("a"..."z").contains(s) }

        var lo = 0, hi = scalars.count
        while lo < hi, isSpace(scalars[lo]) { lo += 1 }
        while hi > lo, isSpace(scalars[hi - 1]) { hi -= 1 }
        guard lo < hi else { throw .empty }
        let s = scalars[lo..<hi]
        if let bad = s.first(where: { !isDigit($0) && !isLetter($0) && !isSpace($0) }) {
            throw .invalidCharacter(Character(bad))
        }

        // digits, then optional white space, then letters; nothing else.
        var i = s.startIndex
        var digits: [Unicode.Scalar] = []
        while i < s.endIndex, isDigit(s[i]) { digits.append(s[i]); i += 1 }
        let afterDigits = i
        while i < s.endIndex, isSpace(s[i]) { i += 1 }
        if i > afterDigits && digits.isEmpty { throw .malformed }
        var letters: [Unicode.Scalar] = []
        while i < s.endIndex, isLetter(s[i]) { letters.append(s[i]); i += 1 }
        guard i == s.endIndex else { throw .malformed }
        guard !digits.isEmpty else { throw .malformed }

        guard digits.count >= 4 else { throw .tooShort }
        guard digits.count == 4 else { throw .tooLong }
        guard digits[0] != "0" else { throw .leadingZero }
        let pc4 = digits.reduce(0) { $0 * 10 + Int($1.value - 48) }

        switch letters.count {
        case 0:
            self = .area(PC4(pc4)!)
        case 1:
            throw .tooShort
        case 2:
            let upper = String(String.UnicodeScalarView(letters)).uppercased()
            guard !["SA", "SD", "SS"].contains(upper) else { throw .reservedLetters(upper) }
            self = .full(Postcode(uncheckedPC4: pc4, letters: upper))
        default:
            throw .tooLong
        }
    }
}
