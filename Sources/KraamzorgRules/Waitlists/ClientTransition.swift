/// Who enrolled a client and when: needed to decide a release.
public struct Enrolment: Sendable, Hashable {
    public let providerId: OrganisationID
    public let enrolledOn: CivilDate
    /// The status she had when enrolled (`waiting` or `birthReported`); a release returns her to it.
    public let priorStatus: ClientStatus

    public init(providerId: OrganisationID, enrolledOn: CivilDate, priorStatus: ClientStatus = .waiting) {
        self.providerId = providerId
        self.enrolledOn = enrolledOn
        self.priorStatus = priorStatus
    }
}

public enum ClientEvent: Sendable, Hashable {
    /// She accepts the invitation (with her details and consent).
    case accept
    /// A care provider takes her.
    case enrol(provider: OrganisationID)
    /// The enrolling provider hands her back, on a date.
    case release(provider: OrganisationID, on: CivilDate)
    /// She, a coordinator or an admin takes her off the lists (or cancels the invitation).
    case withdraw
    /// Birth before enrolment, reported by her or a coordinator.
    case reportBirth
    /// A birth report taken back (DOMAIN §7a): by her link within `BirthReport.undoWindow`, by a coordinator at any time.
    case undoBirth

    public var kind: Kind {
        switch self {
        case .accept: .accept
        case .enrol: .enrol
        case .release: .release
        case .withdraw: .withdraw
        case .reportBirth: .reportBirth
        case .undoBirth: .undoBirth
        }
    }

    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case accept, enrol, release, withdraw, reportBirth, undoBirth
    }
}

/// Why a release is refused.
public enum ReleaseRefusal: Error, Sendable, Hashable {
    case notEnrolled(ClientStatus)
    case notTheEnrollingProvider
    /// Status `enrolled` but the caller passed no `Enrolment` (a store bug; refused rather than guessed).
    case enrolmentUnknown
    /// Released on day 8 or later after the enrolment day.
    case moreThanSevenDays(daysSinceEnrolment: Int)

    public var message: String {
        switch self {
        case .notEnrolled(let s): "Alleen een ingeschreven cliënt kan worden teruggegeven (status: \(s.rawValue))."
        case .enrolmentUnknown: "Van deze inschrijving is niet bekend wie haar deed."
        case .notTheEnrollingProvider: "Alleen de kraamzorgaanbieder die de cliënt inschreef kan haar teruggeven."
        case .moreThanSevenDays(let d): "Teruggeven kan tot 7 dagen na de inschrijving; het is nu \(d) dagen geleden."
        }
    }
}

public enum ClientTransitionError: Error, Sendable, Hashable {
    /// The event makes no sense in this status (API: 409 conflict with current state).
    case notAllowed(from: ClientStatus, event: ClientEvent.Kind)
    /// Any release that fails `checkRelease`, including one of a client who is not enrolled.
    case releaseRefused(ReleaseRefusal)
}

extension ClientStatus {
    /// Release is allowed up to and including 7 calendar days after the enrolment day.
    public static let releaseWindowDays = 7

    /// The release check on its own (DOMAIN §7 decision): enrolled, by the same provider, within 7 days.
    public static func checkRelease(
        status: ClientStatus, enrolment: Enrolment?, provider: OrganisationID,
        on date: CivilDate
    ) -> Result<ClientStatus, ReleaseRefusal> {
        guard status == .enrolled else { return .failure(.notEnrolled(status)) }
        guard let e = enrolment else { return .failure(.enrolmentUnknown) }
        guard e.providerId == provider else { return .failure(.notTheEnrollingProvider) }
        let days = e.enrolledOn.days(until: date)
        guard days <= releaseWindowDays else { return .failure(.moreThanSevenDays(daysSinceEnrolment: days)) }
        return .success(e.priorStatus == .birthReported ? .birthReported : .waiting)
    }

    /// The client's next status, or why not. Allowed:
    /// invited → waiting (accept), withdrawn (withdraw: the invitation is cancelled);
    /// waiting → enrolled, withdrawn, birthReported; birthReported → enrolled, withdrawn, waiting (undoBirth);
    /// enrolled → waiting (release, see `checkRelease`; back to birthReported if she was). Nothing else:
    /// withdrawn is final, and an enrolled client is no longer on the list to withdraw or report a birth.
    public static func transition(
        from status: ClientStatus, event: ClientEvent,
        enrolment: Enrolment? = nil
    ) -> Result<ClientStatus, ClientTransitionError> {
        switch (status, event) {
        case (.invited, .accept): return .success(.waiting)
        case (.invited, .withdraw): return .success(.withdrawn)
        case (.waiting, .enrol): return .success(.enrolled)
        case (.waiting, .withdraw): return .success(.withdrawn)
        case (.waiting, .reportBirth): return .success(.birthReported)
        case (.birthReported, .enrol): return .success(.enrolled)
        case (.birthReported, .withdraw): return .success(.withdrawn)
        case (.birthReported, .undoBirth): return .success(.waiting)
        case (_, .release(let provider, let on)):
            return checkRelease(status: status, enrolment: enrolment, provider: provider, on: on)
                .mapError { .releaseRefused($0) }
        default:
            return .failure(.notAllowed(from: status, event: event.kind))
        }
    }
}
