import Testing
import KraamzorgRules
import DatesAndIDs

/// Properties of the evaluation over generated inputs (SplitMix64 seeds 1…300).
@Suite struct PropertyDossierTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test func evaluationDoesNotDependOnInputOrder() {
        for seed in Self.seeds {
            let s = DossierScenario.make(seed: seed)
            var r = SplitMix64(seed: seed ^ 0xABCD)
            #expect(s.evaluate(r.shuffle(s.completions)) == s.evaluate(), "seed \(seed)")
        }
    }

    @Test func aRepeatedCompletionNeverChangesTheResult() {
        for seed in Self.seeds {
            let s = DossierScenario.make(seed: seed)
            guard let original = s.completions.first else { continue }
            var again = original
            again.id = original.id + "-again"
            var copy = original
            copy.id = "0"  // sorts first, so it is the one kept: only the shown id may differ
            #expect(s.evaluate(s.completions + [again]) == s.evaluate(), "seed \(seed)")
            #expect(s.evaluate(s.completions + [original]) == s.evaluate(), "seed \(seed)")
            let withCopy = s.evaluate(s.completions + [copy]), base = s.evaluate()
            #expect(
                withCopy.categories == base.categories && withCopy.needs == base.needs
                    && withCopy.accreditations.count == base.accreditations.count, "seed \(seed)")
        }
    }

    @Test func addingACompletionNeverTurnsAGreenCategoryRed() {
        for seed in Self.seeds {
            let s = DossierScenario.make(seed: seed)
            var r = SplitMix64(seed: seed ^ 0x5EED)
            let extra = Completion(
                id: "extra", courseId: "extra-course", completedOn: s.period.startDate.adding(days: r.int(1460)),
                lines: DossierScenario.courseLines(&r))
            let before = s.evaluate().categories, after = s.evaluate(s.completions + [extra]).categories
            for (b, a) in zip(before, after) where b.met {
                #expect(a.met, "seed \(seed) category \(b.code)")
            }
            #expect(after.map(\.points).elementsEqual(before.map(\.points)) { $0 >= $1 }, "seed \(seed)")
        }
    }

    @Test func theTotalIsTheSumOfTheCountedPoints() {
        for seed in Self.seeds {
            let s = DossierScenario.make(seed: seed)
            let dossier = s.evaluate()
            var tenths = 0
            for accreditation in dossier.accreditations {
                var seen: [AccreditationLine] = []
                for line in accreditation.lines
                where !seen.contains(where: {
                    $0.category == line.category && $0.subject == line.subject
                }) {
                    seen.append(line)
                    tenths += line.points.tenths
                }
                #expect(s.period.covers(accreditation.completion.completedOn) && !accreditation.completion.withdrawn)
            }
            #expect(dossier.totalPoints.tenths == tenths, "seed \(seed)")
            #expect(dossier.categories.reduce(0) { $0 + $1.points.tenths } == tenths, "seed \(seed)")
        }
    }

    @Test func everyNeedDisappearsOnceTheSuggestedCoursesAreFollowed() {
        for seed in Self.seeds {
            let s = DossierScenario.make(seed: seed, count: 15)
            // A rich agenda: every category/subject line of both norms, several times, inside the period.
            var agenda: [AgendaCourse] = []
            var r = SplitMix64(seed: seed ^ 0xA6E)
            for round in 0..<8 {
                for (i, (category, subject)) in (DossierScenario.lines2023 + DossierScenario.lines2019).enumerated() {
                    let norm = i < DossierScenario.lines2023.count ? "2023" : "2019"
                    let date = s.asOf.adding(days: 1 + r.int(30))
                    agenda.append(
                        AgendaCourse(
                            id: "ag-\(round)-\(i)", title: "Agenda \(i)", startDate: date,
                            lines: [
                                AccreditationLine(
                                    norm: norm, category: category, subject: subject,
                                    points: Points(tenths: 20 + r.int(20)))
                            ]))
                }
            }
            let start = s.period.startDate, end = s.period.effectiveEndDate
            guard s.asOf.adding(days: 31) < end, s.asOf >= start else { continue }
            let dossier = s.evaluate(agenda: agenda)
            var followed = s.completions
            var added: Set<String> = []
            for need in dossier.needs {
                for course in need.suggestedCourses where added.insert(course.id).inserted {
                    let lines = agenda.first { $0.id == course.id }!.lines
                    followed.append(
                        Completion(
                            id: "f-\(course.id)", courseId: course.id, completedOn: course.startDate,
                            lines: lines))
                }
            }
            let after = s.evaluate(followed, asOf: s.asOf.adding(days: 31))
            #expect(
                after.needs.allSatisfy { $0.kind == .ehboCertificate },
                "seed \(seed): \(after.needs.map { "\($0.kind) \($0.category ?? "-") \($0.subject ?? "-")" }) before \(dossier.needs.map { "\($0.kind) \($0.suggestedCourses.count)" })"
            )
        }
    }
}
