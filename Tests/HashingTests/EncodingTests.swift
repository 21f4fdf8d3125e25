import Hashing
import Testing
import DatesAndIDs

@Suite struct HexTests {
    @Test func encodesLowercase() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x01, 0xab, 0xcd, 0xef, 0xff]) == "0001abcdefff")
    }

    @Test func roundTripsAllByteValues() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
    }

    @Test func decodesUppercase() {
        #expect(Hex.decode("ABCDEF") == [0xab, 0xcd, 0xef])
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: ["a", "abc", "zz", "0g", " 00", "00 ", "0x00", "-1", "é0", "٠٠"])
    func rejectsInvalid(text: String) {
        #expect(Hex.decode(text) == nil)
    }
}

@Suite struct Base64URLTests {
    // RFC 4648 §10 vectors, without padding.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
        ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func usesURLSafeAlphabet() {
        // Standard base64 would be "+/8=", "++++", "////".
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.encode([0xfb, 0xef, 0xbe]) == "----")
        #expect(Base64URL.encode([0xff, 0xff, 0xff]) == "____")
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
    }

    @Test func roundTripsEveryLength() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
        for length in 0...bytes.count {
            let slice = Array(bytes.prefix(length))
            let encoded = Base64URL.encode(slice)
            #expect(!encoded.contains("="))
            #expect(Base64URL.decode(encoded) == slice)
        }
    }

    @Test(arguments: [
        "Zg==", "Zm8=",  // padding
        "Zm9v+", "Zm/v", "Zm+v",  // standard-alphabet characters
        "Zm9 v", "Zm9v\n",  // whitespace
        "Z", "Zm9vY",  // length 4n+1
        "Zh", "Zm9",  // non-zero unused bits (non-canonical)
        "Zm9v!", "é",
    ])
    func rejectsInvalid(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite struct SecretTokenTests {
    private static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test func generatesFortyThreeBase64URLCharacters() {
        for _ in 0..<100 {
            let token = SecretToken.generate()
            #expect(token.count == 43)
            #expect(token.allSatisfy { Self.alphabet.contains($0) })
            #expect(Base64URL.decode(token)?.count == 32)
        }
    }

    @Test func tokensDiffer() {
        let tokens = Set((0..<100).map { _ in SecretToken.generate() })
        #expect(tokens.count == 100)
    }

    @Test func hashIsSHA256OfTheText() {
        let expected = "07ead822040861a79ee934a18a6124f809ff21ee7bbf90e3ddabc21d52ed0d02"  // hashlib.sha256(b"hello token")
        #expect(SecretToken.hashHex("hello token") == expected)
        #expect(SecretToken.hash("hello token") == Hex.decode(expected))
        let token = SecretToken.generate()
        #expect(SecretToken.hash(token) == SHA256.hash(Array(token.utf8)))
    }

    @Test func constantTimeEquals() {
        #expect(SecretToken.constantTimeEquals([], []))
        #expect(SecretToken.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!SecretToken.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!SecretToken.constantTimeEquals([0, 2, 3], [1, 2, 3]))
        #expect(!SecretToken.constantTimeEquals([1, 2, 3], [1, 2]))
    }
}

@Suite struct SecureRandomTests {
    @Test func returnsRequestedCount() {
        #expect(SecureRandom.bytes(count: 0).isEmpty)
        #expect(SecureRandom.bytes(count: 1).count == 1)
        // Spans many 256-byte getentropy calls, including a partial last chunk.
        #expect(SecureRandom.bytes(count: 100_000).count == 100_000)
    }

    @Test func isNotConstant() {
        let bytes = SecureRandom.bytes(count: 4096)
        #expect(Set(bytes).count > 200)
        #expect(SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }
}
