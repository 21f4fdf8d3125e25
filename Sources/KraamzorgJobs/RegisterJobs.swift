#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// The register's scheduled notices (DOMAIN.md §2).
public enum RegisterJobs {
    /// A reminder whose day was missed (the service was down) is still sent within this many days.
    public static let catchUpDays = 7

    /// Reminders at effective end − 3 months, − 8 weeks and − 1 day, once per period and kind, not for
    /// submitted or approved periods: what is still red, and courses on the agenda that would close it.
    public static func reminders(register: RegisterStore) -> Job {
        Job(name: "reminders", period: Job.daily) { conn, now in
            let today = Job.civilDay(now)
            let catalog = try await register.normCatalog()
            // Read and evaluate first, write at the end (see JobRuns: hold a transaction id only briefly).
            var outgoing: [(periodId: UUID, due: [Reminder], email: String, subject: String, body: String)] = []
            for c in try await RegisterNotices.reminderCandidates(today: today, catchUpDays: catchUpDays, on: conn) {
                guard let practitioner = try await register.practitioner(id: c.practitionerId),
                      let record = try await register.periods(practitionerId: c.practitionerId).first(where: { $0.id == c.periodId }) else { continue }
                let due = record.period.reminders.filter { $0.date <= today && $0.date > today.adding(days: -catchUpDays) }
                // Only the latest one due: after a gap, one message rather than three.
                guard let reminder = due.max(by: { $0.date < $1.date }),
                      !(try await RegisterNotices.reminderSent(periodId: record.id, kind: reminder.kind.rawValue, on: conn)) else { continue }
                var body = "Beste \(practitioner.firstName),\n\n"
                body += "Uw registratieperiode (\(practitioner.registrationNumber)) loopt af op \(record.period.effectiveEndDate.iso). "
                if let norm = catalog.norm(code: record.period.normCode) {
                    let inputs = try await register.dossierInputs(practitionerId: c.practitionerId, period: record.period)
                    let agenda = try await register.agendaCourses(norm: norm.code, from: today, through: record.period.effectiveEndDate)
                    let dossier = DossierEvaluator.evaluate(norm: norm, period: record.period, completions: inputs.completions,
                                                            ehboCertificates: inputs.ehbo, careHours: inputs.careHours, asOf: today, agenda: agenda)
                    body += text(dossier)
                }
                let subject: String
                switch reminder.kind {
                case .threeMonths: subject = "Over drie maanden loopt uw registratie af"
                case .eightWeeks: subject = "Over acht weken loopt uw registratie af"
                case .oneDay: subject = "Morgen loopt uw registratie af"
                }
                // The due kinds are all done with this one message.
                outgoing.append((record.id, due.sorted { $0.date > $1.date }, practitioner.email, subject, body))
            }
            var sent = 0
            for m in outgoing {
                guard let latest = m.due.first,
                      try await RegisterNotices.claimReminder(periodId: m.periodId, kind: latest.kind.rawValue, dueOn: latest.date, on: conn) else { continue }
                for earlier in m.due.dropFirst() {
                    _ = try await RegisterNotices.claimReminder(periodId: m.periodId, kind: earlier.kind.rawValue, dueOn: earlier.date, on: conn)
                }
                try await Outbox.enqueue(.reminder, to: m.email, clientId: nil, subject: m.subject, body: m.body, on: conn)
                sent += 1
            }
            return ["sent": String(sent)]
        }
    }

    static func text(_ d: Dossier) -> String {
        if d.complete {
            return "Uw dossier is compleet: u kunt het nu aanmelden voor herregistratie.\n"
        }
        var s = "Uw dossier is nog niet compleet. Nog open:\n"
        for n in d.needs {
            var line = "- "
            switch n.kind {
            case .categoryPoints: line += "categorie \(n.category ?? ""): nog \(n.pointsShort?.description ?? "") punten"
            case .subjectCompletions: line += "onderwerp \(n.subject ?? "") (categorie \(n.category ?? "")): nog \(n.completionsShort ?? 0) keer"
            case .distinctCourses: line += "categorie \(n.category ?? ""): nog \(n.coursesShort ?? 0) verschillende scholingen"
            case .totalPoints: line += "totaal: nog \(n.pointsShort?.description ?? "") punten"
            case .ehboCertificate: line += "een geldig EHBO-certificaat"
            }
            s += line + "\n"
            for course in n.suggestedCourses.prefix(3) {
                s += "    bijvoorbeeld: \(course.title) op \(course.startDate.iso) (\(course.points.description) punten)\n"
            }
        }
        return s
    }

    /// Overdue reviews (submitted more than 14 days ago) and expired unsubmitted periods, to the admins;
    /// nothing when both lists are empty.
    public static func overdueReviews() -> Job {
        Job(name: "overdue-reviews", period: Job.daily) { conn, now in
            let today = Job.civilDay(now)
            let (reviews, expired) = try await RegisterNotices.overdue(today: today, on: conn)
            guard !(reviews.isEmpty && expired.isEmpty), let register = try await RegisterNotices.registerOrganization(on: conn) else {
                return ["reviews": String(reviews.count), "expired": String(expired.count)]
            }
            var body = "Overzicht van \(today.iso).\n\n"
            body += "Aanmeldingen langer dan 14 dagen zonder beoordeling (\(reviews.count)):\n"
            body += reviews.isEmpty ? "(geen)\n" : reviews.map { "- \($0)\n" }.joined()
            body += "\nVerlopen periodes zonder aanmelding (\(expired.count)); besluit over doorhalen:\n"
            body += expired.isEmpty ? "(geen)\n" : expired.map { "- \($0)\n" }.joined()
            try await Outbox.enqueueToOrganizations(.overdueReviews, [register], clientId: nil,
                                                    subject: "Te late beoordelingen en verlopen periodes (\(reviews.count + expired.count))",
                                                    body: body, on: conn)
            return ["reviews": String(reviews.count), "expired": String(expired.count)]
        }
    }
}
