import FoundationEssentials
import Logging
import KraamzorgStore
import SMTPClient
import Synchronization
import DatesAndIDs

/// The last backlog logged while no relay is configured, so the log says it once per change, not every pass.
final class HeldCount: Sendable {
    private let value = Mutex(-1)
    func changed(to n: Int) -> Bool {
        value.withLock { old in
            defer { old = n }; return old != n
        }
    }
}

/// Sends pending outbox messages. Several instances may run side by side: each message is claimed
/// (a lease) before it is sent and marked sent only by the instance holding the claim.
public struct OutboxSender: Sendable {
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var retrying = 0
        public var failed = 0
        public var held = 0
        public init() {}
    }

    let delivery: OutboxDelivery
    /// The relay (`SMTP_HOST`) or the mail folder (`MAIL_DIR`); nil: messages stay pending and are logged.
    let mailer: (any Mailer)?
    let from: String
    let logger: Logger
    public let instance: UUID
    private let held = HeldCount()

    public init(delivery: OutboxDelivery, mailer: (any Mailer)?, from: String, logger: Logger, instance: UUID = UUID()) {
        self.delivery = delivery
        self.mailer = mailer
        self.from = from
        self.logger = logger
        self.instance = instance
    }

    /// One pass: claims due messages and sends them, until none are due (at most `maxBatches` batches).
    public func runOnce(now: Date = Date(), maxBatches: Int = 50) async throws -> Report {
        var report = Report()
        guard let mailer else {
            report.held = try await delivery.pendingCount()
            if held.changed(to: report.held), report.held > 0 {
                logger.info("outbox: messages held, SMTP_HOST is not set", ["pending": String(report.held)])
            }
            return report
        }
        var relayDown: (any Error)?
        for _ in 0..<maxBatches where relayDown == nil {
            let batch = try await delivery.claim(instance: instance, now: now)
            if batch.isEmpty { break }
            for n in batch {
                // The relay did not answer: the rest of the batch gets the same failure without waiting
                // on it again; each is retried after its backoff.
                if let down = relayDown {
                    try await delivery.markFailed(
                        n.id, instance: instance, attempts: n.attempts, error: "\(down)", permanent: false, now: now)
                    if n.attempts >= delivery.policy.maxAttempts { report.failed += 1 } else { report.retrying += 1 }
                    continue
                }
                var body = n.body
                if let link = n.link { body += "\n\n\(link)" }
                let message = MailMessage(
                    from: from, to: [n.recipient], subject: n.subject, body: body, date: now,
                    messageId: "\(n.id.lowercasedString)@kraamzorg")
                do {
                    try await mailer.send(message)
                    try await delivery.markSent(n.id, instance: instance, now: now)
                    report.sent += 1
                } catch {
                    let permanent = isPermanentMailFailure(error)
                    if isRelayUnavailable(error) { relayDown = error }
                    try await delivery.markFailed(
                        n.id, instance: instance, attempts: n.attempts, error: "\(error)", permanent: permanent, now: now)
                    if permanent || n.attempts >= delivery.policy.maxAttempts {
                        report.failed += 1
                        logger.warn(
                            "outbox: message failed",
                            [
                                "id": .string(n.id.lowercasedString), "kind": .string(n.kind), "attempts": .int(n.attempts),
                                "error": .string("\(error)"),
                            ])
                    } else {
                        report.retrying += 1
                        logger.info(
                            "outbox: send failed, will retry",
                            ["id": .string(n.id.lowercasedString), "attempts": .int(n.attempts), "error": .string("\(error)")])
                    }
                }
            }
        }
        return report
    }
}
