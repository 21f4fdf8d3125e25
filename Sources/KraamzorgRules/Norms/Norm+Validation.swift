/// One thing wrong with a norm, located by a JSON-style field path (`categories[1].subjects[0].code`).
public struct NormProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

extension Norm {
    /// The most categories a norm may have: a bound on an admin's input (the seeded norms have 3 and 4).
    public static let maxCategories = 64
    /// Norm numbers (minimum points, completions, courses) are integers 0…1000 (API.md, second round).
    public static let numberRange = 0...1_000

    /// Minimum points of a norm are whole numbers in `numberRange`.
    static func isNormNumber(_ points: Points) -> Bool { points.tenths % 10 == 0 && numberRange.contains(points.tenths / 10) }

    /// Every problem at once (not only the first), so an admin fixes a norm in one round trip.
    public func validate() -> [NormProblem] {
        var problems: [NormProblem] = []
        func add(_ field: String, _ message: String) { problems.append(NormProblem(field: field, message: message)) }

        if code.isBlank { add("code", "must not be empty") }
        if version < 1 { add("version", "must be at least 1") }
        if let h = careHoursPerYear, !(0...8_784).contains(h) { add("careHoursPerYear", "must be 0…8784 (the hours in a year)") }
        if !Norm.isNormNumber(minTotalPoints) { add("minTotalPoints", "must be a whole number 0…1000") }
        if categories.isEmpty { add("categories", "a norm needs at least one category") }
        if categories.count > Norm.maxCategories { add("categories", "at most \(Norm.maxCategories) categories") }

        var categoryCodes: Set<String> = []
        var subjectCodes: Set<String> = []
        for (ci, category) in categories.enumerated() {
            let path = "categories[\(ci)]"
            if category.code.isBlank {
                add("\(path).code", "must not be empty")
            } else if !categoryCodes.insert(category.code).inserted {
                add("\(path).code", "duplicate category code \"\(category.code)\"")
            }
            if category.name.isBlank { add("\(path).name", "must not be empty") }
            if !Norm.isNormNumber(category.minPoints) { add("\(path).minPoints", "must be a whole number 0…1000") }
            if !Norm.numberRange.contains(category.minDistinctCourses) { add("\(path).minDistinctCourses", "must be 0…1000") }

            var ownSubjects: Set<String> = []
            for (si, subject) in category.subjects.enumerated() {
                let spath = "\(path).subjects[\(si)]"
                if subject.code.isBlank {
                    add("\(spath).code", "must not be empty")
                } else if !subjectCodes.insert(subject.code).inserted {
                    add("\(spath).code", "duplicate subject code \"\(subject.code)\" in this norm")
                }
                ownSubjects.insert(subject.code)
                if subject.name.isBlank { add("\(spath).name", "must not be empty") }
                if !Norm.numberRange.contains(subject.minCompletions) { add("\(spath).minCompletions", "must be 0…1000") }
            }
            for (ai, annotation) in category.annotations.enumerated() {
                let apath = "\(path).annotations[\(ai)]"
                if !ownSubjects.contains(annotation.subject) {
                    add("\(apath).subject", "\"\(annotation.subject)\" is not a subject of category \(category.code)")
                }
                if annotation.minPoints == .zero { add("\(apath).minPoints", "must be more than 0") }
                if annotation.label.isBlank { add("\(apath).label", "must not be empty") }
            }
        }
        return problems
    }
}

extension String {
    var isBlank: Bool { allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" } }
}
