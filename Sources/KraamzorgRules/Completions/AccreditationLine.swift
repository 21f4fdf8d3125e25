import JSONOutput

/// One accreditation of a course: `points` in `category` of `norm`, optionally as one completion of `subject`.
/// A course usually has lines for both norms and may have several categories in one norm.
public struct AccreditationLine: Sendable, Hashable, Codable {
    public var norm: String { didSet { normKey = CodeKey(norm); recode() } }
    public var category: String { didSet { categoryKey = CodeKey(category); recode() } }
    /// `nil`: the points count for the category only (e.g. a general course in 2023 C); JSON `"subject":null`.
    @ExplicitNull public var subject: String? { didSet { subjectKey = subject.map(CodeKey.init); recode() } }
    public var points: Points

    /// `(norm, category)` and `(norm, category, subject)` interned (`LineCode`): the evaluator resolves a line
    /// and spots a repeated one with these, not with strings. Next to `points`, which it reads with them.
    private(set) var categoryCode: UInt32
    private(set) var lineCode: UInt32

    public private(set) var normKey: CodeKey
    public private(set) var categoryKey: CodeKey
    public private(set) var subjectKey: CodeKey?

    public init(norm: String, category: String, subject: String? = nil, points: Points) {
        self.norm = norm
        self.category = category
        self.subject = subject
        self.points = points
        normKey = CodeKey(norm)
        categoryKey = CodeKey(category)
        subjectKey = subject.map(CodeKey.init)
        categoryCode = LineCode.code(norm: norm, category: category, subject: nil)
        lineCode = subject == nil ? categoryCode : LineCode.code(norm: norm, category: category, subject: subject)
    }

    private mutating func recode() {
        categoryCode = LineCode.code(norm: norm, category: category, subject: nil)
        lineCode = subject == nil ? categoryCode : LineCode.code(norm: norm, category: category, subject: subject)
    }

    /// The JSON members; the interned codes are derived, not encoded.
    private enum CodingKeys: String, CodingKey { case norm, category, subject, points }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(norm: try c.decode(String.self, forKey: .norm),
                  category: try c.decode(String.self, forKey: .category),
                  subject: try c.decodeIfPresent(String.self, forKey: .subject),
                  points: try c.decode(Points.self, forKey: .points))
    }
}
