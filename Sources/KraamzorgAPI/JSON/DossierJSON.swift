import JSONOutput
import KraamzorgRules

/// The dossier answer written by hand: it is the register's most requested large answer (~16 KB for 30
/// accreditations), and going through `Encodable` member by member was a third of its CPU time.
/// The bytes are exactly what `JSONOutputEncoder` (and so JSONEncoder) writes for `Dossier`; a test holds
/// both to that, so a field added to the rules' `encode(to:)` without being added here fails the build's tests.
/// Keys are written in sorted order, as the encoder sorts them; nothing goes through `Encodable`.
enum DossierJSON {
    static func bytes(_ d: Dossier) -> [UInt8] {
        var w = JSONWriter()
        w.raw("{"); w.key("accreditations"); accreditations(d.accreditations, &w)
        w.raw(","); w.key("annotations"); strings(d.annotations, &w)
        w.raw(","); w.key("asOf"); w.string(d.asOf.iso)
        w.raw(","); w.key("careHours"); careHours(d.careHours, &w)
        w.raw(","); w.key("categories"); categories(d.categories, &w)
        w.raw(","); w.key("complete"); w.bool(d.complete)
        w.raw(","); w.key("effectiveEndDate"); w.string(d.effectiveEndDate.iso)
        w.raw(","); w.key("ehbo"); ehbo(d.ehbo, &w)
        w.raw(","); w.key("minTotalPoints"); w.points(d.minTotalPoints)
        w.raw(","); w.key("needs"); needs(d.needs, &w)
        w.raw(","); w.key("norm"); w.string(d.norm)
        w.raw(","); w.key("normVersion"); w.int(d.normVersion)
        w.raw(","); w.key("periodId"); w.string(d.periodId)
        w.raw(","); w.key("reminders"); reminders(d.reminders, &w)
        if let v = d.standing { w.raw(","); w.key("standing"); w.string(v.rawValue) }
        if let v = d.standingText { w.raw(","); w.key("standingText"); w.string(v) }
        w.raw(","); w.key("startDate"); w.string(d.startDate.iso)
        w.raw(","); w.key("submission"); submission(d.submission, &w)
        w.raw(","); w.key("totalPoints"); w.points(d.totalPoints)
        w.raw("}")
        return w.bytes
    }

    private static func accreditations(_ list: DossierAccreditations, _ w: inout JSONWriter) {
        w.raw("[")
        for (i, a) in list.enumerated() {
            if i > 0 { w.raw(",") }
            let c = a.completion
            w.raw("{"); w.key("completedOn"); w.string(c.completedOn.iso)
            w.raw(","); w.key("courseId"); w.string(c.courseId)
            w.raw(","); w.key("courseTitle"); w.string(c.courseTitle)
            w.raw(","); w.key("id"); w.string(c.id)
            w.raw(","); w.key("late"); w.bool(a.late)
            w.raw(","); w.key("lines"); w.raw("[")
            var first = true
            for line in c.lines where line.norm == a.norm {
                if !first { w.raw(",") }
                first = false
                w.raw("{"); w.key("category"); w.string(line.category)
                w.raw(","); w.key("points"); w.points(line.points)
                w.raw(","); w.key("subject"); w.optionalString(line.subject)
                w.raw("}")
            }
            w.raw("]")
            w.raw(","); w.key("norm"); w.string(a.norm)
            w.raw(","); w.key("periodId"); w.string(a.periodId)
            w.raw(","); w.key("recordedAt"); w.string(c.recordedAt.iso)
            w.raw(","); w.key("withdrawn"); w.bool(c.withdrawn)
            w.raw("}")
        }
        w.raw("]")
    }

    private static func categories(_ list: [DossierCategory], _ w: inout JSONWriter) {
        w.raw("[")
        for (i, c) in list.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{"); w.key("code"); w.string(c.code)
            w.raw(","); w.key("distinctCourses"); w.int(c.distinctCourses)
            w.raw(","); w.key("met"); w.bool(c.met)
            w.raw(","); w.key("minDistinctCourses"); w.int(c.minDistinctCourses)
            w.raw(","); w.key("minPoints"); w.points(c.minPoints)
            w.raw(","); w.key("name"); w.string(c.name)
            w.raw(","); w.key("points"); w.points(c.points)
            w.raw(","); w.key("pointsMet"); w.bool(c.pointsMet)
            w.raw(","); w.key("subjects"); w.raw("[")
            for (j, s) in c.subjects.enumerated() {
                if j > 0 { w.raw(",") }
                w.raw("{"); w.key("code"); w.string(s.code)
                w.raw(","); w.key("completions"); w.int(s.completions)
                w.raw(","); w.key("minCompletions"); w.int(s.minCompletions)
                w.raw(","); w.key("name"); w.string(s.name)
                if let status = s.status { w.raw(","); w.key("status"); w.string(status.rawValue) }
                w.raw("}")
            }
            w.raw("]")
            w.raw(","); w.key("subjectsMet"); w.bool(c.subjectsMet)
            w.raw("}")
        }
        w.raw("]")
    }

