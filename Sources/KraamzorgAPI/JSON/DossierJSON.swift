import JSONOutput
import KraamzorgRules

/// The dossier answer written by hand: it is the register's most requested large answer (~16 KB for 30
/// accreditations), and going through `Encodable` member by member was a third of its CPU time.
/// The bytes are exactly what `JSONOutputEncoder` (and so JSONEncoder) writes for `Dossier`; a test holds
/// both to that, so a field added to the rules' `encode(to:)` without being added here fails the build's tests.
/// Keys are written in sorted order, as the encoder sorts them.
enum DossierJSON {
    static func bytes(_ d: Dossier) throws -> [UInt8] {
        var w = JSONWriter()
        w.raw("{"); w.key("accreditations"); accreditations(d.accreditations, &w)
        w.raw(","); w.key("annotations"); try w.value(d.annotations)
        w.raw(","); w.key("asOf"); w.string(d.asOf.iso)
        w.raw(","); w.key("careHours"); try w.value(d.careHours)
        w.raw(","); w.key("categories"); categories(d.categories, &w)
        w.raw(","); w.key("complete"); w.bool(d.complete)
        w.raw(","); w.key("effectiveEndDate"); w.string(d.effectiveEndDate.iso)
        w.raw(","); w.key("ehbo"); try w.value(d.ehbo)
        w.raw(","); w.key("minTotalPoints"); w.points(d.minTotalPoints)
        w.raw(","); w.key("needs"); try w.value(d.needs)
        w.raw(","); w.key("norm"); w.string(d.norm)
        w.raw(","); w.key("normVersion"); w.int(d.normVersion)
        w.raw(","); w.key("periodId"); w.string(d.periodId)
        w.raw(","); w.key("reminders"); try w.value(d.reminders)
        w.raw(","); w.key("startDate"); w.string(d.startDate.iso)
        w.raw(","); w.key("submission"); try w.value(d.submission)
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
                w.raw(","); w.key("status"); w.string(s.status.rawValue)
                w.raw("}")
            }
            w.raw("]")
            w.raw(","); w.key("subjectsMet"); w.bool(c.subjectsMet)
            w.raw("}")
        }
        w.raw("]")
    }
}
