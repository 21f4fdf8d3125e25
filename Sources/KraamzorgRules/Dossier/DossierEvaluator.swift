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
        var tallies = [Int](repeating: 0, count: T + n)
        var slots = 8
        while slots < 2 * n { slots &<<= 1 }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * n + slots) { buffer in
            let order = buffer.baseAddress!
            let masks = order + n
            let courseMasks = masks + n
            let table = UnsafeMutableBufferPointer(start: courseMasks + n, count: slots)
            let counted = tallies.withUnsafeMutableBufferPointer { t in
                completions.withUnsafeBufferPointer { cs in
                    countCompletions(cs, period: period, asOf: asOf, order: order, masks: masks,
                                     courseMasks: courseMasks, table: table,
                                     categoryTenths: t.baseAddress!, distinct: t.baseAddress! + C,
                                     subjectCompletions: t.baseAddress! + 2 * C,
                                     subjectTenths: t.baseAddress! + 2 * C + S)
                }
            }
            tallies.withUnsafeMutableBufferPointer { t in
                for a in 0..<counted { t[T + a] = order[a] }
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
        if cs[a].completedOn != cs[b].completedOn { return cs[a].completedOn < cs[b].completedOn }
        if cs[a].courseKey != cs[b].courseKey { return cs[a].courseKey < cs[b].courseKey }
        if cs[a].courseId != cs[b].courseId { return cs[a].courseId < cs[b].courseId }
        return cs[a].id < cs[b].id
    }

    /// Fills `order[0..<k]` with the counted completions (sorted, de-duplicated) and the tallies; returns k.
    private func countCompletions(_ cs: UnsafeBufferPointer<Completion>, period: RegistrationPeriod,
                                  asOf: CivilDate, order: UnsafeMutablePointer<Int>,
                                  masks: UnsafeMutablePointer<Int>, courseMasks: UnsafeMutablePointer<Int>,
                                  table: UnsafeMutableBufferPointer<Int>, categoryTenths: UnsafeMutablePointer<Int>,
                                  distinct: UnsafeMutablePointer<Int>,
                                  subjectCompletions: UnsafeMutablePointer<Int>,
                                  subjectTenths: UnsafeMutablePointer<Int>) -> Int {
        let first = period.startDate, last = min(period.effectiveEndDate, asOf)
        var k = 0
        for i in 0..<cs.count where !cs[i].withdrawn && cs[i].completedOn >= first && cs[i].completedOn <= last {
            order[k] = i
            k += 1
        }
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
                if cs[p].completedOn == cs[v].completedOn && cs[p].sameCourse(as: cs[v]) { continue }
            }
            order[m] = v
            m += 1
        }
        k = m
        for a in 0..<k {
            let bits = prepared.tally(cs[order[a]].lines, categoryTenths: categoryTenths,
                                      subjectCompletions: subjectCompletions, subjectTenths: subjectTenths)
            masks[a] = Int(bitPattern: UInt(bits))
        }
        // Distinct courses per category: group completions by course in a small open-addressing table
        // (O(k), no string hashing), OR-ing the categories each course touched.
        let slotMask = table.count - 1
        table.initialize(repeating: -1)
        for a in 0..<k {
            courseMasks[a] = 0
            let key = cs[order[a]].courseKey
            var slot = Int(truncatingIfNeeded: ((key.head ^ key.tail ^ key.rest) &* 0x9E37_79B9_7F4A_7C15) >> 40)
                & slotMask
            while true {
                let t = table[slot]
                if t < 0 {
                    table[slot] = a
                    courseMasks[a] = masks[a]
                    break
                }
                if cs[order[t]].sameCourse(as: cs[order[a]]) {
                    courseMasks[t] |= masks[a]
                    break
                }
                slot = (slot + 1) & slotMask
            }
        }
        for ci in 0..<prepared.categoryCount {
            var count = 0
            for a in 0..<k { count &+= (courseMasks[a] &>> ci) & 1 }
            distinct[ci] = count
        }
        return k
    }
}
