import FoundationEssentials
import KraamzorgStore
import PostgresClient

/// What happens to a waitlist client, each step in one transaction: lock her row, let the rules decide,
/// write the change, tell the people concerned (outbox), record the audit event and the domain event.
/// The store only runs the SQL; the wording of every message is in `WaitlistMessages`.
public struct ClientWorkflows: Sendable {
    let pool: PostgresPool
    let clock: DutchClock

    public init(pool: PostgresPool, clock: DutchClock = .system) {
        self.pool = pool
        self.clock = clock
    }

    /// An invitation link works this many days (and once).
    public static let invitationDays = 14
    /// Her personal link works until this many days after her due date.
    public static let clientLinkDaysAfterDue = 90
    /// After her withdrawal her link works at most this many days more (to see what happened, and who saw her data).
    public static let clientLinkDaysAfterWithdrawal = 30
}
