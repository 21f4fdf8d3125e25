/// A child first-aid certificate uploaded for the dossier (norm 2023, DOMAIN §6).
public struct EhboCertificate: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case awaitingFile, pendingReview, approved, rejected
    }

    public var id: String
    public var obtainedOn: CivilDate
    /// Inclusive: the certificate is valid on this day.
    public var validUntil: CivilDate
    public var status: Status

    public init(id: String, obtainedOn: CivilDate, validUntil: CivilDate, status: Status) {
        self.id = id
        self.obtainedOn = obtainedOn
        self.validUntil = validUntil
        self.status = status
    }
}

/// The dossier's EHBO light.
public enum EhboCoverageStatus: String, Sendable, Hashable, Codable {
    /// No approved or pending certificate at all.
    case missing
    /// Approved certificates do not cover the period, but one awaits review (it may close the gap).
    case pendingReview
    case coversPeriod
    /// Approved certificates leave at least one day uncovered; see `firstUncoveredDate`.
    case gap
}

public struct EhboCoverage: Sendable, Hashable {
    public let status: EhboCoverageStatus
    /// The first day from start to effective end that no approved certificate covers; nil when covered.
    public let firstUncoveredDate: CivilDate?

    /// Covered when the union of approved [obtainedOn, validUntil] intervals contains every day of
    /// [from, through]; overlapping and touching certificates join. O(n²) in certificates, no allocation.
    public static func evaluate(_ certificates: [EhboCertificate], from: CivilDate, through: CivilDate)
        -> EhboCoverage
    {
        var cursor = from
        var anyApproved = false, anyPending = false
        for c in certificates {
            if c.status == .approved { anyApproved = true } else if c.status == .pendingReview { anyPending = true }
        }
        while cursor <= through {
            var reach: CivilDate? = nil
            for c in certificates where c.status == .approved && c.obtainedOn <= cursor && c.validUntil >= cursor {
                if reach == nil || c.validUntil > reach! { reach = c.validUntil }
            }
            guard let r = reach else { break }
            cursor = r.adding(days: 1)
        }
        if cursor > through { return EhboCoverage(status: .coversPeriod, firstUncoveredDate: nil) }
        let status: EhboCoverageStatus = anyPending ? .pendingReview : (anyApproved ? .gap : .missing)
        return EhboCoverage(status: status, firstUncoveredDate: cursor)
    }
}

/// The dossier's EHBO light (DOMAIN §6): only norms that require a certificate have one.
public struct DossierEhbo: Sendable, Hashable, Encodable {
    public let required: Bool
    /// nil (JSON null) when the norm does not require a certificate.
    public let status: EhboCoverageStatus?
    public let firstUncoveredDate: CivilDate?

    /// Whether the EHBO rule is satisfied (trivially so when not required).
    public var met: Bool { !required || status == .coversPeriod }

    /// The coverage of [from, through] by the certificates when the norm requires one.
    init(norm: Norm, certificates: [EhboCertificate], from: CivilDate, through: CivilDate) {
        if norm.ehboCertificateRequired {
            let coverage = EhboCoverage.evaluate(certificates, from: from, through: through)
            self.init(required: true, status: coverage.status, firstUncoveredDate: coverage.firstUncoveredDate)
        } else {
            self.init(required: false, status: nil, firstUncoveredDate: nil)
        }
    }

    init(required: Bool, status: EhboCoverageStatus?, firstUncoveredDate: CivilDate?) {
        self.required = required
        self.status = status
        self.firstUncoveredDate = firstUncoveredDate
    }

    private enum CodingKeys: String, CodingKey { case required, status, firstUncoveredDate }

    /// Writes `status` and `firstUncoveredDate` as null rather than leaving them out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(required, forKey: .required)
        try c.encode(status, forKey: .status)
        try c.encode(firstUncoveredDate, forKey: .firstUncoveredDate)
    }
}
