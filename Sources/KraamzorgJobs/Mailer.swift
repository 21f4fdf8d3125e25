import SMTPClient

/// Something that sends one message (the SMTP client in the service; a fake in tests if needed).
public protocol Mailer: Sendable {
    func send(_ message: MailMessage) async throws
}

/// Whether retrying a failed send can help (a 5xx reply cannot).
public func isPermanentMailFailure(_ error: any Error) -> Bool {
    (error as? SMTPError)?.permanent ?? false
}

extension SMTPClient: Mailer {
    public func send(_ message: MailMessage) async throws { try await sendAsync(message) }
}
