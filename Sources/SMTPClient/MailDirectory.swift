import FoundationEssentials
import Glibc

/// Without a relay (`SMTP_HOST` unset): each message is written as an `.eml` file (RFC 5322, CRLF line
/// ends) into a folder (`MAIL_DIR`, default `.data/mail`), so a person trying the service can open it in a
/// mail program and follow its links. Files are named `<UTC time>-<message id>.eml`, readable by this user only.
public struct MailDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The file written; an existing file of the same message is replaced (a resend after a crash).
    @discardableResult
    public func write(_ message: MailMessage) throws -> String {
        try Self.makeFolders(path)
        let stamp = Int(message.date.timeIntervalSince1970)
        let safeId = String(message.messageId.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        let file = "\(path)/\(stamp)-\(safeId).eml"
        let bytes = MailFormat.crlf(MailFormat.render(message))
        let aside = file + ".tmp"
        let fd = open(aside, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MailDirectoryError(path: aside, errno: errno) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let code = errno
        close(fd)
        guard written == bytes.count else { unlink(aside); throw MailDirectoryError(path: aside, errno: code) }
        guard rename(aside, file) == 0 else { throw MailDirectoryError(path: file, errno: errno) }
        return file
    }

    /// `mkdir -p`, each new folder 0700.
    static func makeFolders(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(part) : "/" + part
            if access(prefix, F_OK) == 0 { continue }
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { throw MailDirectoryError(path: prefix, errno: errno) }
        }
    }
}

public struct MailDirectoryError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let errno: Int32
    public var description: String { "cannot write \(path): \(String(cString: strerror(errno)))" }
}
