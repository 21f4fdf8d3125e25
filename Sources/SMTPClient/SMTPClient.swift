import CLibCurl
import CurlTransport
import Dispatch
import FoundationEssentials
import OutboundSockets

/// Where and how to send mail (`SMTP_HOST`, `SMTP_PORT`, `SMTP_TLS`, `SMTP_USER`, `SMTP_PASSWORD`).
public struct SMTPConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The name we give in EHLO.
    public var heloName: String
    public var timeout: Duration
    public var security: SMTPSecurity
    public var username: String?
    public var password: String?
    /// A CA bundle to trust instead of the system store (`SSL_CERT_FILE`).
    public var caFile: String?

    public init(
        host: String, port: Int = 25, heloName: String = "localhost", timeout: Duration = .seconds(20),
        security: SMTPSecurity = .starttls, username: String? = nil, password: String? = nil, caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.heloName = heloName
        self.timeout = timeout
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
    }
}

/// An SMTP failure, from libcurl: `permanent` for a 5xx reply to the message (retrying will not help);
/// `relayUnavailable` when the relay itself cannot be used now (not reached, refused us, TLS or login failed),
/// so every message would fail the same way.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public let underlying: CurlError

    public init(_ underlying: CurlError) { self.underlying = underlying }

    public var relayUnavailable: Bool {
        underlying.unreachable || underlying.tls || underlying.responseCode == 421 || underlying.responseCode == 530
            || underlying.code == Int32(CURLE_LOGIN_DENIED.rawValue)
            || underlying.code == Int32(CURLE_WEIRD_SERVER_REPLY.rawValue)
    }

    public var permanent: Bool { !relayUnavailable && underlying.responseCode >= 500 }

    public var description: String { "SMTP: \(underlying)" }
}

/// Sends mail through libcurl's SMTP (STARTTLS or implicit TLS, AUTH). One connection per `send`.
/// `send` blocks; call it through `sendAsync`, which runs it on a dedicated queue.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let queue = DispatchQueue(label: "smtp-client")

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func sendAsync(_ message: MailMessage) async throws {
        let client = self
        try await BlockingIO.run(on: queue) { try client.send(message) }
    }

    public func send(_ message: MailMessage) throws(SMTPError) {
        let c = configuration
        do {
            try CurlSMTP.send(
                host: c.host, port: c.port, heloName: c.heloName, security: c.security, username: c.username, password: c.password,
                from: Self.address(message.from), recipients: message.to.map(Self.address),
                message: MailFormat.crlf(MailFormat.render(message)), connectTimeout: min(c.timeout, .seconds(10)), timeout: c.timeout,
                caFile: c.caFile)
        } catch {
            throw SMTPError(error)
        }
    }

    /// The bare address (no display name, no line breaks or brackets).
    static func address(_ s: String) -> String {
        var a = s
        if let open = a.lastIndex(of: "<"), let close = a.lastIndex(of: ">"), open < close { a = String(a[a.index(after: open)..<close]) }
        return String(a.filter { !"\r\n<> ".contains($0) })
    }
}
