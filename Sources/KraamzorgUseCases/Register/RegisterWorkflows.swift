import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// What happens to a practitioner's periods, each step in one transaction: lock her record and periods,
/// let the rules decide, write the change, tell her (outbox), record the audit event and the domain event.
/// Submission and review, extension and advance (directly or by her request), and reading her dossier.
/// The store only runs the SQL; the wording of every message and refusal is in `RegisterMessages` and
/// `RegisterRefusals`.
public struct RegisterWorkflows: Sendable {
    let store: RegisterStore
    let clock: DutchClock

    public init(store: RegisterStore, clock: DutchClock = .system) {
        self.store = store
        self.clock = clock
    }

    var pool: PostgresPool { store.pool }

    /// Today in Dutch time, by the workflows' clock (the day their answers are rendered for).
    public var today: CivilDate { clock.today }
}
