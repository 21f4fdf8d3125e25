import FoundationEssentials
import JSONOutput
import KraamzorgRules

// The batch answer of `POST /v1/accreditations` written by hand: up to 10,000 results. The bytes are exactly what
// `JSONOutputEncoder` (and so JSONEncoder) writes for `ResultJSON`, so an accreditation here has the members, and
// the key order, of `GET /v1/accreditations`. AccreditationBatchJSONTests holds both to that: a member added to
// `AccreditationJSON` or `ResultJSON` and not here fails the tests. Keys are written in sorted order, as the
// encoder sorts them.

extension AccreditationRoutes.ResultJSON {
    func write(to w: inout JSONWriter) {
        w.raw("{")
        if let a = accreditation { w.key("accreditation"); a.write(to: &w); w.raw(",") }
        if let d = duplicate { w.key("duplicate"); w.bool(d); w.raw(",") }
        if let l = late { w.key("late"); w.bool(l); w.raw(",") }
        if let n = practitionerName { w.key("practitionerName"); w.string(n); w.raw(",") }
        if let p = problem { w.key("problem"); p.write(to: &w); w.raw(",") }
        w.key("status"); w.int(status)
        w.raw("}")
    }
}

extension AccreditationRoutes.ItemProblem {
    func write(to w: inout JSONWriter) {
        w.raw("{"); w.key("detail"); w.string(detail)
        w.raw(","); w.key("errors"); w.raw("[")
        for (i, e) in errors.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{")
            if let code = e.code { w.key("code"); w.string(code); w.raw(",") }
            w.key("field"); w.string(e.field); w.raw(","); w.key("message"); w.string(e.message); w.raw("}")
        }
        w.raw("]")
        w.raw(","); w.key("status"); w.int(status)
        w.raw(","); w.key("title"); w.string(title)
        w.raw(","); w.key("type"); w.string(type)
        w.raw("}")
    }
}

extension AccreditationJSON {
    func write(to w: inout JSONWriter) {
        w.raw("{"); w.key("completedOn"); w.string(completedOn.iso)
        w.raw(","); w.key("courseId"); w.string(courseId)
        w.raw(","); w.key("courseTitle"); w.string(courseTitle)
        w.raw(","); w.key("id"); w.string(id)
        w.raw(","); w.key("late"); w.bool(late)
        w.raw(","); w.key("lines"); w.raw("[")
        for (i, l) in lines.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{"); w.key("category"); w.string(l.category)
            w.raw(","); w.key("points"); w.points(l.points)
            w.raw(","); w.key("subject"); w.optionalString(l.subject)
            w.raw("}")
        }
        w.raw("]")
        w.raw(","); w.key("norm"); w.optionalString(norm)
        w.raw(","); w.key("periodId"); w.optionalString(periodId)
        w.raw(","); w.key("recordedAt"); w.timestamp(recordedAt)
        w.raw(","); w.key("registrationNumber"); w.string(registrationNumber)
        w.raw(","); w.key("withdrawn"); w.bool(withdrawn)
        w.raw("}")
    }
}
