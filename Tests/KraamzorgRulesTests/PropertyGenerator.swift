import KraamzorgRules
import DatesAndIDs

/// Test helpers on the one SplitMix64 (DatesAndIDs): deterministic, so a failing property replays from its seed.
extension SplitMix64 {
    mutating func int(_ upper: Int) -> Int { int(below: upper) }
    mutating func bool(_ oneIn: Int) -> Bool { int(oneIn) == 0 }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
    mutating func shuffle<T>(_ items: [T]) -> [T] {
        var copy = items
        if copy.count > 1 {
            for i in stride(from: copy.count - 1, to: 0, by: -1) { copy.swapAt(i, int(i + 1)) }
        }
        return copy
    }
}

/// Random but plausible register inputs: courses accredited for both norms, sometimes in two categories.
struct DossierScenario {
    let norm: Norm
    let period: RegistrationPeriod
    let completions: [Completion]
    let certificates: [EhboCertificate]
    let asOf: CivilDate

    static let lines2023: [(String, String?)] = [
        ("A", "ehbo-theorie"), ("A", "ehbo-praktijk"), ("A", "reanimatie-theorie"), ("A", "reanimatie-praktijk"),
        ("A", "acute-situaties-theorie"), ("A", "acute-situaties-praktijk"), ("B", "borstvoeding"),
        ("B", "verdieping-kraamzorg"), ("B", "risicovolle-situaties"), ("B", "voorlichting-instructie"),
        ("B", "kunstvoeding"), ("C", nil), ("D", "partusassistentie"), ("D", "verpleegtechnisch"), ("D", nil),
    ]
    static let lines2019: [(String, String?)] = [
        ("A", "voeding-verdieping"), ("A", "kinder-ehbo"), ("A", "reanimatie"), ("A", "fysiologie-baring"),
        ("A", "fysiologie-kraambed"), ("A", "vroegsignalering"), ("B", nil), ("C", "basis-borstvoeding"),
        ("C", "partusassistentie"), ("C", nil),
    ]

    static func courseLines(_ r: inout SplitMix64) -> [AccreditationLine] {
        let (c23, s23) = r.pick(lines2023), (c19, s19) = r.pick(lines2019)
        let points = Points(tenths: r.int(60))
        var lines = [
            AccreditationLine(norm: "2023", category: c23, subject: s23, points: points),
            AccreditationLine(norm: "2019", category: c19, subject: s19, points: points),
        ]
        if r.bool(4) {
            let (c, s) = r.pick(lines2023)
            lines.append(AccreditationLine(norm: "2023", category: c, subject: s, points: Points(tenths: r.int(40))))
        }
        return r.shuffle(lines)
    }

    static func make(seed: UInt64, count: Int? = nil) -> DossierScenario {
        var r = SplitMix64(seed: seed)
        let is2023 = r.bool(2)
        let start = CivilDate(2023, 4, 1).adding(days: r.int(900))
        let period = RegistrationPeriod(id: "p-\(seed)", startDate: start, normCode: is2023 ? "2023" : "2019")
        let courses: [(String, [AccreditationLine])] = (0..<12).map { i in ("course-\(i)", courseLines(&r)) }
        let n = count ?? r.int(40)
        let completions: [Completion] = (0..<n).map { i in
            let (id, lines) = r.pick(courses)
            let date = start.adding(days: r.int(1600) - 100)
            return Completion(
                id: "c\(i)", courseId: id, courseTitle: id, completedOn: date,
                recordedAt: date.adding(days: r.int(40)), withdrawn: r.bool(15), lines: lines)
        }
        let certificates: [EhboCertificate] = (0..<r.int(3)).map { i in
            let from = start.adding(days: r.int(800) - 400)
            return EhboCertificate(
                id: "e\(i)", obtainedOn: from, validUntil: from.adding(days: r.int(1500)),
                status: r.bool(4) ? .pendingReview : .approved)
        }
        return DossierScenario(
            norm: is2023 ? .seeded2023 : .seeded2019, period: period, completions: completions,
            certificates: certificates, asOf: start.adding(days: r.int(1700)))
    }

    func evaluate(_ completions: [Completion]? = nil, asOf: CivilDate? = nil, agenda: [AgendaCourse] = []) -> Dossier {
        DossierEvaluator.evaluate(
            norm: norm, period: period, completions: completions ?? self.completions,
            ehboCertificates: certificates, asOf: asOf ?? self.asOf, agenda: agenda)
    }
}
