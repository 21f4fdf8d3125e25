import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// One completion to push, already checked for shape by the API.
public struct PushItem: Sendable {
    public var courseId: UUID?
    public var externalId: String?
    /// Canonical (upper case, trimmed).
    public var registrationNumber: String
    public var completedOn: CivilDate
    public init(courseId: UUID?, externalId: String?, registrationNumber: String, completedOn: CivilDate) {
        self.courseId = courseId; self.externalId = externalId; self.registrationNumber = registrationNumber; self.completedOn = completedOn
    }
}

/// Who pushes: a provider (only its own courses; `externalId` resolves among them) or an admin (any course by id).
public enum PushCaller: Sendable {
    case provider(UUID)
    case admin
}

public struct PushOutcome: Sendable {
    public enum Kind: Sendable { case created, existing, restored, refused }
    public let kind: Kind
    /// 201, 200, or the problem's status.
    public let status: Int
    public let view: AccreditationView?
    public let problem: (status: Int, field: String, message: String)?
    /// Dry run: the name the registration number belongs to (so a typo shows).
    public let practitionerName: String?
    public let late: Bool?
    /// The refusal's machine code, when it has one (`courseNotAccredited`).
    public let problemCode: String?

    public init(
        kind: Kind, status: Int, view: AccreditationView?, problem: (status: Int, field: String, message: String)?,
        practitionerName: String?, late: Bool?, problemCode: String? = nil
    ) {
        self.problemCode = problemCode
        self.kind = kind
        self.status = status
        self.view = view
        self.problem = problem
        self.practitionerName = practitionerName
        self.late = late
    }

    static func refused(_ status: Int, _ reason: StoreError.Reason, name: String? = nil) -> PushOutcome {
        PushOutcome(
            kind: .refused, status: status, view: nil, problem: (status, reason.field, reason.message), practitionerName: name, late: nil,
            problemCode: reason.code)
    }

    public static func refused(_ status: Int, _ field: String, _ message: String, name: String? = nil) -> PushOutcome {
        PushOutcome(kind: .refused, status: status, view: nil, problem: (status, field, message), practitionerName: name, late: nil)
    }
}

/// Completions pushed by course providers (DOMAIN §3), and their withdrawal. The push books a batch of up
/// to 10,000 with a handful of set-based statements (in the store); here the rules decide each item, and
/// the events, audit and answers are put together.
public struct CompletionWorkflows: Sendable {
    let store: RegisterStore
    let clock: DutchClock

    public init(store: RegisterStore, clock: DutchClock = .system) {
        self.store = store
        self.clock = clock
    }

    var pool: PostgresPool { store.pool }

    /// Withdraws (kept, marked, with who and when). Withdrawing twice changes nothing.
    public func withdraw(accreditationId id: UUID, by actor: AuditActor) async throws -> AccreditationView {
        try await pool.withTransaction { conn in
            let withdrawn = try await RegisterStore.withdraw(accreditationId: id, by: actor, on: conn)
            if withdrawn { try await AuditLog.record(.delete, objectType: "accreditation", objectId: id, by: actor, on: conn) }
            guard let r = try await RegisterStore.accreditation(id: id, on: conn) else { throw StoreError.notFound("accreditation") }
            if withdrawn {
                try await DomainEvents.recordAccreditations(
                    .accreditationWithdrawn,
                    [
                        (
                            id: r.id, practitionerId: r.practitionerId, providerId: r.providerId,
                            courseId: r.courseId, registrationNumber: r.registrationNumber,
                            completedOn: r.completedOn.iso
                        )
                    ], on: conn)
            }
            let periods = try await RegisterStore.periods(practitionerId: r.practitionerId, lock: false, on: conn).map(\.period)
            return AccreditationView(record: r, period: CompletionPush.countingPeriod(for: r.completedOn, in: periods))
        }
    }
}
