import FoundationEssentials
import JSONInput
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
    let lines = [
        AccreditationLine(norm: "2023", category: category, subject: subject, points: Points(tenths: 5 + i % 20)),
        AccreditationLine(norm: "2019", category: "C", subject: nil, points: 1),
    ]
    let day = start.adding(days: 20 * i)
    return Completion(
        id: "0c9e6679-7425-40de-944b-e07fc1f9\(1000 + i)", courseId: "course-\(i % 8)", courseTitle: "Nascholing kraamzorg \(i % 8)",
        completedOn: day, recordedAt: day.adding(days: 3), withdrawn: false, lines: lines)
}
let agenda: [AgendaCourse] = (0..<16).map { i in
    AgendaCourse(
        id: "agenda-\(i)", title: "Agenda course \(i)", startDate: CivilDate(2025, 1 + i % 12, 10),
        lines: [AccreditationLine(norm: "2023", category: categories[i % 5].0, subject: categories[i % 5].1, points: 2)])
}
let dossier = DossierEvaluator.evaluate(
    norm: .seeded2023, period: period, completions: completions,
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
        samples.append(
            Double(elapsed.components.attoseconds) / 1e12 / Double(iterations) + Double(elapsed.components.seconds) * 1e6
                / Double(iterations))
    }
    samples.sort()
    print(
        "json: \(label): median \(String(Int(samples[3].rounded()))) µs per dossier (\(size) bytes, 7 rounds of \(iterations))\(sink == 42 ? " " : "")"
    )
    return samples[3]
}
let a = try median("JSONOutputEncoder") { try ours.encode(dossier).count }
let b =
    ProcessInfo.processInfo.environment["ONLY_OURS"] != nil
    ? a : try median("Foundation JSONEncoder (reference)") { try foundation.encode(dossier).count }
print("json: JSONOutputEncoder takes \(Int((a / b * 100).rounded()))% of JSONEncoder's time")

// Request bodies: StrictJSONDecoder (which also refuses duplicate keys and unknown fields) against Foundation's
// JSONDecoder, on a course (POST /v1/courses, 3 lines, ~0.4 KB) and a batch of 1,000 completions (~110 KB). The
// types mirror the API's body types; both decoders must agree on the values first.
struct CourseBody: Decodable, Equatable {
    let title: String?, externalId: String?, format: String?
    let startDate: CivilDate?, endDate: CivilDate?
    let location: String?, contact: String?
    let accreditations: [AccreditationLine]?
    let providerId: UUID?
}
struct CompletionBody: Decodable, Equatable {
    let courseId: UUID?, externalId: String?
    let registrationNumber: String
    let completedOn: CivilDate
}
struct BatchBody: Decodable, Equatable { let items: [CompletionBody] }

let courseText = Array(
    """
    {"title": "Kinder-EHBO herhaling", "externalId": "EHBO-24", "format": "classroom", "startDate": "2024-03-01",
     "endDate": "2024-03-02", "location": "Utrecht", "contact": "info@example.nl",
     "accreditations": [{"norm": "2023", "category": "A", "subject": "ehbo-theorie", "points": 2},
                        {"norm": "2023", "category": "A", "subject": "ehbo-praktijk", "points": 2.5},
                        {"norm": "2019", "category": "A", "subject": "kinder-ehbo", "points": 4}]}
    """.utf8)
let batchText = Array(
    ("{\"items\": ["
        + (0..<1000).map { i in
            "{\"courseId\": \"6f1e2d3c-0000-4000-8000-00000000\(1000 + i % 8)\", \"registrationNumber\": \"KCKZ-\(200_000 + i)\", \"completedOn\": \"2024-03-\(10 + i % 18)\"}"
        }.joined(separator: ",") + "]}").utf8)

let jsonDecoder = JSONDecoder()
jsonDecoder.dateDecodingStrategy = .iso8601
var strictDecoder = StrictJSONDecoder()
strictDecoder.dateDecodingStrategy = .iso8601
let sameCourse = try jsonDecoder.decode(CourseBody.self, from: Data(courseText)) == strictDecoder.decode(CourseBody.self, from: courseText)
let sameBatch = try jsonDecoder.decode(BatchBody.self, from: Data(batchText)) == strictDecoder.decode(BatchBody.self, from: batchText)
precondition(sameCourse && sameBatch, "the decoders disagree")

func medianMicroseconds(_ iterations: Int, _ body: () throws -> Int) rethrows -> Double {
    let clock = ContinuousClock()
    var samples: [Double] = []
    var sink = 0
    for _ in 0..<7 {
        let began = clock.now
        for _ in 0..<iterations { sink &+= try body() }
        let elapsed = clock.now - began
        samples.append((Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(iterations))
    }
    samples.sort()
    if sink == 42 { print(" ") }
    return samples[3]
}
for (label, bytes, iterations, decodeStrict, decodeFoundation) in [
    (
        "course body", courseText, 2000,
        { () throws -> Int in try strictDecoder.decode(CourseBody.self, from: courseText).accreditations?.count ?? 0 },
        { () throws -> Int in try jsonDecoder.decode(CourseBody.self, from: Data(courseText)).accreditations?.count ?? 0 }
    ),
    (
        "batch of 1,000 completions", batchText, 20,
        { () throws -> Int in try strictDecoder.decode(BatchBody.self, from: batchText).items.count },
        { () throws -> Int in try jsonDecoder.decode(BatchBody.self, from: Data(batchText)).items.count }
    ),
] {
    let ours = try medianMicroseconds(iterations, decodeStrict)
    let theirs = try medianMicroseconds(iterations, decodeFoundation)
    func oneDecimal(_ v: Double) -> String { String((v * 10).rounded() / 10) }
    print(
        "json: decode \(label) (\(bytes.count) bytes): StrictJSONDecoder \(oneDecimal(ours)) µs, JSONDecoder \(oneDecimal(theirs)) µs "
            + "(\(Int((ours / theirs * 100).rounded()))%)")
}
