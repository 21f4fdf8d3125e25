import FoundationEssentials
import Hashing
import DatesAndIDs
import Glibc

/// The server key that webhook signing secrets are derived from (DOMAIN §8, second round: webhook secrets
/// are derived from a key, not stored). A subscription's row keeps only a random salt; its secret is
///
///     "whsec_" + Base64URL(HMAC-SHA256(key, "webhook:" + lowercased subscription id + ":" + salt))
///
/// computed when the subscription is made (shown once in the 201) and again for every delivery it signs.
/// A dump of the database therefore holds no secret, and a new salt (a new subscription) gives a new one.
///
/// The key is text of at least 32 characters: `WEBHOOK_SECRET_KEY` when set, else the content of a key file
/// the service makes once (`WEBHOOK_SECRET_KEY_FILE`, default `.data/webhook-secret.key`). It is not kept in
/// the database, on purpose: the point is that the database alone cannot sign.
public struct WebhookSecretKey: Sendable {
    public static let minimumLength = 32
    public static let secretPrefix = "whsec_"

    private let bytes: [UInt8]

    /// The key as configured: surrounding whitespace is ignored; nil when shorter than 32 characters.
    public init?(text: String) {
        var trimmed = Substring(text)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        guard trimmed.count >= Self.minimumLength else { return nil }
        bytes = Array(trimmed.utf8)
    }

    /// A fresh random key (tests and tools; the executable reads its key from the environment or the key file).
    public static func random() -> WebhookSecretKey {
        WebhookSecretKey(text: SecretToken.generate())!
    }

    /// The signing secret of one subscription.
    public func secret(subscriptionId: UUID, salt: String) -> String {
        let message = Array("webhook:\(subscriptionId.lowercasedString):\(salt)".utf8)
        return Self.secretPrefix + Base64URL.encode(HMAC_SHA256.authenticate(message: message, key: bytes))
    }

    public enum FileError: Error, CustomStringConvertible {
        case tooShort(path: String)
        case cannotRead(path: String)
        case cannotWrite(path: String, errno: Int32)

        public var description: String {
            switch self {
            case .tooShort(let path): return "\(path) holds fewer than \(WebhookSecretKey.minimumLength) characters"
            case .cannotRead(let path): return "\(path) exists but cannot be read"
            case .cannotWrite(let path, let code): return "cannot write \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    /// The key in `path`, made there first when the file does not exist: 32 random bytes as base64url text,
    /// readable by this user only (0600), its folder created (0700) when missing. Instances starting together
    /// on one host agree on one file (it is written aside and linked into place, so nobody reads half a key).
    /// Returns whether it was made now.
    public static func loadOrCreate(file path: String) throws -> (key: WebhookSecretKey, created: Bool) {
        if let existing = FileManager.default.contents(atPath: path) {
            guard let key = WebhookSecretKey(text: String(decoding: existing, as: UTF8.self)) else { throw FileError.tooShort(path: path) }
            return (key, false)
        }
        try makeFolders(of: path)
        let text = SecretToken.generate() + "\n"
        let aside = "\(path).\(Hex.encode(SecureRandom.bytes(count: 6))).tmp"
        let fd = open(aside, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileError.cannotWrite(path: aside, errno: errno) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = written == bytes.count ? fsync(fd) : -1
        let writeError = errno
        close(fd)
        defer { unlink(aside) }
        guard synced == 0 else { throw FileError.cannotWrite(path: aside, errno: writeError) }
        if link(aside, path) == 0 { return (WebhookSecretKey(text: text)!, true) }
        let code = errno
        // Another instance linked its key first: use that one.
        guard code == EEXIST else { throw FileError.cannotWrite(path: path, errno: code) }
        guard let theirs = FileManager.default.contents(atPath: path) else { throw FileError.cannotRead(path: path) }
        guard let key = WebhookSecretKey(text: String(decoding: theirs, as: UTF8.self)) else { throw FileError.tooShort(path: path) }
        return (key, false)
    }

    /// `mkdir -p` of the folder `path` is in, each new folder 0700.
    private static func makeFolders(of path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false).dropLast() where !part.isEmpty {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(part) : "/" + part
            if access(prefix, F_OK) == 0 { continue }
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { throw FileError.cannotWrite(path: prefix, errno: errno) }
        }
    }
}
