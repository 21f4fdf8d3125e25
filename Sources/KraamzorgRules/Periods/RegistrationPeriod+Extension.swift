/// Evidence for an extension beyond 3 months (illness etc.): a written reason and an uploaded statement.
public struct SpecialCircumstances: Sendable, Hashable, Codable {
    public var reason: String
    /// Reference to the employer and/or medical statement (an uploaded document).
    public var evidence: String

    public init(reason: String, evidence: String) {
        self.reason = reason
        self.evidence = evidence
    }
}

public enum ExtensionRefusal: Error, Sendable, Hashable {
    /// The new end must lie after the period's own end.
    case notAfterEnd(endDate: CivilDate)
    /// More than 3 calendar months in total beyond the original end needs special circumstances.
    case beyondThreeMonths(latestWithoutSpecialCircumstances: CivilDate)
    case specialCircumstancesReasonMissing
    case specialCircumstancesEvidenceMissing
    /// Submitted, approved and cancelled periods are not extended.
    case periodClosed(PeriodStatus)
}

extension RegistrationPeriod {
    /// The latest end without special circumstances: the original end + 3 calendar months (in total, so
    /// two extensions together never exceed it).
    public var latestExtensionWithoutSpecialCircumstances: CivilDate { endDate.adding(months: 3) }

    /// The period with its effective end moved to `until`; every refusal reason that applies is thrown first
    /// in order of severity (closed, not later, too long, missing evidence).
    public func extended(until: CivilDate, specialCircumstances: SpecialCircumstances? = nil)
        throws(ExtensionRefusal) -> RegistrationPeriod
    {
        switch status {
        case .submitted, .approved, .cancelled: throw .periodClosed(status)
        default: break
        }
        guard until > endDate else { throw .notAfterEnd(endDate: endDate) }
        if until > latestExtensionWithoutSpecialCircumstances {
            guard let special = specialCircumstances else {
                throw .beyondThreeMonths(latestWithoutSpecialCircumstances: latestExtensionWithoutSpecialCircumstances)
            }
            guard !special.reason.isBlank else { throw .specialCircumstancesReasonMissing }
            guard !special.evidence.isBlank else { throw .specialCircumstancesEvidenceMissing }
        }
        var copy = self
        copy.extendedUntil = until
        return copy
    }
}
