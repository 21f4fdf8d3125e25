import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// Why the register refuses a request: the reasons (each with the field it concerns, shown as 422) and
/// the conflicts (409) its workflows answer with. The API shows these texts as they are.
public enum RegisterRefusals {
    // MARK: first registration

    /// No norm for the registration date; the field is the one that set that date.
    public static func norm(_ refusal: NormRefusal, registeredOnGiven: Bool) -> StoreError.Reason {
        switch refusal {
        case .beforeEarliestNorm(_, let earliest):
            return .init(
                field: registeredOnGiven ? "registeredOn" : "periodStart",
                message: "registration dates before \(earliest.iso) are refused for new periods")
        case .noNorms: return .init(field: "periodStart", message: "no norm is published")
        }
    }

    /// The entry check of a first registration (DOMAIN §1).
    public static func entry(_ refusal: FirstRegistrationRefusal) -> StoreError.Reason {
        switch refusal {
        case .diplomaTooOld(_, let earliest):
            return .init(
                field: "diplomaObtainedOn",
                message:
                    "the diploma is older than one year (before \(earliest.iso)); only a re-entrant (reentrant: true) may register with it")
        case .diplomaAfterRegistration:
            return .init(field: "diplomaObtainedOn", message: "the diploma date lies after the registration date")
        case .diplomaOrReentrantRequired:
            return .init(field: "diplomaObtainedOn", message: "give the diploma date, or reentrant: true")
        }
    }

    public static let noFreeRegistrationNumber = "no free registration number"

    // MARK: strike-off and deregistration

    public static func alreadyStruckOff(on day: CivilDate) -> String { "she is already struck off (\(day.iso))" }
    public static func alreadyDeregistered(on day: CivilDate) -> String { "she is already deregistered (\(day.iso))" }

    // MARK: submission and review

    public static let normNotPublished = StoreError.Reason(field: "norm", message: "the period's norm is not published")

    /// The next period's norm: none applies on the day she submits.
    public static func noNormApplies(on day: CivilDate) -> StoreError.Reason {
        .init(field: "norm", message: "no norm applies to a registration on \(day.iso)")
    }

    /// Every reason the rules give for refusing a submission (the window, each red item), by its code.
    public static func submission(_ eligibility: SubmissionEligibility) -> [StoreError.Reason] {
        eligibility.reasons.map { .init(field: $0.code, message: $0.message) }
    }

    public static func notSubmitted(_ status: PeriodStatus) -> String {
        "only a submitted period can be reviewed; this one is \(status.rawValue)"
    }

    public static let noSubmission = "no submission found for this period"
    public static let nextNoLongerUpcoming = "the next period is no longer upcoming"

    // MARK: extension and advance

    public static func extensionRefused(_ refusal: ExtensionRefusal) -> StoreError.Reason {
        switch refusal {
        case .notAfterEnd(let end): return .init(field: "until", message: "must be after the period's end (\(end.iso))")
        case .beyondThreeMonths(let latest):
            return .init(
                field: "until",
                message: "more than 3 months in total (after \(latest.iso)) needs special circumstances with a reason and evidence")
        case .specialCircumstancesReasonMissing:
            return .init(field: "specialCircumstances.reason", message: "special circumstances need a written reason")
        case .specialCircumstancesEvidenceMissing:
            return .init(field: "specialCircumstances.evidence", message: "special circumstances need evidence (an uploaded statement)")
        case .periodClosed(let s): return .init(field: "periodId", message: "a period with status \(s.rawValue) cannot be extended")
        }
    }

    public static func advanceRefused(_ refusal: AdvanceRefusal) -> StoreError.Reason {
        switch refusal {
        case .notEarlier(let regular):
            return .init(field: "nextStart", message: "must be before the regular start of the next period (\(regular.iso))")
        case .moreThanThreeMonths(let earliest):
            return .init(field: "nextStart", message: "may be at most 3 months earlier: not before \(earliest.iso)")
        case .periodCancelled: return .init(field: "periodId", message: "the period is cancelled")
        }
    }

    public static func alreadyDecided(_ status: String) -> String { "this request was already decided (\(status))" }
    public static let evidenceOnlyWhileOpen = "evidence can only be added to an open request"

    // MARK: EHBO certificates

    public static let approvedEhboFileStays = "an approved certificate's file cannot be replaced; record a new certificate"
    public static let ehboNotAwaitingReview = "only a certificate with an uploaded file awaiting review can be reviewed"

    // MARK: courses

    public static let notACourseProvider = StoreError.Reason(field: "providerId", message: "is not a course provider")

    // MARK: pushing completions (per item)

    public static let courseNotFound = StoreError.Reason(field: "courseId", message: "no course with this id")
    public static let courseOfAnotherProvider = StoreError.Reason(
        field: "courseId", message: "this course belongs to another provider; push only your own courses")
    public static let adminsPushByCourseId = StoreError.Reason(
        field: "externalId", message: "admins push by courseId; externalId names a provider's own course")
    public static let externalIdNotFound = StoreError.Reason(field: "externalId", message: "none of your courses has this externalId")
    public static let courseOrExternalId = StoreError.Reason(field: "courseId", message: "give courseId or externalId")
    public static let practitionerNotFound = StoreError.Reason(
        field: "registrationNumber", message: "no practitioner with this registration number")

    /// A push the rules refuse (DOMAIN §3): a future date, no period of hers covering it, or no line for its norm.
    public static func push(_ refusal: PushRefusal, completedOn: CivilDate, registrationNumber: String) -> StoreError.Reason {
        switch refusal {
        case .futureDate:
            return .init(field: "completedOn", message: "the completion date \(completedOn.iso) is in the future")
        case .noCoveringPeriod:
            return .init(
                field: "completedOn",
                message: "no registration period of \(registrationNumber) that accepts completions covers \(completedOn.iso)")
        case .noLineForNorm(let n):
            return .init(
                field: "courseId",
                message: "the course has no accreditation line for norm \(n), the norm of the period this completion counts in")
        }
    }
}
