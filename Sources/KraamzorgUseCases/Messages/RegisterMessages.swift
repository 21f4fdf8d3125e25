import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// The quality register's emails (Dutch: the practitioners and the register's staff are Dutch).
public enum RegisterMessages {
    // MARK: review outcome

    /// To her, when the reviewer asks for information about her submission: the reviewer's question, and what
    /// it means for her (no reminders meanwhile; she answers by completing and submitting again).
    public static func infoRequested(_ practitioner: PractitionerRecord, period: RegistrationPeriod, question: String) -> Message {
        Message(
            subject: "Vraag over uw aanmelding voor herregistratie",
            body: """
                Beste \(practitioner.firstName),

                Het Kwaliteitsregister beoordeelt uw aanmelding voor herregistratie (\(practitioner.registrationNumber), registratieperiode tot en met \(period.effectiveEndDate.iso)) en heeft eerst een vraag:

                \(question)

                Vul uw dossier aan of stuur wat gevraagd wordt, en meld het daarna opnieuw aan. Tot het besluit krijgt u van ons geen herinneringen over deze periode.
                """)
    }

    /// To her, when the register refuses her re-registration: the reason, what it means, and what she can do.
    public static func refused(_ practitioner: PractitionerRecord, period: RegistrationPeriod, reason: String) -> Message {
        Message(
            subject: "Uw herregistratie is afgewezen",
            body: """
                Beste \(practitioner.firstName),

                Het Kwaliteitsregister heeft uw aanmelding voor herregistratie (\(practitioner.registrationNumber)) afgewezen. De reden:

                \(reason)

                Uw registratie loopt tot en met \(period.effectiveEndDate.iso); daarna staat u niet meer ingeschreven. De volgende registratieperiode gaat niet in.
                U kunt nog uitstel aanvragen, of u later opnieuw inschrijven als eerste registratie.
                """)
    }

    /// To her, when her re-registration is approved: until when, and her new certificate.
    public static func approved(_ practitioner: PractitionerRecord, certificate: CertificateRecord) -> Message {
        Message(
            subject: "Uw herregistratie is goedgekeurd",
            body: """
                Beste \(practitioner.firstName),

                Uw herregistratie is goedgekeurd. U staat ingeschreven tot en met \(certificate.validUntil.iso).
                Uw certificaat (\(practitioner.registrationNumber)) heeft verificatiecode \(certificate.verificationCode).\(certificate.annotations.isEmpty ? "" : "\nAantekeningen: \(certificate.annotations.joined(separator: ", ")).")
                """)
    }

    // MARK: reminders

    /// Before her period ends (DOMAIN §2): when it ends and, when her norm is known, what is still red.
    public static func reminder(_ kind: Reminder.Kind, to practitioner: PractitionerRecord, period: RegistrationPeriod, dossier: Dossier?)
        -> Message
    {
        let subject: String
        switch kind {
        case .threeMonths: subject = "Over drie maanden loopt uw registratie af"
        case .eightWeeks: subject = "Over acht weken loopt uw registratie af"
        case .oneDay: subject = "Morgen loopt uw registratie af"
        }
        var body = "Beste \(practitioner.firstName),\n\n"
        body += "Uw registratieperiode (\(practitioner.registrationNumber)) loopt af op \(period.effectiveEndDate.iso). "
        if let dossier { body += dossierState(dossier) }
        return Message(subject: subject, body: body)
    }

    /// Complete, or each need still open with up to three agenda courses that would help.
    static func dossierState(_ d: Dossier) -> String {
        if d.complete {
            return "Uw dossier is compleet: u kunt het nu aanmelden voor herregistratie.\n"
        }
        var s = "Uw dossier is nog niet compleet. Nog open:\n"
        for n in d.needs {
            var line = "- "
            switch n.kind {
            case .categoryPoints: line += "categorie \(n.category ?? ""): nog \(n.pointsShort?.description ?? "") punten"
            case .subjectCompletions:
                line += "onderwerp \(n.subject ?? "") (categorie \(n.category ?? "")): nog \(n.completionsShort ?? 0) keer"
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

    // MARK: her standing in words

    /// Where she stands in the register, in a sentence for her own dossier (DOMAIN §2a).
    public static func standingSentence(_ d: StandingDecision) -> String {
        switch d.standing {
        case .registered:
            if let until = d.registeredUntil { return "U staat ingeschreven tot en met \(dutch(until))." }
            return "U staat ingeschreven."
        case .reviewPending:
            return "Uw herregistratie wordt beoordeeld; u blijft ingeschreven tot het besluit."
        case .notRegistered:
            return "U staat op deze datum niet ingeschreven in het Kwaliteitsregister."
        case .struckOff:
            return "Uw inschrijving is doorgehaald; u staat niet meer ingeschreven."
        case .deregistered:
            return "U heeft zich uitgeschreven; u staat niet meer ingeschreven."
        }
    }

    /// `31-03-2027`: how a Dutch reader writes a date.
    static func dutch(_ d: CivilDate) -> String {
        let c = d.components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(c.day))-\(two(c.month))-\(c.year)"
    }

    // MARK: the admins' overdue list

    /// To the register's admins: submissions waiting more than 14 days for a review, and expired periods
    /// without a submission (they decide on striking off).
    public static func overdue(on today: CivilDate, reviews: [RegisterNotices.OverdueItem], expired: [RegisterNotices.OverdueItem])
        -> Message
    {
        var body = "Overzicht van \(today.iso).\n\n"
        body += "Aanmeldingen langer dan 14 dagen zonder beoordeling (\(reviews.count)):\n"
        body +=
            reviews.isEmpty ? "(geen)\n" : reviews.map { "- \($0.registrationNumber) \($0.name), aangemeld op \($0.date.iso)\n" }.joined()
        body += "\nVerlopen periodes zonder aanmelding (\(expired.count)); besluit over doorhalen:\n"
        body +=
            expired.isEmpty ? "(geen)\n" : expired.map { "- \($0.registrationNumber) \($0.name), verlopen op \($0.date.iso)\n" }.joined()
        return Message(subject: "Te late beoordelingen en verlopen periodes (\(reviews.count + expired.count))", body: body)
    }
}
