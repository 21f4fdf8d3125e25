extension PreparedNorm {
    /// Adds one completion's lines of this norm to the running tallies and returns the categories touched
    /// as a bit set. Each line adds its points to its category and one completion to its subject; a line
    /// repeated with the same (norm, category, subject) counts once (PE-online may send a message twice).
    ///
    /// Trap: the pointers must hold `categoryCount` and `subjectCount` initialised Ints.
    @inline(__always)
    func tally(_ lines: [AccreditationLine], categoryTenths: UnsafeMutablePointer<Int>,
               subjectCompletions: UnsafeMutablePointer<Int>, subjectTenths: UnsafeMutablePointer<Int>) -> UInt64 {
        lines.withUnsafeBufferPointer { ls in
            tally(ls, interned: PreparedNorm.interned(PreparedNorm.codes(of: ls)),
                  categoryTenths: categoryTenths, subjectCompletions: subjectCompletions,
                  subjectTenths: subjectTenths)
        }
    }

    /// The line codes OR-ed together: feed to `interned(_:)` (once for many completions if you like).
    @inline(__always)
    static func codes(of ls: UnsafeBufferPointer<AccreditationLine>) -> UInt32 {
        var codes: UInt32 = 0
        for j in 0..<ls.count { codes |= ls[j].lineCode | ls[j].categoryCode }
        return codes
    }

    /// Whether every code OR-ed into `codes` was interned: they are < `LineCode.limit`, `unassigned` is not.
    @inline(__always)
    static func interned(_ codes: UInt32) -> Bool { codes < UInt32(LineCode.limit) }

    /// As above, on lines borrowed in place (no copy of the array). `interned`: every line's codes are
    /// (`interned(codes(of:))`); otherwise the lines are resolved by their strings.
    @inline(__always)
    func tally(_ ls: UnsafeBufferPointer<AccreditationLine>, interned: Bool, categoryTenths: UnsafeMutablePointer<Int>,
               subjectCompletions: UnsafeMutablePointer<Int>, subjectTenths: UnsafeMutablePointer<Int>) -> UInt64 {
        let t = tables
        guard t.byCode, interned else {
            return tallyByStrings(ls, categoryTenths: categoryTenths, subjectCompletions: subjectCompletions,
                                  subjectTenths: subjectTenths)
        }
        var bits: UInt64 = 0
        t.codeTable.withUnsafeBufferPointer { table in
            let multiplier = t.codeMultiplier, shift = t.codeShift
            for j in 0..<ls.count {
                let code = ls[j].lineCode
                var e = table[Tables.slot(code, multiplier: multiplier, shift: shift)]
                if e &>> 32 != UInt64(code) {
                    // Not (norm, category, subject) of this norm: maybe its category with an unknown subject.
                    let categoryCode = ls[j].categoryCode
                    e = table[Tables.slot(categoryCode, multiplier: multiplier, shift: shift)]
                    if e &>> 32 != UInt64(categoryCode) { continue }
                    e &= 0x7F
                }
                var repeated = false
                for q in 0..<j where ls[q].lineCode == code {
                    repeated = true
                    break
                }
                if repeated { continue }
                let ci = Int(truncatingIfNeeded: e & 0x7F)
                let subject = Int(truncatingIfNeeded: (e & 0xFFFF_FFFF) &>> 7)
                let tenths = ls[j].points.tenths
                categoryTenths[ci] += tenths
                bits |= 1 &<< UInt64(ci)
                if subject != 0 {
                    subjectCompletions[subject - 1] += 1
                    subjectTenths[subject - 1] += tenths
                }
            }
        }
        return bits
    }

    /// The reference resolution by `CodeKey`s and strings; used when a code could not be interned.
    func tallyByStrings(_ ls: UnsafeBufferPointer<AccreditationLine>, categoryTenths: UnsafeMutablePointer<Int>,
                        subjectCompletions: UnsafeMutablePointer<Int>,
                        subjectTenths: UnsafeMutablePointer<Int>) -> UInt64 {
        let code = norm.code, key = normKey
        var bits: UInt64 = 0
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
        return bits
    }
}
