import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// Course accreditation (DOMAIN §3a): why a push or a course change is refused.
extension RegisterRefusals {
    /// A push for a course that has no accredited version in force (its application is pending or refused).
    public static func courseNotAccredited(_ course: CourseRecord) -> StoreError.Reason {
        .init(
            field: "courseId",
            message:
                "the course is not accredited by the register (status \(course.status)); completions can be pushed once it is accredited",
            code: "courseNotAccredited")
    }

    /// A review of a course without an application awaiting a decision.
    public static func noPendingApplication(_ course: CourseRecord) -> String {
        "the course has no application awaiting a decision (status \(course.status)); a provider applies by creating the course or changing its accreditation lines"
    }

    /// DELETE of a course that has bookings.
    public static func courseHasBookings(_ count: Int) -> String {
        "the course has \(count) booked completion\(count == 1 ? "" : "s") (withdrawn ones included); a course with bookings is never deleted. Change its dates or title instead"
    }
}