    private static func strings(_ list: [String], _ w: inout JSONWriter) {
        w.raw("[")
        for (i, text) in list.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(text)
        }
        w.raw("]")
    }

    private static func optionalDate(_ date: CivilDate?, _ w: inout JSONWriter) {
        if let date { w.string(date.iso) } else { w.raw("null") }
    }

    private static func careHours(_ list: [CareHoursYear], _ w: inout JSONWriter) {
        w.raw("[")
        for (i, y) in list.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{"); w.key("hours"); w.int(y.hours)
            w.raw(","); w.key("met"); w.bool(y.met)
            w.raw(","); w.key("year"); w.int(y.year)
            w.raw("}")
        }
        w.raw("]")
    }

    private static func ehbo(_ e: DossierEhbo, _ w: inout JSONWriter) {
        w.raw("{"); w.key("firstUncoveredDate"); optionalDate(e.firstUncoveredDate, &w)
        w.raw(","); w.key("required"); w.bool(e.required)
        w.raw(","); w.key("status"); w.optionalString(e.status?.rawValue)
        w.raw("}")
    }

    private static func needs(_ list: [DossierNeed], _ w: inout JSONWriter) {
        w.raw("[")
        for (i, n) in list.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{"); w.key("category"); w.optionalString(n.category)
            if let v = n.completionsShort { w.raw(","); w.key("completionsShort"); w.int(v) }
            if let v = n.coursesShort { w.raw(","); w.key("coursesShort"); w.int(v) }
            w.raw(","); w.key("kind"); w.string(n.kind.rawValue)
            if let v = n.pointsShort { w.raw(","); w.key("pointsShort"); w.points(v) }
            if let v = n.subject { w.raw(","); w.key("subject"); w.string(v) }
            w.raw(","); w.key("suggestedCourses"); w.raw("[")
            for (j, c) in n.suggestedCourses.enumerated() {
                if j > 0 { w.raw(",") }
                w.raw("{"); w.key("id"); w.string(c.id)
                w.raw(","); w.key("points"); w.points(c.points)
                w.raw(","); w.key("startDate"); w.string(c.startDate.iso)
                w.raw(","); w.key("title"); w.string(c.title)
                w.raw("}")
            }
            w.raw("]}")
        }
        w.raw("]")
    }

    private static func reminders(_ list: [Reminder], _ w: inout JSONWriter) {
        w.raw("[")
        for (i, r) in list.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{"); w.key("date"); w.string(r.date.iso)
            w.raw(","); w.key("kind"); w.string(r.kind.rawValue)
            w.raw("}")
        }
        w.raw("]")
    }

    private static func submission(_ s: SubmissionEligibility, _ w: inout JSONWriter) {
        w.raw("{"); w.key("allowed"); w.bool(s.allowed)
        w.raw(","); w.key("reasons"); w.raw("[")
        for (i, r) in s.reasons.enumerated() {
            if i > 0 { w.raw(",") }
            // Keys in sorted order: category, code, date, message, short, status, subject.
            w.raw("{")
            switch r {
            case .categoryPointsShort(let c, _), .subjectCompletionsShort(let c, _, _), .distinctCoursesShort(let c, _):
                w.key("category"); w.string(c); w.raw(",")
            default: break
            }
            w.key("code"); w.string(r.code)
            switch r {
            case .windowNotOpen(let d): w.raw(","); w.key("date"); w.string(d.iso)
            case .ehbo(_, let d?): w.raw(","); w.key("date"); w.string(d.iso)
            default: break
            }
            w.raw(","); w.key("message"); w.string(r.message)
            switch r {
            case .categoryPointsShort(_, let p), .totalPointsShort(let p): w.raw(","); w.key("short"); w.points(p)
            case .subjectCompletionsShort(_, _, let n), .distinctCoursesShort(_, let n): w.raw(","); w.key("short"); w.int(n)
            default: break
            }
            switch r {
            case .periodStatus(let status): w.raw(","); w.key("status"); w.string(status.rawValue)
            case .ehbo(let status, _): w.raw(","); w.key("status"); w.string(status.rawValue)
            default: break
            }
            if case .subjectCompletionsShort(_, let subject, _) = r { w.raw(","); w.key("subject"); w.string(subject) }
            w.raw("}")
        }
        w.raw("]")
        w.raw(","); w.key("windowOpensOn"); w.string(s.windowOpensOn.iso)
        w.raw("}")
    }
}
