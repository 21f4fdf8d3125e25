import FoundationEssentials
import KraamzorgStore
import KraamzorgUseCases

/// The register's scheduled notices (DOMAIN.md §2): the jobs run the use cases with a clock fixed at the
/// moment they run for.
public enum RegisterJobs {
    /// A reminder whose day was missed (the service was down) is still sent within this many days.
    public static let catchUpDays = RegisterNoticeWorkflows.catchUpDays

    /// Reminders at effective end − 3 months, − 8 weeks and − 1 day (`RegisterNoticeWorkflows.sendReminders`).
    public static func reminders(register: RegisterStore) -> Job {
        Job(name: "reminders", period: Job.daily) { conn, now in
            let sent = try await RegisterNoticeWorkflows(store: register, clock: .fixed(now)).sendReminders(on: conn)
            return ["sent": String(sent)]
        }
    }

    /// Overdue reviews and expired unsubmitted periods, to the admins (`RegisterNoticeWorkflows.reportOverdue`).
    public static func overdueReviews(register: RegisterStore) -> Job {
        Job(name: "overdue-reviews", period: Job.daily) { conn, now in
            let (reviews, expired) = try await RegisterNoticeWorkflows(store: register, clock: .fixed(now)).reportOverdue(on: conn)
            return ["reviews": String(reviews), "expired": String(expired)]
        }
    }
}
