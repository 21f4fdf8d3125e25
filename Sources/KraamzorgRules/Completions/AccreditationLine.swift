/// One accreditation of a course: `points` in `category` of `norm`, optionally as one completion of `subject`.
/// A course usually has lines for both norms and may have several categories in one norm.
public struct AccreditationLine: Sendable, Hashable, Codable {
    public var norm: String
    public var category: String
    /// `nil`: the points count for the category only (e.g. a general course in 2023 C).
    public var subject: String?
    public var points: Points

    public init(norm: String, category: String, subject: String? = nil, points: Points) {
        self.norm = norm
        self.category = category
        self.subject = subject
        self.points = points
    }

    private enum CodingKeys: String, CodingKey { case norm, category, subject, points }

    /// Writes `subject: null` rather than leaving it out, so every line has the same shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(norm, forKey: .norm)
        try c.encode(category, forKey: .category)
        try c.encode(subject, forKey: .subject)
        try c.encode(points, forKey: .points)
    }
}
