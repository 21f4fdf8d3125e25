extension PreparedNorm {
    /// Adds one completion's lines of this norm to the running tallies and returns the categories touched
    /// as a bit set. Each line adds its points to its category and one completion to its subject; a line
    /// repeated with the same (norm, category, subject) counts once (PE-online may send a message twice).
    ///
    /// Trap: the pointers must hold `categoryCount` and `subjectCount` initialised Ints.
    @inline(__always)
    func tally(_ lines: [AccreditationLine], categoryTenths: UnsafeMutablePointer<Int>,
               subjectCompletions: UnsafeMutablePointer<Int>, subjectTenths: UnsafeMutablePointer<Int>) -> UInt64 {
        let code = norm.code
        var bits: UInt64 = 0
        lines.withUnsafeBufferPointer { ls in
            for j in 0..<ls.count {
                let line = ls[j]
                guard line.norm == code, let ci = categoryIndex(line.category) else { continue }
                var repeated = false
                for q in 0..<j {
                    let other = ls[q]
                    if other.norm == code && other.category == line.category && other.subject == line.subject {
                        repeated = true
                        break
                    }
                }
                if repeated { continue }
                let tenths = line.points.tenths
                categoryTenths[ci] += tenths
                bits |= 1 &<< UInt64(ci)
                if let subject = line.subject, let si = subjectIndex(subject, inCategory: ci) {
                    subjectCompletions[si] += 1
                    subjectTenths[si] += tenths
                }
            }
        }
        return bits
    }
}
