import KraamzorgRules
import DatesAndIDs

// Evaluates 12,000 generated dossiers of 30 completions each, 7 rounds, and prints the median per dossier.
// Build: swift build -c release --product RulesBenchmark --scratch-path .build-rd

let dossiers = 12_000, perDossier = 30, rounds = 7
var rng = SplitMix64(seed: 2026)

func uuid(_ r: inout SplitMix64) -> String {
    let hex = Array("0123456789abcdef")
    var s = ""
    for i in 0..<36 { s.append([8, 13, 18, 23].contains(i) ? "-" : hex[r.int(below: 16)]) }
    return s
}

// A course pool accredited for both norms, sometimes in two categories of one norm.
let subjects2023: [(String, String?)] = [
    ("A", "ehbo-theorie"), ("A", "ehbo-praktijk"), ("A", "reanimatie-theorie"),
    ("A", "reanimatie-praktijk"), ("A", "acute-situaties-theorie"), ("A", "acute-situaties-praktijk"),
    ("B", "borstvoeding"), ("B", "verdieping-kraamzorg"), ("B", "risicovolle-situaties"),
    ("B", "voorlichting-instructie"), ("B", "kunstvoeding"), ("C", nil), ("D", "partusassistentie"),
    ("D", "verpleegtechnisch"), ("D", nil),
]
let subjects2019: [(String, String?)] = [
    ("A", "voeding-verdieping"), ("A", "kinder-ehbo"), ("A", "reanimatie"),
    ("A", "fysiologie-baring"), ("A", "fysiologie-kraambed"), ("A", "vroegsignalering"), ("B", nil),
    ("C", "basis-borstvoeding"), ("C", "partusassistentie"), ("C", nil),
]
struct Course { let id: String; let title: String; let lines: [AccreditationLine] }
let courses: [Course] = (0..<80).map { i in
    let (c23, s23) = subjects2023[rng.int(below: subjects2023.count)]
    let (c19, s19) = subjects2019[rng.int(below: subjects2019.count)]
    let points = Points(tenths: 10 + rng.int(below: 30))
    var lines = [
        AccreditationLine(norm: "2023", category: c23, subject: s23, points: points),
        AccreditationLine(norm: "2019", category: c19, subject: s19, points: points),
    ]
    if i % 5 == 0 { lines.append(AccreditationLine(norm: "2023", category: "C", points: Points(tenths: 5))) }
    return Course(id: uuid(&rng), title: "Course \(i)", lines: lines)
}

struct Case { let period: RegistrationPeriod; let completions: [Completion]; let evaluator: Int }
let evaluators = [DossierEvaluator(norm: .seeded2023), DossierEvaluator(norm: .seeded2019)]
let cases: [Case] = (0..<dossiers).map { d in
    let is2023 = d % 2 == 0
    let start = CivilDate(is2023 ? 2023 : 2020, 1 + rng.int(below: 12), 1 + rng.int(below: 28))
    let period = RegistrationPeriod(id: uuid(&rng), startDate: start, normCode: is2023 ? "2023" : "2019")
    var day = 0
    let completions: [Completion] = (0..<perDossier).map { _ in
        day += 1 + rng.int(below: 48)
        let course = courses[rng.int(below: courses.count)]
        let date = start.adding(days: day)
        return Completion(
            id: uuid(&rng), courseId: course.id, courseTitle: course.title, completedOn: date,
            recordedAt: date.adding(days: rng.int(below: 30)), withdrawn: rng.int(below: 50) == 0, lines: course.lines)
    }
    return Case(period: period, completions: completions, evaluator: is2023 ? 0 : 1)
}
let certificate = { (p: RegistrationPeriod) in
    [EhboCertificate(id: "e", obtainedOn: p.startDate, validUntil: p.effectiveEndDate, status: .approved)]
}
let certificates = cases.map { certificate($0.period) }
let agenda: [AgendaCourse] = courses.prefix(16).enumerated().map { i, c in
    AgendaCourse(id: c.id, title: c.title, startDate: CivilDate(2025, 1 + i % 12, 10), lines: c.lines)
}

func measure(_ label: String, agenda: [AgendaCourse]) {
    var perDossierMicros: [Double] = []
    var sink = 0
    for _ in 0..<rounds {
        let clock = ContinuousClock()
        let started = clock.now
        for (i, c) in cases.enumerated() {
            let dossier = evaluators[c.evaluator].evaluate(
                period: c.period, completions: c.completions, ehboCertificates: certificates[i],
                asOf: CivilDate(2025, 6, 1), agenda: agenda)
            sink &+=
                dossier.totalPoints.tenths &+ (dossier.complete ? 1 : 0) &+ dossier.needs.count
                &+ dossier.accreditations.count
        }
        let elapsed = clock.now - started
        let (s, atto) = elapsed.components
        perDossierMicros.append((Double(s) * 1e6 + Double(atto) / 1e12) / Double(dossiers))
    }
    perDossierMicros.sort()
    let median = perDossierMicros[rounds / 2]
    let shown = Double(Int(median * 100 + 0.5)) / 100
    print(
        "rules: evaluate dossier (\(perDossier) completions\(label)): median \(shown) µs/dossier over \(rounds) rounds of \(dossiers) [checksum \(sink % 1000)]"
    )
}

measure("", agenda: [])
measure(", 16-course agenda for needs", agenda: agenda)
