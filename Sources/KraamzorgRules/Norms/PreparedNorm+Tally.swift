extension PreparedNorm {
    /// Adds one completion's lines of this norm to the running tallies and returns the categories touched
    /// as a bit set. Each line adds its points to its category and one completion to its subject; a line
    /// repeated with the same (norm, category, subject) counts once (PE-online may send a message twice).
    ///
    /// Trap: the pointers must hold `categoryCount` and `subjectCount` initialised Ints.
    @inline(__always)
    func tally(_ lines: [AccreditationLine], categoryTenths: UnsafeMutablePointer<Int>,
               subjectCompletions: UnsafeMutablePointer<Int>, subjectTenths: UnsafeMutablePointer<Int>) -> UInt64 {
        let code = norm.code, key = normKey
        var bits: UInt64 = 0
        lines.withUnsafeBufferPointer { ls in
            for j in 0..<ls.count {
                guard sameCode(ls[j].normKey, ls[j].norm, key, code),
                      let ci = categoryIndex(ls[j].categoryKey, ls[j].category) else { continue }
                var repeated = false
                for q in 0..<j where ls[q].normKey == ls[j].normKey && ls[q].categoryKey == ls[j].categoryKey
                    && ls[q].subjectKey == ls[j].subjectKey
                    && ls[q].norm == ls[j].norm && ls[q].category == ls[j].category && ls[q].subject == ls[j].subject {
                    repeated = true
                    break
                }
                if repeated { continue }
                let tenths = ls[j].points.tenths
                categoryTenths[ci] += tenths
                bits |= 1 &<< UInt64(ci)
                if let sk = ls[j].subjectKey, let si = subjectIndex(sk, ls[j].subject!, inCategory: ci) {
                    subjectCompletions[si] += 1
                    subjectTenths[si] += tenths
                }
            }
        }
        return bits
    }
}
