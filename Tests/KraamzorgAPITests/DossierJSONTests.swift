import FoundationEssentials
@testable import KraamzorgAPI
import JSONOutput
import KraamzorgRules
import DatesAndIDs
import Testing

/// The hand-written dossier answer must be byte for byte what the `Encodable` dossier gives, on every shape a
/// dossier takes: a field added to the rules and not to `DossierJSON` fails here.
@Suite struct DossierJSONTests {

    private static let reference: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    private static let lines2023: [(String, String?)] = [
        ("A", "ehbo-theorie"), ("A", "ehbo-praktijk"), ("A", "reanimatie-theorie"),
        ("A", "acute-situaties-praktijk"), ("B", "borstvoeding"), ("B", "kunstvoeding"), ("B", "verdieping-kraamzorg"),
        ("C", nil), ("D", "partusassistentie"), ("D", nil), ("Z", "onbekend"),
    ]
    private static let lines2019: [(String, String?)] = [
        ("A", "kinder-ehbo"), ("A", "reanimatie"), ("B", nil), ("C", "basis-borstvoeding"), ("C", nil),
    ]

    private func dossier(_ rng: inout SplitMix64) -> Dossier {
        let is2023 = rng.int(below: 2) == 0
        let start =
            is2023
            ? CivilDate(2023, 1 + rng.int(below: 12), 1 + rng.int(below: 28))
            : CivilDate(2019, 1 + rng.int(below: 12), 1 + rng.int(below: 28))
        let status = PeriodStatus.allCases[rng.int(below: PeriodStatus.allCases.count)]
        let period = RegistrationPeriod(
            id: "period-\(rng.int(below: 1000))", startDate: start, normCode: is2023 ? "2023" : "2019", status: status)
        let titles = ["Reanimatie \"basis\"", "Borstvoeding / kunstvoeding", "Ëerste hulp bij kinderen 😀", "Tab\tnieuwe\nregel", "Partus"]
        func lines() -> [AccreditationLine] {
            let (c23, s23) = Self.lines2023[rng.int(below: Self.lines2023.count)]
            let (c19, s19) = Self.lines2019[rng.int(below: Self.lines2019.count)]
            var result = [
                AccreditationLine(norm: "2023", category: c23, subject: s23, points: Points(tenths: 1 + rng.int(below: 60))),
                AccreditationLine(norm: "2019", category: c19, subject: s19, points: Points(tenths: 5 * (1 + rng.int(below: 8)))),
            ]
            if rng.int(below: 4) == 0 {
                result.append(AccreditationLine(norm: "2023", category: "C", subject: nil, points: Points(tenths: 5)))
            }
            return result
        }
        let completions = (0..<rng.int(below: 40)).map { i -> Completion in
            let on = start.adding(days: rng.int(below: 1600) - 60)
            return Completion(
                id: "completion-\(i)", courseId: "course-\(rng.int(below: 12))", courseTitle: titles[rng.int(below: titles.count)],
                completedOn: on, recordedAt: on.adding(days: rng.int(below: 90)), withdrawn: rng.int(below: 15) == 0, lines: lines())
        }
        let certificates = (0..<rng.int(below: 3)).map { i in
            EhboCertificate(
                id: "ehbo-\(i)", obtainedOn: start.adding(days: rng.int(below: 400) - 200),
                validUntil: start.adding(days: rng.int(below: 2000)),
                status: [.approved, .pendingReview, .rejected][rng.int(below: 3)])
        }
        let care = (0..<rng.int(below: 4)).map { i in
            CareHoursRecord(year: start.year + i, hours: rng.int(below: 400), statement: rng.int(below: 2) == 0 ? nil : "Werkgever B.V.")
        }
        let agenda = (0..<rng.int(below: 12)).map { i in
            AgendaCourse(
                id: "agenda-\(i)", title: titles[rng.int(below: titles.count)], startDate: start.adding(days: 30 * i + rng.int(below: 30)),
                lines: lines())
        }
        var d = DossierEvaluator.evaluate(
            norm: is2023 ? .seeded2023 : .seeded2019, period: period, completions: completions,
            ehboCertificates: certificates, careHours: care, asOf: start.adding(days: rng.int(below: 1700) - 30), agenda: agenda)
        if rng.int(below: 3) > 0 {
            d.standing = Standing.allCases[rng.int(below: Standing.allCases.count)]
            d.standingText =
                rng.int(below: 2) == 0 ? "U staat ingeschreven tot en met 31-03-2027." : "Uw \"herregistratie\" wordt beoordeeld"
        }
        return d
    }

    @Test func fiveHundredDossiersWriteWhatTheirEncodableConformanceEncodes() throws {
        var rng = SplitMix64(seed: 20261123)
        var reasons = Set<String>(), needs = Set<String>(), suggestions = 0, ehboStatuses = Set<String>()
        var subjectsWithoutStatus = 0, standings = Set<String>()
        for _ in 0..<500 {
            let d = dossier(&rng)
            reasons.formUnion(d.submission.reasons.map(\.code))
            needs.formUnion(d.needs.map(\.kind.rawValue))
            suggestions += d.needs.reduce(0) { $0 + $1.suggestedCourses.count }
            ehboStatuses.insert(d.ehbo.status?.rawValue ?? "null")
            subjectsWithoutStatus += d.categories.flatMap(\.subjects).filter { $0.status == nil }.count
            standings.insert(d.standing?.rawValue ?? "absent")
            let hand = String(decoding: DossierJSON.bytes(d), as: UTF8.self)
            let encoded = String(decoding: try JSONOutputEncoder().encode(d), as: UTF8.self)
            #expect(hand == encoded)
            #expect(hand == String(decoding: try Self.reference.encode(d), as: UTF8.self))
            if hand != encoded { return }
        }
        // The generated dossiers reach every shape the writer has a branch for.
        #expect(
            reasons == [
                "windowNotOpen", "periodStatus", "categoryPointsShort", "subjectCompletionsShort", "distinctCoursesShort",
                "totalPointsShort", "ehboCertificate",
            ])
        #expect(needs == Set(DossierNeed.Kind.allCasesForTests))
        #expect(suggestions > 100)
        #expect(ehboStatuses == ["null", "missing", "pendingReview", "coversPeriod", "gap"])
        // Subjects that are not mandatory carry no status (absent, not null); the standing is written when set.
        #expect(subjectsWithoutStatus > 100)
        #expect(standings == Set(Standing.allCases.map(\.rawValue) + ["absent"]))
    }
}

private extension DossierNeed.Kind {
    static let allCasesForTests: [String] = ["categoryPoints", "subjectCompletions", "distinctCourses", "totalPoints", "ehboCertificate"]
}
