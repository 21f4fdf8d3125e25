import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// What happens to a waitlist client, each step in one transaction: lock her row, let the rules decide,
/// write the change, tell the people concerned (outbox), record the audit event and the domain event.
/// The store only runs the SQL; the wording of every message is in `WaitlistMessages`.
public struct ClientWorkflows: Sendable {
    let pool: PostgresPool
    let clock: DutchClock
    /// Hand-backs one provider may make in any 24 hours (`RELEASES_PER_DAY`, DOMAIN §7a).
    let releasesPerDay: Int

    public init(pool: PostgresPool, clock: DutchClock = .system, releasesPerDay: Int = HandBack.defaultPerDay) {
        self.pool = pool
        self.clock = clock
        self.releasesPerDay = max(1, releasesPerDay)
    }

    /// An invitation link works this many days (and once).
    public static let invitationDays = 14
    /// Her personal link works until this many days after her due date.
    public static let clientLinkDaysAfterDue = 90
    /// After her withdrawal her link works at most this many days more (to see what happened, and who saw her data).
    public static let clientLinkDaysAfterWithdrawal = 30
}
