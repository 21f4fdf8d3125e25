import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

struct LineJSON: Encodable {
    let category: String
    @ExplicitNull var subject: String?  // null for a category-only line, as in the dossier
    let points: Points
}

/// API.md's accreditation; `periodId`/`norm`: where it counts today, `lines`: that norm's lines.
struct AccreditationJSON: Encodable {
    let id: String
    let courseId: String
    let courseTitle: String
    let registrationNumber: String
    let completedOn: CivilDate
    let recordedAt: Date
    let late: Bool
    @ExplicitNull var periodId: String?
    @ExplicitNull var norm: String?
    let lines: [LineJSON]
    let withdrawn: Bool

    init(_ v: AccreditationView) {
        let r = v.record
        id = r.id.lowercasedString; courseId = r.courseId.lowercasedString; courseTitle = r.courseTitle;
        registrationNumber = r.registrationNumber
        completedOn = r.completedOn; recordedAt = r.recordedAt; late = r.late; periodId = v.period?.id; norm = v.period?.normCode
        lines =
            v.period.map { p in
                r.lines.filter { $0.norm == p.normCode }.map { LineJSON(category: $0.category, subject: $0.subject, points: $0.points) }
            } ?? []
        withdrawn = r.withdrawnAt != nil
    }
}

struct CourseJSON: Encodable {
    let id: String
    let providerId: String
    let providerName: String
    let externalId: String?
    let title: String
    let format: String
    let startDate: CivilDate
    let endDate: CivilDate?
    let location: String?
    let contact: String?
    /// The lines in force (as proposed while the course was never accredited).
    let accreditations: [AccreditationLine]
    /// `pending`, `accredited` or `refused` (DOMAIN §3a).
    let status: String
    /// Every version of its lines with the register's decision, oldest first.
    let accreditationStatus: [CourseVersionJSON]

    init(_ c: CourseRecord) {
        id = c.id.lowercasedString; providerId = c.providerId.lowercasedString; providerName = c.providerName; externalId = c.externalId;
        title = c.title
        format = c.format; startDate = c.startDate; endDate = c.endDate; location = c.location; contact = c.contact;
        accreditations = c.lines; status = c.status; accreditationStatus = c.versions.map(CourseVersionJSON.init)
    }
}

/// One version of a course's lines: `{"version", "status", "lines", "decidedAt"?, "reason"?}`.
struct CourseVersionJSON: Encodable {
    let version: Int
    let status: String
    let lines: [AccreditationLine]
    let decidedAt: Date?
    let reason: String?

    init(_ v: CourseVersion) {
        version = v.version; status = v.status; lines = v.lines; decidedAt = v.decidedAt; reason = v.reason
    }
}
