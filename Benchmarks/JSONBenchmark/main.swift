#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSONOutput
import KraamzorgRules

// Encodes one dossier of 30 accreditations (with an agenda of suggestions) with JSONOutputEncoder and, as the
// reference in the same run, with Foundation's JSONEncoder; prints the median per encoding of 7 rounds.
// Build: swift build -c release --product JSONBenchmark

let start = CivilDate(2023, 6, 1)
let period = RegistrationPeriod(id: "6f1e2d3c-0000-4000-8000-000000000001", startDate: start, normCode: "2023")
let categories: [(String, String?)] = [("A", "ehbo-theorie"), ("A", "reanimatie-praktijk"), ("B", "borstvoeding"), ("C", nil), ("D", nil)]
let completions: [Completion] = (0..<30).map { i in
    let (category, subject) = categories[i % categories.count]
    let lines = [AccreditationLine(norm: "2023", category: category, subject: subject, points: Points(tenths: 5 + i % 20)),
                 AccreditationLine(norm: "2019", category: "C", subject: nil, points: 1)]
    let day = start.adding(days: 20 * i)
    return Completion(id: "0c9e6679-7425-40de-944b-e07fc1f9\(1000 + i)", courseId: "course-\(i % 8)", courseTitle: "Nascholing kraamzorg \(i % 8)",
                      completedOn: day, recordedAt: day.adding(days: 3), withdrawn: false, lines: lines)
}
let agenda: [AgendaCourse] = (0..<16).map { i in
    AgendaCourse(id: "agenda-\(i)", title: "Agenda course \(i)", startDate: CivilDate(2025, 1 + i % 12, 10),
                 lines: [AccreditationLine(norm: "2023", category: categories[i % 5].0, subject: categories[i % 5].1, points: 2)])
}
let dossier = DossierEvaluator.evaluate(norm: .seeded2023, period: period, completions: completions,
                                        asOf: CivilDate(2025, 1, 1), agenda: agenda)

let foundation = JSONEncoder()
foundation.dateEncodingStrategy = .iso8601
foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
let ours = JSONOutputEncoder()
let reference = try Array(foundation.encode(dossier)), mine = try ours.encode(dossier)
precondition(reference == mine, "the encoders disagree")
let size = try ours.encode(dossier).count

func median(_ label: String, _ body: () throws -> Int) rethrows -> Double {
    let iterations = 400, clock = ContinuousClock()
    var samples: [Double] = []
    var sink = 0
    for _ in 0..<7 {
        let began = clock.now
        for _ in 0..<iterations { sink &+= try body() }
        let elapsed = clock.now - began
        samples.append(Double(elapsed.components.attoseconds) / 1e12 / Double(iterations) + Double(elapsed.components.seconds) * 1e6 / Double(iterations))
    }
    samples.sort()
    print("json: \(label): median \(String(Int(samples[3].rounded()))) µs per dossier (\(size) bytes, 7 rounds of \(iterations))\(sink == 42 ? " " : "")")
    return samples[3]
}
let a = try median("JSONOutputEncoder") { try ours.encode(dossier).count }
let b = ProcessInfo.processInfo.environment["ONLY_OURS"] != nil ? a : try median("Foundation JSONEncoder (reference)") { try foundation.encode(dossier).count }
print("json: JSONOutputEncoder takes \(Int((a / b * 100).rounded()))% of JSONEncoder's time")
