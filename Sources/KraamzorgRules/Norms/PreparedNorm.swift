import DatesAndIDs
/// A norm indexed once for evaluation: categories and subjects become array positions and their codes
/// `CodeKey`s and interned `LineCode`s, so the hot loop compares integers instead of hashing or comparing
/// strings.
///
/// Subjects are stored flat; category `c` owns `subjectStart[c] ..< subjectStart[c + 1]`.
/// The tables live in one immutable object, so copying a `PreparedNorm` (or a `DossierEvaluator`) is one retain.
public struct PreparedNorm: Sendable {
    let tables: Tables

    public var norm: Norm { tables.norm }

    public init(_ norm: Norm) { tables = Tables(norm) }

    final class Tables: Sendable {
        let norm: Norm
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
        /// `annotations` as plain Ints (read on every evaluation without touching the labels).
        let annotationSubjects: [Int]
        let annotationMinTenths: [Int]
        /// A perfect hash table on `LineCode`s: `code << 32 | (subject + 1) << 7 | category`, `empty` when free;
        /// each code of this norm sits in slot `code * codeMultiplier >> codeShift`, alone.
        /// `(norm, category)` gives the category; `(norm, category, subject)` the category and the subject.
        let codeTable: [UInt64]
        let codeMultiplier: UInt64
        let codeShift: UInt64
        /// Categories with a distinct-course rule (`categoryMinDistinct > 0`) as a bit set.
        let distinctRuleMask: UInt64
        /// False when a code of this norm could not be interned: lines are then resolved by their strings.
        let byCode: Bool

        static let empty = UInt64.max

        init(_ norm: Norm) {
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
            var distinctRuleMask: UInt64 = 0
            for (ci, category) in norm.categories.prefix(Norm.maxCategories).enumerated()
            where category.minDistinctCourses > 0 {
                distinctRuleMask |= 1 << UInt64(ci)
            }
            self.distinctRuleMask = distinctRuleMask
            self.subjectCodes = subjectCodes
            self.subjectKeys = subjectCodes.map(CodeKey.init)
            self.subjectMinCompletions = minCompletions
            self.annotations = annotations
            self.annotationSubjects = annotations.map(\.subject)
            self.annotationMinTenths = annotations.map(\.minTenths)

            // The first category (and the first subject within it) with a code wins, as in the linear search.
            var entries: [(code: UInt32, value: UInt64)] = []
            var seen: Set<UInt32> = []
            var byCode = subjectCodes.count < (1 << 24)
            for (ci, category) in categoryCodes.enumerated() where byCode {
                let code = LineCode.code(norm: norm.code, category: category, subject: nil)
                if code == LineCode.unassigned { byCode = false; break }
                guard seen.insert(code).inserted else { continue }  // a repeated category code: never reached
                entries.append((code, UInt64(ci)))
                for si in subjectStart[ci]..<subjectStart[ci + 1] {
                    let code = LineCode.code(norm: norm.code, category: category, subject: subjectCodes[si])
                    if code == LineCode.unassigned { byCode = false; break }
                    if seen.insert(code).inserted { entries.append((code, UInt64(si + 1) << 7 | UInt64(ci))) }
                }
            }
            // Perfect hashing: look for a table size and multiplier that give every entry its own slot, so a
            // lookup is one load and one compare.
            var table: [UInt64] = [], multiplier: UInt64 = 0, shift: UInt64 = 64
            if byCode {
                var bits: UInt64 = 4
                while (1 << bits) < 2 * entries.count { bits += 1 }
                var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
                search: while bits <= 20 {
                    let slots = 1 << Int(bits)
                    for _ in 0..<64 {
                        // SplitMix64 step; odd multipliers only.
                        rng &+= 0x9E37_79B9_7F4A_7C15
                        var z = rng
                        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                        let m = (z ^ (z >> 31)) | 1
                        var candidate = [UInt64](repeating: Tables.empty, count: slots)
                        var ok = true
                        for e in entries {
                            let slot = Tables.slot(e.code, multiplier: m, shift: 64 - bits)
                            if candidate[slot] != Tables.empty { ok = false; break }
                            candidate[slot] = UInt64(e.code) << 32 | e.value
                        }
                        if ok {
                            table = candidate
                            multiplier = m
                            shift = 64 - bits
                            break search
                        }
                    }
                    bits += 1
                }
                if table.isEmpty { byCode = false }
            }
            self.codeTable = table
            self.codeMultiplier = multiplier
            self.codeShift = shift
            self.byCode = byCode
        }

        @inline(__always)
        static func slot(_ code: UInt32, multiplier: UInt64, shift: UInt64) -> Int {
            Int(truncatingIfNeeded: (UInt64(code) &* multiplier) &>> shift)
        }
    }

    var normKey: CodeKey { tables.normKey }
    var categoryCodes: [String] { tables.categoryCodes }
    var categoryKeys: [CodeKey] { tables.categoryKeys }
    var categoryMinTenths: [Int] { tables.categoryMinTenths }
    var categoryMinDistinct: [Int] { tables.categoryMinDistinct }
    var subjectStart: [Int] { tables.subjectStart }
    var subjectCodes: [String] { tables.subjectCodes }
    var subjectKeys: [CodeKey] { tables.subjectKeys }
    var subjectMinCompletions: [Int] { tables.subjectMinCompletions }
    var annotations: [(subject: Int, minTenths: Int, label: String)] { tables.annotations }

    var categoryCount: Int { tables.categoryCodes.count }
    var subjectCount: Int { tables.subjectCodes.count }

    func categoryIndex(_ code: String) -> Int? { categoryIndex(CodeKey(code), code) }

    @inline(__always)
    func categoryIndex(_ key: CodeKey, _ code: String) -> Int? {
        let t = tables
        for i in 0..<t.categoryKeys.count where sameCode(t.categoryKeys[i], t.categoryCodes[i], key, code) {
            return i
        }
        return nil
    }

    func subjectIndex(_ code: String, inCategory c: Int) -> Int? { subjectIndex(CodeKey(code), code, inCategory: c) }

    /// Flat subject index within category `c`; nil when the code is not one of that category's subjects
    /// (the line's points then count for the category only).
    @inline(__always)
    func subjectIndex(_ key: CodeKey, _ code: String, inCategory c: Int) -> Int? {
        let t = tables
        for s in t.subjectStart[c]..<t.subjectStart[c + 1] where sameCode(t.subjectKeys[s], t.subjectCodes[s], key, code) {
            return s
        }
        return nil
    }
}
