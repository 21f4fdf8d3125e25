import FoundationEssentials
@testable import KraamzorgAPI
@testable import KraamzorgStore
import JSONOutput
import KraamzorgRules
import KraamzorgUseCases
import DatesAndIDs
import Testing

/// The hand-written batch answer of `POST /v1/accreditations` must be byte for byte what the `Encodable` result
/// gives, on every shape a result takes: a member added to `ResultJSON` or `AccreditationJSON` and not to the
/// writer fails here. Its accreditations so have the key order of `GET /v1/accreditations`.
@Suite struct AccreditationBatchJSONTests {

    private static let reference: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    private static let titles = [
        "Reanimatie \"basis\"", "Borstvoeding / kunstvoeding", "Ëerste hulp bij kinderen 😀", "Tab\tnieuwe\nregel", "Partus",
    ]
    private static let lines: [(String, String, String?)] = [
        ("2023", "A", "ehbo-theorie"), ("2023", "C", nil), ("2023", "B", "borstvoeding"),
        ("2019", "B", nil), ("2019", "A", "kinder-ehbo"),
    ]

    /// Items as a provider sends them, good and bad, decoded as the route decodes them.
    private static let items: [AccreditationRoutes.Item] = {
        let json = """
            [{"courseId": "7C9E6679-7425-40DE-944B-E07FC1F90AE7", "registrationNumber": "KCKZ-1234", "completedOn": "2026-03-01"},
             {"externalId": "cursus/1", "registrationNumber": "kckz 00012345", "completedOn": "2026-02-28"},
             {"courseId": "nope", "externalId": "x", "registrationNumber": "KCKZ-1", "completedOn": "2026-02-30"},
             {"courseId": 12, "registrationNumber": null, "completedOn": false},
             {"externalId": "", "registrationNumber": "KCKZ-1234"},
             {},
             "not an object",
             {"externalId": "tab\\there \\"quoted\\" é", "registrationNumber": "KCKZ-9876", "completedOn": "2026-1-1"}]
            """
        return try! JSONDecoder().decode([AccreditationRoutes.Item].self, from: Data(json.utf8))
    }()

    private func record(_ rng: inout SplitMix64) -> AccreditationRecord {
        let on = CivilDate(2024, 1, 1).adding(days: rng.int(below: 900))
        let lines = (0..<rng.int(below: 4)).map { _ -> AccreditationLine in
            let (norm, category, subject) = Self.lines[rng.int(below: Self.lines.count)]
            return AccreditationLine(norm: norm, category: category, subject: subject, points: Points(tenths: 1 + rng.int(below: 60)))
        }
        return AccreditationRecord(
            id: UUID(), courseId: UUID(), courseTitle: Self.titles[rng.int(below: Self.titles.count)], providerId: UUID(),
            practitionerId: UUID(), registrationNumber: "KCKZ-\(1000 + rng.int(below: 9000))", completedOn: on,
            recordedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(rng.int(below: 90_000_000)) + 0.25 * Double(rng.int(below: 4))),
            recordedOn: on.adding(days: rng.int(below: 40)), late: rng.int(below: 3) == 0,
            withdrawnAt: rng.int(below: 5) == 0 ? Date(timeIntervalSince1970: 1_800_000_000) : nil, lines: lines)
    }

    private func outcome(_ rng: inout SplitMix64, dryRun: Bool) -> PushOutcome? {
        let name: String? =
            rng.int(below: 2) == 0 ? nil : ["Daphne Bakker", "Anne-Marie \"Mies\" de Vries", "Zoë Ülker"][rng.int(below: 3)]
        switch rng.int(below: 9) {
        case 0: return nil
        case 8:
            // A refusal with a reason code (DOMAIN §3a): the writer must place `code` as the encoder does.
            return PushOutcome(
                kind: .refused, status: 422, view: nil, problem: (422, "courseId", "the course is not accredited"),
                practitionerName: name, late: nil, problemCode: "courseNotAccredited")
        case 1:
            return .refused(
                [400, 403, 404, 404, 422][rng.int(below: 5)],
                ["courseId", "externalId", "registrationNumber", "completedOn"][rng.int(below: 4)],
                ["no course with this id", "the date \"2026-02-30\" is not in a period / too late"][rng.int(below: 2)], name: name)
        default:
            let duplicate = rng.int(below: 2) == 0
            if dryRun {
                return PushOutcome(
                    kind: duplicate ? .existing : .created, status: duplicate ? 200 : 201, view: nil, problem: nil,
                    practitionerName: name, late: rng.int(below: 2) == 0)
            }
            let r = record(&rng)
            let period =
                rng.int(below: 3) == 0
                ? nil
                : RegistrationPeriod(
                    id: UUID().uuidString.lowercased(), startDate: r.completedOn.adding(days: -rng.int(below: 400)),
                    normCode: ["2019", "2023"][rng.int(below: 2)])
            let kind: PushOutcome.Kind = duplicate ? [.existing, .restored][rng.int(below: 2)] : .created
            return PushOutcome(
                kind: kind, status: duplicate ? 200 : 201, view: AccreditationView(record: r, period: period), problem: nil,
                practitionerName: nil, late: r.late)
        }
    }

    @Test func twoThousandResultsWriteWhatTheirEncodableConformanceEncodes() throws {
        var rng = SplitMix64(seed: 20261124)
        var statuses = Set<Int>(), members = Set<String>(), errorCounts = Set<Int>(), nullPeriods = 0, nullSubjects = 0
        for _ in 0..<2000 {
            let dryRun = rng.int(below: 3) == 0
            let item = Self.items[rng.int(below: Self.items.count)]
            let result = AccreditationRoutes.result(item, item.errors.isEmpty ? outcome(&rng, dryRun: dryRun) : nil, dryRun: dryRun)

            var writer = JSONWriter()
            result.write(to: &writer)
            let hand = String(decoding: writer.bytes, as: UTF8.self)
            let encoded = String(decoding: try JSONOutputEncoder().encode(result), as: UTF8.self)
            #expect(hand == encoded)
            #expect(hand == String(decoding: try Self.reference.encode(result), as: UTF8.self))
            if hand != encoded { return }

            // The accreditation inside is the object `GET /v1/accreditations` lists, key order included.
            if let a = result.accreditation {
                var w = JSONWriter()
                a.write(to: &w)
                #expect(String(decoding: w.bytes, as: UTF8.self) == String(decoding: try APIJSON.encoder.encode(a), as: UTF8.self))
                if a.periodId == nil { nullPeriods += 1 }
                nullSubjects += a.lines.filter { $0.subject == nil }.count
            }
            statuses.insert(result.status)
            if result.accreditation != nil { members.insert("accreditation") }
            if result.problem != nil { members.insert("problem") }
            if result.practitionerName != nil { members.insert("practitionerName") }
            if let late = result.late { members.insert("late=\(late)") }
            if let duplicate = result.duplicate { members.insert("duplicate=\(duplicate)") }
            if let p = result.problem { errorCounts.insert(min(p.errors.count, 2)) }
            if result.problem?.errors.contains(where: { $0.code != nil }) == true { members.insert("code") }
        }
        // The generated results reach every shape the writer has a branch for.
        #expect(statuses == [200, 201, 400, 403, 404, 422, 500])
        #expect(
            members == [
                "accreditation", "problem", "code", "practitionerName", "late=true", "late=false", "duplicate=true", "duplicate=false",
            ])
        #expect(errorCounts == [0, 1, 2])
        #expect(nullPeriods > 10 && nullSubjects > 10)
    }
}
