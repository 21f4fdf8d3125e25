import KraamzorgRules

/// Small factories for register fixtures; every test states only what it is about.
enum Fx {
    static func line(_ norm: String, _ category: String, _ subject: String? = nil, _ points: Points)
        -> AccreditationLine
    {
        AccreditationLine(norm: norm, category: category, subject: subject, points: points)
    }

    static func completion(
        _ course: String, on date: CivilDate, _ lines: [AccreditationLine],
        id: String? = nil, recordedAt: CivilDate? = nil, withdrawn: Bool = false
    ) -> Completion {
        Completion(
            id: id ?? "c-\(course)-\(date.iso)", courseId: course, courseTitle: "Course \(course)",
            completedOn: date, recordedAt: recordedAt, withdrawn: withdrawn, lines: lines)
    }

    /// Norm 2023 period 2023-06-01 … 2027-05-31.
    static let period2023 = RegistrationPeriod(id: "p2023", startDate: CivilDate(2023, 6, 1), normCode: "2023")
    /// Norm 2019 period 2020-01-01 … 2023-12-31.
    static let period2019 = RegistrationPeriod(id: "p2019", startDate: CivilDate(2020, 1, 1), normCode: "2019")

    static func certificate(covering period: RegistrationPeriod, status: EhboCertificate.Status = .approved)
        -> EhboCertificate
    {
        EhboCertificate(
            id: "e1", obtainedOn: period.startDate.adding(days: -10),
            validUntil: period.effectiveEndDate.adding(days: 10), status: status)
    }

    /// A complete norm-2023 dossier: A 16 (every subject), B 15 (every subject), C 9 (3 courses), D 8. Total 48.
    static func complete2023(from start: CivilDate = period2023.startDate) -> [Completion] {
        var list: [Completion] = []
        var day = 10
        func add(_ course: String, _ category: String, _ subject: String?, _ points: Points) {
            list.append(
                completion(
                    course, on: start.adding(days: day),
                    [line("2023", category, subject, points), line("2019", "C", nil, points)]))
            day += 7
        }
        for s in [
            "ehbo-theorie", "ehbo-theorie", "ehbo-praktijk", "ehbo-praktijk", "reanimatie-theorie",
            "reanimatie-praktijk", "acute-situaties-theorie", "acute-situaties-praktijk",
        ] {
            add("A-\(s)", "A", s, 2)
        }
        for s in [
            "borstvoeding", "borstvoeding", "verdieping-kraamzorg", "risicovolle-situaties",
            "voorlichting-instructie",
        ] {
            add("B-\(s)", "B", s, 3)
        }
        for c in ["C1", "C2", "C3"] { add(c, "C", nil, 3) }
        add("D1", "D", "kennisoverdracht", 4)
        add("D2", "D", nil, 4)
        return list
    }

    /// A complete norm-2019 dossier: A 24 (every subject), B 10, C 10. Total 44.
    static func complete2019(from start: CivilDate = period2019.startDate) -> [Completion] {
        var list: [Completion] = []
        var day = 10
        func add(_ course: String, _ category: String, _ subject: String?, _ points: Points) {
            list.append(
                completion(
                    course, on: start.adding(days: day),
                    [line("2019", category, subject, points), line("2023", "D", nil, points)]))
            day += 7
        }
        for s in [
            "voeding-verdieping", "kinder-ehbo", "reanimatie", "fysiologie-baring", "fysiologie-kraambed",
            "vroegsignalering",
        ] {
            add("A-\(s)", "A", s, 4)
        }
        add("B1", "B", nil, 5)
        add("B2", "B", nil, 5)
        add("C1", "C", nil, 5)
        add("C2", "C", nil, 5)
        return list
    }

    static func evaluate2023(
        _ completions: [Completion], period: RegistrationPeriod = period2023,
        certificates: [EhboCertificate]? = nil, asOf: CivilDate? = nil,
        agenda: [AgendaCourse] = []
    ) -> Dossier {
        DossierEvaluator.evaluate(
            norm: .seeded2023, period: period, completions: completions,
            ehboCertificates: certificates ?? [certificate(covering: period)],
            asOf: asOf ?? period.effectiveEndDate, agenda: agenda)
    }

    static func evaluate2019(
        _ completions: [Completion], period: RegistrationPeriod = period2019,
        asOf: CivilDate? = nil
    ) -> Dossier {
        DossierEvaluator.evaluate(
            norm: .seeded2019, period: period, completions: completions,
            asOf: asOf ?? period.effectiveEndDate)
    }

    /// Removes the first completion whose course matches.
    static func without(_ course: String, _ list: [Completion]) -> [Completion] {
        var copy = list
        if let i = copy.firstIndex(where: { $0.courseId == course }) { copy.remove(at: i) }
        return copy
    }
}
