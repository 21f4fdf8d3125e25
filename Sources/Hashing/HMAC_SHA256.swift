/// HMAC-SHA256 per RFC 2104, for signing values the server hands out and later checks.
///
/// Traps: compare MACs with `SecretToken.constantTimeEquals`, never `==`.
public enum HMAC_SHA256 {
    private static let blockSize = 64

    /// Returns the 32-byte MAC. Keys longer than 64 bytes are hashed first (RFC 2104 §2).
    public static func authenticate(message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        var paddedKey = key.count > blockSize ? SHA256.hash(key) : Array(key)
        paddedKey.append(contentsOf: repeatElement(0, count: blockSize - paddedKey.count))

        var inner = SHA256()
        inner.update(paddedKey.map { $0 ^ 0x36 })
        inner.update(message)

        var outer = SHA256()
        outer.update(paddedKey.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
