/// A norm indexed once for evaluation: categories and subjects become array positions, so the hot loop
/// compares a line's codes against a handful of strings instead of hashing them.
///
/// Subjects are stored flat; category `c` owns `subjectStart[c] ..< subjectStart[c + 1]`.
public struct PreparedNorm: Sendable {
    public let norm: Norm
    let categoryCodes: [String]
    let subjectStart: [Int]
    let subjectCodes: [String]
    let subjectMinCompletions: [Int]
    /// Per flat subject: is it the subject of some annotation (points per subject are then needed).
    let annotations: [(subject: Int, minTenths: Int, label: String)]

    public init(_ norm: Norm) {
        self.norm = norm
        var categoryCodes: [String] = [], subjectStart: [Int] = [], subjectCodes: [String] = []
        var minCompletions: [Int] = []
        var annotations: [(subject: Int, minTenths: Int, label: String)] = []
        for category in norm.categories.prefix(Norm.maxCategories) {
            categoryCodes.append(category.code)
            subjectStart.append(subjectCodes.count)
            let first = subjectCodes.count
            for subject in category.subjects {
                subjectCodes.append(subject.code)
                minCompletions.append(max(0, subject.minCompletions))
            }
            for annotation in category.annotations {
                if let s = subjectCodes[first...].firstIndex(of: annotation.subject) {
                    annotations.append((s, annotation.minPoints.tenths, annotation.label))
                }
            }
        }
        subjectStart.append(subjectCodes.count)
        self.categoryCodes = categoryCodes
        self.subjectStart = subjectStart
        self.subjectCodes = subjectCodes
        self.subjectMinCompletions = minCompletions
        self.annotations = annotations
    }

    var categoryCount: Int { categoryCodes.count }
    var subjectCount: Int { subjectCodes.count }

    @inline(__always)
    func categoryIndex(_ code: String) -> Int? {
        for i in 0..<categoryCodes.count where categoryCodes[i] == code { return i }
        return nil
    }

    /// Flat subject index within category `c`; nil when the code is not one of that category's subjects
    /// (the line's points then count for the category only).
    @inline(__always)
    func subjectIndex(_ code: String, inCategory c: Int) -> Int? {
        for s in subjectStart[c]..<subjectStart[c + 1] where subjectCodes[s] == code { return s }
        return nil
    }
}
