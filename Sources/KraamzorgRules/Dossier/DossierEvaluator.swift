/// Evaluates a period's dossier (DOMAIN §5). Pure: the same inputs give the same dossier, whatever their order.
///
/// Build one evaluator per norm and reuse it; `evaluate(norm:…)` indexes the norm on every call.
public struct DossierEvaluator: Sendable {
    public let prepared: PreparedNorm

    public init(norm: Norm) { prepared = PreparedNorm(norm) }
    public init(prepared: PreparedNorm) { self.prepared = prepared }

    /// One-off evaluation. The norm should be the period's norm (`period.normCode`); its lines decide.
    public static func evaluate(norm: Norm, period: RegistrationPeriod, completions: [Completion],
                                ehboCertificates: [EhboCertificate] = [], careHours: [CareHoursRecord] = [],
                                asOf: CivilDate, agenda: [AgendaCourse] = []) -> Dossier {
        DossierEvaluator(norm: norm).evaluate(period: period, completions: completions,
                                              ehboCertificates: ehboCertificates, careHours: careHours,
                                              asOf: asOf, agenda: agenda)
    }

    /// Counts the completions that are not withdrawn, dated in [start, effective end] and on or before `asOf`;
    /// a repeated completion (same course, same day) counts once.
    public func evaluate(period: RegistrationPeriod, completions: [Completion],
                         ehboCertificates: [EhboCertificate] = [], careHours: [CareHoursRecord] = [],
                         asOf: CivilDate, agenda: [AgendaCourse] = []) -> Dossier {
        let n = completions.count, C = prepared.categoryCount, S = prepared.subjectCount
        let T = 2 * C + 2 * S
        var slots = 8
        while slots < 2 * n { slots &<<= 1 }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * n + slots) { buffer in
            let masks = buffer.baseAddress!
            let courseMasks = masks + n
            let table = UnsafeMutableBufferPointer(start: courseMasks + n, count: slots)
            // One allocation: the tallies, then the counted positions (sorted in place there).
            // (`init(repeating:count:)`, not `unsafeUninitializedCapacity`: the latter looks up generic
            // metadata on every call.)
            var tallies = [Int](repeating: 0, count: T + n)
            let counted = tallies.withUnsafeMutableBufferPointer { t in
                let base = t.baseAddress!
                return completions.withUnsafeBufferPointer { cs in
                    countCompletions(cs, period: period, asOf: asOf, order: base + T, masks: masks,
                                     courseMasks: courseMasks, table: table,
                                     categoryTenths: base, distinct: base + C,
                                     subjectCompletions: base + 2 * C, subjectTenths: base + 2 * C + S)
                }
            }
            let accreditations = DossierAccreditations(completions: completions, storage: tallies, offset: T,
                                                       count: counted, periodId: period.id, norm: prepared.norm.code)
            return assemble(period: period, asOf: asOf, tallies: Tallies(storage: tallies, count: T), masks: masks,
                            accreditations: accreditations, ehboCertificates: ehboCertificates,
                            careHours: careHours, agenda: agenda)
        }
    }

    /// Total order on completions so that evaluation does not depend on input order.
    @inline(__always)
    static func precedes(_ cs: UnsafeBufferPointer<Completion>, _ a: Int, _ b: Int) -> Bool {
        let da = cs[a].completedOn.dayNumber, db = cs[b].completedOn.dayNumber
        if da != db { return da < db }
        let ka = cs[a].courseKey, kb = cs[b].courseKey
        if ka != kb { return ka < kb }
        if cs[a].courseId != cs[b].courseId { return cs[a].courseId < cs[b].courseId }
        return cs[a].id < cs[b].id
    }

    /// `Completion.sameCourse(as:)` without copying either completion out of the buffer.
    @inline(__always)
    static func sameCourse(_ cs: UnsafeBufferPointer<Completion>, _ a: Int, _ b: Int) -> Bool {
        let ka = cs[a].courseKey, kb = cs[b].courseKey
        return ka == kb && (ka.isExact || cs[a].courseId == cs[b].courseId)
    }

    /// Fills `order[0..<k]` with the counted completions (sorted, de-duplicated) and the tallies; returns k.
    /// The tallies must be zero on entry.
    private func countCompletions(_ cs: UnsafeBufferPointer<Completion>, period: RegistrationPeriod,
                                  asOf: CivilDate, order: UnsafeMutablePointer<Int>,
                                  masks: UnsafeMutablePointer<Int>, courseMasks: UnsafeMutablePointer<Int>,
                                  table: UnsafeMutableBufferPointer<Int>, categoryTenths: UnsafeMutablePointer<Int>,
                                  distinct: UnsafeMutablePointer<Int>,
                                  subjectCompletions: UnsafeMutablePointer<Int>,
                                  subjectTenths: UnsafeMutablePointer<Int>) -> Int {
        let first = period.startDate.dayNumber, last = min(period.effectiveEndDate, asOf).dayNumber
        var k = 0
        var codes: UInt32 = 0
        for i in 0..<cs.count {
            let day = cs[i].completedOn.dayNumber
            if !cs[i].withdrawn && day >= first && day <= last {
                order[k] = i
                k += 1
                // Checked here, in a loop without dependent branches, so the lines are loaded early too.
                codes |= cs[i].lines.withUnsafeBufferPointer { PreparedNorm.codes(of: $0) }
            }
        }
        let interned = PreparedNorm.interned(codes)
        // Insertion sort: k is small and pushes arrive mostly in date order.
        if k > 1 {
            for a in 1..<k {
                let v = order[a]
                var b = a
                while b > 0 && DossierEvaluator.precedes(cs, v, order[b - 1]) {
                    order[b] = order[b - 1]
                    b -= 1
                }
                order[b] = v
            }
        }
        // Same course on the same day: keep the first (smallest id).
        var m = 0
        for a in 0..<k {
            let v = order[a]
            if m > 0 {
                let p = order[m - 1]
                if cs[p].completedOn == cs[v].completedOn && DossierEvaluator.sameCourse(cs, p, v) { continue }
            }
            order[m] = v
            m += 1
        }
        k = m
        for a in 0..<k {
            let bits = cs[order[a]].lines.withUnsafeBufferPointer { ls in
                prepared.tally(ls, interned: interned, categoryTenths: categoryTenths,
                               subjectCompletions: subjectCompletions, subjectTenths: subjectTenths)
            }
            masks[a] = Int(bitPattern: UInt(bits))
        }
        // Distinct courses: only for the categories with a distinct-course rule (their light depends on it);
        // `Dossier.categories` counts the others when it is read.
        let rule = prepared.tables.distinctRuleMask
        if rule != 0 {
            DossierEvaluator.countDistinctCourses(cs, order: order, masks: masks, count: k, only: rule,
                                                  courseMasks: courseMasks, table: table, distinct: distinct)
        }
        return k
    }

    /// Adds to `distinct[c]`, for every category bit `c` in `only`, the number of different courses among
    /// `order[0..<count]` whose `masks` have that bit. Groups completions by course in a small open-addressing
    /// table (O(count), no string hashing). `courseMasks` holds `count` Ints; `table` a power of two ≥ 2·count.
    static func countDistinctCourses(_ cs: UnsafeBufferPointer<Completion>, order: UnsafePointer<Int>,
                                     masks: UnsafePointer<Int>, count k: Int, only: UInt64,
                                     courseMasks: UnsafeMutablePointer<Int>, table: UnsafeMutableBufferPointer<Int>,
                                     distinct: UnsafeMutablePointer<Int>) {
        let only = Int(bitPattern: UInt(only))
        let slotMask = table.count - 1
        table.initialize(repeating: -1)
        for a in 0..<k {
            let mask = masks[a] & only
            courseMasks[a] = 0
            if mask == 0 { continue }
            let key = cs[order[a]].courseKey
            var slot = Int(truncatingIfNeeded: ((key.head ^ key.tail ^ key.rest) &* 0x9E37_79B9_7F4A_7C15) >> 40)
                & slotMask
            while true {
                let t = table[slot]
                if t < 0 {
                    table[slot] = a
                    courseMasks[a] = mask
                    break
                }
                if sameCourse(cs, order[t], order[a]) {
                    courseMasks[t] |= mask
                    break
                }
                slot = (slot + 1) & slotMask
            }
        }
        for a in 0..<k {
            var bits = UInt(bitPattern: courseMasks[a])
            while bits != 0 {
                distinct[bits.trailingZeroBitCount] += 1
                bits &= bits &- 1
            }
        }
    }
}
