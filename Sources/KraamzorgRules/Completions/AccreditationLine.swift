import JSONOutput

/// One accreditation of a course: `points` in `category` of `norm`, optionally as one completion of `subject`.
/// A course usually has lines for both norms and may have several categories in one norm.
public struct AccreditationLine: Sendable, Hashable, Codable {
    public var norm: String
    public var category: String
    /// `nil`: the points count for the category only (e.g. a general course in 2023 C); JSON `"subject":null`.
    @ExplicitNull public var subject: String?
    public var points: Points

    public init(norm: String, category: String, subject: String? = nil, points: Points) {
        self.norm = norm
        self.category = category
        self.subject = subject
        self.points = points
    }

    private enum CodingKeys: String, CodingKey { case norm, category, subject, points }

    /// `@ExplicitNull` only encodes; a missing or null `subject` decodes as nil.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            norm: try c.decode(String.self, forKey: .norm),
            category: try c.decode(String.self, forKey: .category),
            // `"subject": null` is a category-only line, as the line is shown.
            subject: try c.contains(.subject) && !c.decodeNil(forKey: .subject) ? c.decode(String.self, forKey: .subject) : nil,
            points: try c.decode(Points.self, forKey: .points))
    }
}
