import SMTPClient

/// Something that sends one message: the SMTP client (a relay), or the mail folder without one.
public protocol Mailer: Sendable {
    func send(_ message: MailMessage) async throws
}

/// Whether retrying a failed send can help (a 5xx reply to the message cannot).
public func isPermanentMailFailure(_ error: any Error) -> Bool {
    (error as? SMTPError)?.permanent ?? false
}

/// Whether the relay itself is unusable now (not reached, refused the session, TLS or login failed): the rest
/// of a batch would fail the same way.
public func isRelayUnavailable(_ error: any Error) -> Bool {
    (error as? SMTPError)?.relayUnavailable ?? false
}

extension SMTPClient: Mailer {
    public func send(_ message: MailMessage) async throws { try await sendAsync(message) }
}

extension MailDirectory: Mailer {
    public func send(_ message: MailMessage) async throws { try write(message) }
}
