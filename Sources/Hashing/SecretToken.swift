import DatesAndIDs
/// Bearer secrets (sessions, invitation links): hand the token out once, store only its hash.
///
/// A plain SHA-256 is enough because the token carries 256 random bits; do not use this
/// for human-chosen passwords.
public enum SecretToken {
    /// 32 random bytes as unpadded base64url: 43 characters, URL-safe.
    public static func generate() -> String {
        Base64URL.encode(SecureRandom.bytes(count: 32))
    }

    /// SHA-256 of the token's UTF-8 bytes; this is what gets stored and looked up.
    public static func hash(_ token: String) -> [UInt8] {
        SHA256.hash(token.utf8)
    }

    /// `hash(_:)` as lowercase hex, for text columns.
    public static func hashHex(_ token: String) -> String {
        Hex.encode(hash(token))
    }

    /// Compares without an early exit, so timing does not reveal the matching prefix.
    /// Only the lengths leak (they differ only when comparing different kinds of value).
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices {
            difference |= a[i] ^ b[i]
        }
        return difference == 0
    }
}
