/// A norm indexed once for evaluation: categories and subjects become array positions and their codes
/// `CodeKey`s, so the hot loop compares integers instead of hashing or comparing strings.
///
/// Subjects are stored flat; category `c` owns `subjectStart[c] ..< subjectStart[c + 1]`.
public struct PreparedNorm: Sendable {
    public let norm: Norm
    let normKey: CodeKey
    let categoryCodes: [String]
    let categoryKeys: [CodeKey]
    let categoryMinTenths: [Int]
    let categoryMinDistinct: [Int]
    let subjectStart: [Int]
    let subjectCodes: [String]
    let subjectKeys: [CodeKey]
    let subjectMinCompletions: [Int]
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
        self.normKey = CodeKey(norm.code)
        self.categoryCodes = categoryCodes
        self.categoryKeys = categoryCodes.map(CodeKey.init)
        self.categoryMinTenths = norm.categories.prefix(Norm.maxCategories).map(\.minPoints.tenths)
        self.categoryMinDistinct = norm.categories.prefix(Norm.maxCategories).map { max(0, $0.minDistinctCourses) }
        self.subjectStart = subjectStart
        self.subjectCodes = subjectCodes
        self.subjectKeys = subjectCodes.map(CodeKey.init)
        self.subjectMinCompletions = minCompletions
        self.annotations = annotations
    }

    var categoryCount: Int { categoryCodes.count }
    var subjectCount: Int { subjectCodes.count }

    func categoryIndex(_ code: String) -> Int? { categoryIndex(CodeKey(code), code) }

    @inline(__always)
    func categoryIndex(_ key: CodeKey, _ code: String) -> Int? {
        for i in 0..<categoryKeys.count where sameCode(categoryKeys[i], categoryCodes[i], key, code) { return i }
        return nil
    }

    func subjectIndex(_ code: String, inCategory c: Int) -> Int? { subjectIndex(CodeKey(code), code, inCategory: c) }

    /// Flat subject index within category `c`; nil when the code is not one of that category's subjects
    /// (the line's points then count for the category only).
    @inline(__always)
    func subjectIndex(_ key: CodeKey, _ code: String, inCategory c: Int) -> Int? {
        for s in subjectStart[c]..<subjectStart[c + 1] where sameCode(subjectKeys[s], subjectCodes[s], key, code) {
            return s
        }
        return nil
    }
}
