import Testing
import KraamzorgRules

@Suite struct PostcodeTests {
    private func parse(_ s: String) -> Result<Postcode, PostcodeError> {
        do throws(PostcodeError) { return .success(try Postcode(parsing: s)) } catch { return .failure(error) }
    }
    private func parseArea(_ s: String) -> Result<PC4, PostcodeError> {
        do throws(PostcodeError) { return .success(try PC4(parsing: s)) } catch { return .failure(error) }
    }

    @Test func compactUpperCaseParses() throws {
        let p = try Postcode(parsing: "8731AB")
        #expect(p.pc4 == 8731)
        #expect(p.letters == "AB")
        #expect(p.canonical == "8731AB")
        #expect(p.display == "8731 AB")
        #expect(p.area == PC4(8731))
    }

    @Test func lowerCaseLettersAreUpperCased() throws {
        #expect(try Postcode(parsing: "8731ab").canonical == "8731AB")
        #expect(try Postcode(parsing: "8731aB").display == "8731 AB")
    }

    @Test func spaceBetweenDigitsAndLettersIsAccepted() throws {
        #expect(try Postcode(parsing: "8731 ab").canonical == "8731AB")
        #expect(try Postcode(parsing: "8731   AB").canonical == "8731AB")
        #expect(try Postcode(parsing: "8731\tAB").canonical == "8731AB")
    }

    @Test func surroundingWhiteSpaceIsIgnored() throws {
        #expect(try Postcode(parsing: " 8731ab ").canonical == "8731AB")
        #expect(try Postcode(parsing: "\n 8731 AB\t").canonical == "8731AB")
    }

    @Test func differentSpellingsAreEqual() throws {
        #expect(try Postcode(parsing: "8731AB") == Postcode(parsing: " 8731 ab"))
    }

    @Test func emptyOrBlankIsRefused() {
        #expect(parse("") == .failure(.empty))
        #expect(parse("   ") == .failure(.empty))
    }

    @Test func leadingZeroIsRefused() {
        #expect(parse("0731AB") == .failure(.leadingZero))
        #expect(parseArea("0999") == .failure(.leadingZero))
    }

    @Test func lowestAndHighestAreasParse() throws {
        #expect(try Postcode(parsing: "1000AA").pc4 == 1000)
        #expect(try Postcode(parsing: "9999ZZ").pc4 == 9999)
    }

    @Test func reservedLetterCombinationsAreRefused() {
        #expect(parse("8731SA") == .failure(.reservedLetters("SA")))
        #expect(parse("8731 sd") == .failure(.reservedLetters("SD")))
        #expect(parse("8731Ss") == .failure(.reservedLetters("SS")))
    }

    @Test func otherLettersWithSAreAccepted() throws {
        #expect(try Postcode(parsing: "8731SB").letters == "SB")
        #expect(try Postcode(parsing: "8731AS").letters == "AS")
    }

    @Test func tooFewDigitsIsTooShort() {
        #expect(parse("873AB") == .failure(.tooShort))
        #expect(parse("873") == .failure(.tooShort))
        #expect(parseArea("873") == .failure(.tooShort))
    }

    @Test func oneLetterIsTooShort() {
        #expect(parse("8731A") == .failure(.tooShort))
    }

    @Test func tooManyDigitsIsTooLong() {
        #expect(parse("87311AB") == .failure(.tooLong))
        #expect(parseArea("87311") == .failure(.tooLong))
    }

    @Test func threeLettersIsTooLong() {
        #expect(parse("8731ABC") == .failure(.tooLong))
    }

    @Test func lettersBeforeDigitsAreMalformed() {
        #expect(parse("AB8731") == .failure(.malformed))
        #expect(parse("87A1BC") == .failure(.malformed))
    }

    @Test func spaceInsideTheDigitsOrLettersIsMalformed() {
        #expect(parse("87 31AB") == .failure(.malformed))
        #expect(parse("8731 A B") == .failure(.malformed))
    }

    @Test func punctuationAndNonASCIIAreInvalidCharacters() {
        #expect(parse("8731-AB") == .failure(.invalidCharacter("-")))
        #expect(parse("8731ÅB") == .failure(.invalidCharacter("Å")))
        #expect(parse("８７３１AB") == .failure(.invalidCharacter("８")))
    }

    @Test func pc4AloneIsAnAreaNotAPostcode() throws {
        #expect(try PC4(parsing: "8731") == PC4(8731))
        #expect(try PC4(parsing: " 8731 ").value == 8731)
        #expect(parse("8731") == .failure(.missingLetters))
    }

    @Test func pc4ParserRefusesLetters() {
        #expect(parseArea("8731AB") == .failure(.unexpectedLetters))
    }

    @Test func postcodeOrAreaAcceptsBoth() throws {
        #expect(try PostcodeOrArea(parsing: "8731") == .area(PC4(8731)!))
        #expect(try PostcodeOrArea(parsing: "8731 ab") == .full(Postcode(parsing: "8731AB")))
        #expect(try PostcodeOrArea(parsing: "8731 ab").area == PC4(8731))
    }

    @Test func pc4RangeIsEnforced() {
        #expect(PC4(999) == nil)
        #expect(PC4(10000) == nil)
        #expect(PC4(1000)?.value == 1000)
    }

    @Test func everyErrorHasADutchMessage() {
        let errors: [PostcodeError] = [
            .empty, .invalidCharacter("-"), .malformed, .tooShort, .tooLong, .leadingZero,
            .reservedLetters("SA"), .missingLetters, .unexpectedLetters,
        ]
        for e in errors { #expect(!e.message.isEmpty) }
        #expect(PostcodeError.leadingZero.message.contains("0"))
    }
}
