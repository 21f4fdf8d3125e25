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
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * n + 2 * C + 3 * S + 1) { buffer in
            let order = buffer.baseAddress!
            let masks = order + n
            let categoryTenths = masks + n
            let distinct = categoryTenths + C
            let subjectCompletions = distinct + C
            let subjectTenths = subjectCompletions + S
            categoryTenths.initialize(repeating: 0, count: 2 * C + 2 * S)
            let counted = completions.withUnsafeBufferPointer { cs in
                countCompletions(cs, period: period, asOf: asOf, order: order, masks: masks,
                                 categoryTenths: categoryTenths, distinct: distinct,
                                 subjectCompletions: subjectCompletions, subjectTenths: subjectTenths)
            }
            var accreditations: [DossierAccreditation] = []
            accreditations.reserveCapacity(counted)
            for a in 0..<counted {
                accreditations.append(DossierAccreditation(completion: completions[order[a]], periodId: period.id,
                                                           norm: prepared.norm.code))
            }
            return assemble(period: period, asOf: asOf, categoryTenths: categoryTenths, distinct: distinct,
                            subjectCompletions: subjectCompletions, subjectTenths: subjectTenths,
                            masks: masks, accreditations: accreditations, ehboCertificates: ehboCertificates,
                            careHours: careHours, agenda: agenda)
        }
    }

    /// Total order on completions so that evaluation does not depend on input order.
    @inline(__always)
    static func precedes(_ a: Completion, _ b: Completion) -> Bool {
        if a.completedOn != b.completedOn { return a.completedOn < b.completedOn }
        if a.courseId != b.courseId { return a.courseId < b.courseId }
        return a.id < b.id
    }

    /// Fills `order[0..<k]` with the counted completions (sorted, de-duplicated) and the tallies; returns k.
    private func countCompletions(_ cs: UnsafeBufferPointer<Completion>, period: RegistrationPeriod,
                                  asOf: CivilDate, order: UnsafeMutablePointer<Int>,
                                  masks: UnsafeMutablePointer<Int>, categoryTenths: UnsafeMutablePointer<Int>,
                                  distinct: UnsafeMutablePointer<Int>,
                                  subjectCompletions: UnsafeMutablePointer<Int>,
                                  subjectTenths: UnsafeMutablePointer<Int>) -> Int {
        let first = period.startDate, last = min(period.effectiveEndDate, asOf)
        var k = 0
        for i in 0..<cs.count {
            let c = cs[i]
            if !c.withdrawn && c.completedOn >= first && c.completedOn <= last {
                order[k] = i
                k += 1
            }
        }
        // Insertion sort: k is small and pushes arrive mostly in date order.
        if k > 1 {
            for a in 1..<k {
                let v = order[a]
                var b = a
                while b > 0 && DossierEvaluator.precedes(cs[v], cs[order[b - 1]]) {
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
                let p = cs[order[m - 1]]
                if p.completedOn == cs[v].completedOn && p.courseId == cs[v].courseId { continue }
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
        // Distinct courses per category: compare course ids only within the category.
        for ci in 0..<prepared.categoryCount {
            let bit = 1 &<< ci
            var count = 0
            for a in 0..<k where masks[a] & bit != 0 {
                let id = cs[order[a]].courseId
                var seen = false
                for b in 0..<a where masks[b] & bit != 0 && cs[order[b]].courseId == id {
                    seen = true
                    break
                }
                if !seen { count += 1 }
            }
            distinct[ci] = count
        }
        return k
    }
}
