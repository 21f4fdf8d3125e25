/// One reason a dossier cannot be submitted (yet). Typed so the API lists every reason without parsing text.
public enum SubmissionReason: Sendable, Hashable {
    /// Submission opens at effective end − 3 months.
    case windowNotOpen(opensOn: CivilDate)
    /// Only active, expired and infoRequested periods can be submitted.
    case periodStatus(PeriodStatus)
    case categoryPointsShort(category: String, short: Points)
    case subjectCompletionsShort(category: String, subject: String, short: Int)
    case distinctCoursesShort(category: String, short: Int)
    case totalPointsShort(short: Points)
    case ehbo(EhboCoverageStatus, firstUncoveredDate: CivilDate?)

    /// Stable machine code.
    public var code: String {
        switch self {
        case .windowNotOpen: "windowNotOpen"
        case .periodStatus: "periodStatus"
        case .categoryPointsShort: "categoryPointsShort"
        case .subjectCompletionsShort: "subjectCompletionsShort"
        case .distinctCoursesShort: "distinctCoursesShort"
        case .totalPointsShort: "totalPointsShort"
        case .ehbo: "ehboCertificate"
        }
    }

    /// A plain-language sentence (built on demand, never in the evaluation's hot path).
    public var message: String {
        switch self {
        case .windowNotOpen(let d): "Submission opens on \(d.iso), 3 months before the end of the period."
        case .periodStatus(let s): "A period with status \(s.rawValue) cannot be submitted."
        case .categoryPointsShort(let c, let p): "Category \(c) needs \(p) more points."
        case .subjectCompletionsShort(let c, let s, let n):
            "Subject \(s) in category \(c) needs \(n) more completion\(n == 1 ? "" : "s")."
        case .distinctCoursesShort(let c, let n):
            "Category \(c) needs \(n) more different course\(n == 1 ? "" : "s")."
        case .totalPointsShort(let p): "The total needs \(p) more points."
        case .ehbo(let s, let d):
            switch s {
            case .missing: "No approved child first-aid (EHBO) certificate."
            case .pendingReview: "The child first-aid (EHBO) certificate awaits review."
            case .gap, .coversPeriod:
                "The child first-aid (EHBO) certificates do not cover \(d?.iso ?? "the period")."
            }
        }
    }
}

extension SubmissionReason: Encodable {
    private enum CodingKeys: String, CodingKey { case code, message, date, status, category, subject, short }

    /// `{"code", "message", ...details}`.
    /// Kept by hand: an enum with payloads, flattened into one object whose members depend on the case.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(message, forKey: .message)
        switch self {
        case .windowNotOpen(let d): try c.encode(d, forKey: .date)
        case .periodStatus(let s): try c.encode(s, forKey: .status)
        case .categoryPointsShort(let cat, let p):
            try c.encode(cat, forKey: .category); try c.encode(p, forKey: .short)
        case .subjectCompletionsShort(let cat, let s, let n):
            try c.encode(cat, forKey: .category); try c.encode(s, forKey: .subject); try c.encode(n, forKey: .short)
        case .distinctCoursesShort(let cat, let n):
            try c.encode(cat, forKey: .category); try c.encode(n, forKey: .short)
        case .totalPointsShort(let p): try c.encode(p, forKey: .short)
        case .ehbo(let s, let d): try c.encode(s, forKey: .status); try c.encodeIfPresent(d, forKey: .date)
        }
    }
}

/// Whether the dossier may be submitted as of the evaluation date, and every reason why not.
///
/// The reasons are derived on access from the dossier's needs, so evaluation does not build them.
public struct SubmissionEligibility: Sendable, Hashable, Encodable {
    public let allowed: Bool
    /// Effective end − 3 months.
    public let windowOpensOn: CivilDate
    /// Set when the period's status itself blocks submission.
    let blockingStatus: PeriodStatus?
    let windowOpen: Bool
    let needs: [DossierNeed]
    let ehbo: DossierEhbo

    init(
        windowOpensOn: CivilDate, windowOpen: Bool, blockingStatus: PeriodStatus?, needs: [DossierNeed],
        ehbo: DossierEhbo
    ) {
        self.allowed = windowOpen && blockingStatus == nil && needs.isEmpty
        self.windowOpensOn = windowOpensOn
        self.windowOpen = windowOpen
        self.blockingStatus = blockingStatus
        self.needs = needs
        self.ehbo = ehbo
    }

    /// Status first, then the window, then each red item in dossier order.
    public var reasons: [SubmissionReason] {
        var result: [SubmissionReason] = []
        if let s = blockingStatus { result.append(.periodStatus(s)) }
        if !windowOpen { result.append(.windowNotOpen(opensOn: windowOpensOn)) }
        for need in needs {
            let category = need.category ?? ""
            switch need.kind {
            case .categoryPoints: result.append(.categoryPointsShort(category: category, short: need.pointsShort ?? .zero))
            case .subjectCompletions:
                result.append(
                    .subjectCompletionsShort(
                        category: category, subject: need.subject ?? "",
                        short: need.completionsShort ?? 0))
            case .distinctCourses: result.append(.distinctCoursesShort(category: category, short: need.coursesShort ?? 0))
            case .totalPoints: result.append(.totalPointsShort(short: need.pointsShort ?? .zero))
            case .ehboCertificate:
                result.append(.ehbo(ehbo.status ?? .missing, firstUncoveredDate: ehbo.firstUncoveredDate))
            }
        }
        return result
    }

    private enum CodingKeys: String, CodingKey { case allowed, windowOpensOn, reasons }

    /// Kept by hand: `reasons` is computed from the stored needs, which are not encoded themselves.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(allowed, forKey: .allowed)
        try c.encode(windowOpensOn, forKey: .windowOpensOn)
        try c.encode(reasons, forKey: .reasons)
    }
}

extension RegistrationPeriod {
    /// The first day a dossier may be submitted (the first reminder's date).
    public var submissionWindowOpensOn: CivilDate { effectiveEndDate.adding(months: -3) }

    /// Statuses from which a submission is accepted (an expired period may still be submitted retroactively).
    public var acceptsSubmission: Bool {
        switch status {
        case .active, .expired, .infoRequested: true
        case .upcoming, .submitted, .approved, .refused, .cancelled: false
        }
    }
}
