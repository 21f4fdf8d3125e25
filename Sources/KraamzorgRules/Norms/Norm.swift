import JSONOutput

/// A requirement set (DOMAIN §4) as data, so the register can publish a new norm without a release.
///
/// Encodes to exactly the norm JSON of API.md. Decoding does not validate beyond types; call `validate()`.
public struct Norm: Sendable, Hashable, Codable {
    /// Stable code integrations accredit with (`"2019"`, `"2023"`).
    public var code: String
    /// Bumped on every published correction; the dossier shows which version it used.
    public var version: Int
    /// The first registration date this norm applies to.
    public var appliesFrom: CivilDate
    public var minTotalPoints: Points
    /// Norm 2023: a valid child first-aid certificate must cover the whole period.
    public var ehboCertificateRequired: Bool
    /// Shown per calendar year in the dossier; `nil` when the norm has no such rule. Not part of "complete".
    /// JSON `null` rather than absent, so the shape is always the same.
    @ExplicitNull public var careHoursPerYear: Int?
    public var categories: [NormCategory]

    public init(
        code: String, version: Int, appliesFrom: CivilDate, minTotalPoints: Points,
        ehboCertificateRequired: Bool, careHoursPerYear: Int?, categories: [NormCategory]
    ) {
        self.code = code
        self.version = version
        self.appliesFrom = appliesFrom
        self.minTotalPoints = minTotalPoints
        self.ehboCertificateRequired = ehboCertificateRequired
        self.careHoursPerYear = careHoursPerYear
        self.categories = categories
    }

    private enum CodingKeys: String, CodingKey {
        case code, version, appliesFrom, minTotalPoints, ehboCertificateRequired, careHoursPerYear, categories
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        appliesFrom = try c.decode(CivilDate.self, forKey: .appliesFrom)
        minTotalPoints = try c.decode(Points.self, forKey: .minTotalPoints)
        ehboCertificateRequired = try c.decodeIfPresent(Bool.self, forKey: .ehboCertificateRequired) ?? false
        careHoursPerYear = try c.decodeIfPresent(Int.self, forKey: .careHoursPerYear)
        categories = try c.decode([NormCategory].self, forKey: .categories)
    }

    public func category(_ code: String) -> NormCategory? { categories.first { $0.code == code } }
}

/// A category (onderdeel) is green only when both lights are: its points and every subject minimum.
public struct NormCategory: Sendable, Hashable, Codable {
    /// The letter (`"A"`).
    public var code: String
    public var name: String
    public var minPoints: Points
    /// Norm 2023 C: at least this many different courses; 0 = no such rule.
    public var minDistinctCourses: Int
    public var subjects: [NormSubject]
    public var annotations: [NormAnnotation]

    public init(
        code: String, name: String, minPoints: Points, minDistinctCourses: Int = 0,
        subjects: [NormSubject] = [], annotations: [NormAnnotation] = []
    ) {
        self.code = code
        self.name = name
        self.minPoints = minPoints
        self.minDistinctCourses = minDistinctCourses
        self.subjects = subjects
        self.annotations = annotations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        minPoints = try c.decode(Points.self, forKey: .minPoints)
        minDistinctCourses = try c.decodeIfPresent(Int.self, forKey: .minDistinctCourses) ?? 0
        subjects = try c.decodeIfPresent([NormSubject].self, forKey: .subjects) ?? []
        annotations = try c.decodeIfPresent([NormAnnotation].self, forKey: .annotations) ?? []
    }
}

/// A subject a course line may name; mandatory when `minCompletions > 0`.
public struct NormSubject: Sendable, Hashable, Codable {
    /// Stable code (`"ehbo-theorie"`), unique within the norm.
    public var code: String
    public var name: String
    /// Completions needed in the period; 0 = not mandatory (shown without a status, its points still count).
    public var minCompletions: Int

    public init(code: String, name: String, minCompletions: Int = 0) {
        self.code = code
        self.name = name
        self.minCompletions = minCompletions
    }
}

/// A certificate annotation earned by at least `minPoints` in one subject during the period; never required.
public struct NormAnnotation: Sendable, Hashable, Codable {
    public var subject: String
    public var minPoints: Points
    /// Text printed on the next certificate.
    public var label: String

    public init(subject: String, minPoints: Points, label: String) {
        self.subject = subject
        self.minPoints = minPoints
        self.label = label
    }
}
