/// Why a text is not a Dutch postcode (or PC4). The API shows `message` (Dutch) in a 400/422 field error.
public enum PostcodeError: Error, Sendable, Hashable {
    /// Nothing but white space.
    case empty
    /// A character that is neither an ASCII digit, an ASCII letter nor white space (`8731-AB`, `８７３１`).
    case invalidCharacter(Character)
    /// Digits and letters out of order or split (`AB8731`, `87A1`, `87 31AB`, `8731 A B`).
    case malformed
    /// Fewer than four digits or only one letter.
    case tooShort
    /// More than four digits or more than two letters.
    case tooLong
    /// Dutch postcodes never start with 0.
    case leadingZero
    /// `SA`, `SD` and `SS` are not used as postcode letters.
    case reservedLetters(String)
    /// Four digits without letters where a full postcode is required.
    case missingLetters
    /// Letters where only a postcode area (four digits) is expected.
    case unexpectedLetters

    public var message: String {
        switch self {
        case .empty: "Vul een postcode in."
        case .invalidCharacter(let c): "De postcode bevat een ongeldig teken: \"\(c)\"."
        case .malformed: "Een postcode bestaat uit vier cijfers en twee letters, bijvoorbeeld 8731 AB."
        case .tooShort: "De postcode is te kort: vier cijfers en twee letters, bijvoorbeeld 8731 AB."
        case .tooLong: "De postcode is te lang: vier cijfers en twee letters, bijvoorbeeld 8731 AB."
        case .leadingZero: "Een postcode begint niet met een 0."
        case .reservedLetters(let l): "De lettercombinatie \(l) komt in postcodes niet voor."
        case .missingLetters: "Vul de volledige postcode in, met de twee letters (bijvoorbeeld 8731 AB)."
        case .unexpectedLetters: "Vul alleen de vier cijfers van de postcode in (bijvoorbeeld 8731)."
        }
    }
}
