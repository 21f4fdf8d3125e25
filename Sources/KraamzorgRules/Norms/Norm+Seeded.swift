extension Norm {
    /// Norm 2023 exactly as DOMAIN §4 (registration dates from 2023-04-01).
    public static let seeded2023 = Norm(
        code: "2023", version: 1, appliesFrom: CivilDate(2023, 4, 1), minTotalPoints: 40,
        ehboCertificateRequired: true, careHoursPerYear: 200,
        categories: [
            NormCategory(
                code: "A", name: "Vaardigheidstrainingen", minPoints: 12,
                subjects: [
                    NormSubject(code: "ehbo-theorie", name: "EHBO kinderen, theorie", minCompletions: 2),
                    NormSubject(
                        code: "ehbo-praktijk",
                        name: "EHBO kinderen, praktische en communicatieve vaardigheden", minCompletions: 2),
                    NormSubject(
                        code: "reanimatie-theorie",
                        name: "Baby-, kinder- en volwassenenreanimatie, theorie", minCompletions: 1),
                    NormSubject(
                        code: "reanimatie-praktijk",
                        name: "Reanimatie, praktische en communicatieve vaardigheden", minCompletions: 1),
                    NormSubject(
                        code: "acute-situaties-theorie",
                        name: "Acute situaties in het kraambed, fysiologie en pathologie", minCompletions: 1),
                    NormSubject(
                        code: "acute-situaties-praktijk",
                        name: "Acute situaties, praktische en communicatieve vaardigheden", minCompletions: 1),
                ]),
            NormCategory(
                code: "B", name: "Inhoudelijke vakkennis", minPoints: 12,
                subjects: [
                    NormSubject(code: "borstvoeding", name: "Borstvoeding pasgeborene (incl. WHO-code)", minCompletions: 2),
                    NormSubject(
                        code: "verdieping-kraamzorg", name: "Verdieping inhoudelijke kennis kraamzorg",
                        minCompletions: 1),
                    NormSubject(
                        code: "risicovolle-situaties",
                        name: "Signaleren van en handelen bij risicovolle situaties", minCompletions: 1),
                    NormSubject(code: "voorlichting-instructie", name: "Voorlichting en instructie", minCompletions: 1),
                    NormSubject(code: "kunstvoeding", name: "Kunstvoeding", minCompletions: 0),
                ]),
            NormCategory(code: "C", name: "Ondersteunende vakkennis", minPoints: 8, minDistinctCourses: 3),
            NormCategory(
                code: "D", name: "Verdieping en algemene onderwerpen", minPoints: 8,
                subjects: [
                    NormSubject(code: "partusassistentie", name: "Verdieping partusassistentie"),
                    NormSubject(
                        code: "verpleegtechnisch",
                        name: "Verdieping verpleegtechnische handelingen en vaardigheden"),
                    NormSubject(code: "kennisoverdracht", name: "Kennisoverdracht in grote groepen"),
                ],
                annotations: [
                    NormAnnotation(subject: "partusassistentie", minPoints: 8, label: "Verdieping partusassistentie"),
                    NormAnnotation(
                        subject: "verpleegtechnisch", minPoints: 8,
                        label: "Verdieping verpleegtechnische handelingen en vaardigheden"),
                ]),
        ])

    /// Norm 2019 exactly as DOMAIN §4 (registration dates 2019-04-01 up to 2023-04-01); B has no subjects seeded.
    public static let seeded2019 = Norm(
        code: "2019", version: 1, appliesFrom: CivilDate(2019, 4, 1), minTotalPoints: 40,
        ehboCertificateRequired: false, careHoursPerYear: nil,
        categories: [
            NormCategory(
                code: "A", name: "Verplichte scholing volgens reglement/certificering", minPoints: 20,
                subjects: [
                    NormSubject(code: "voeding-verdieping", name: "(Borst)voeding verdieping", minCompletions: 1),
                    NormSubject(code: "kinder-ehbo", name: "Kinder-EHBO herhaling", minCompletions: 1),
                    NormSubject(code: "reanimatie", name: "Reanimatie kind en volwassene", minCompletions: 1),
                    NormSubject(
                        code: "fysiologie-baring", name: "Fysiologie en pathologie van de baring",
                        minCompletions: 1),
                    NormSubject(
                        code: "fysiologie-kraambed", name: "Fysiologie en pathologie in het kraambed",
                        minCompletions: 1),
                    NormSubject(code: "vroegsignalering", name: "Vroegsignalering", minCompletions: 1),
                ]),
            NormCategory(code: "B", name: "Verplichte scholing op onderwerp", minPoints: 10),
            NormCategory(
                code: "C", name: "Verdieping", minPoints: 10,
                subjects: [
                    NormSubject(code: "basis-borstvoeding", name: "Basisscholing borstvoeding"),
                    NormSubject(code: "partusassistentie", name: "Verdieping partusassistentie"),
                    NormSubject(code: "verpleegtechnisch", name: "Verdieping verpleegtechnische handelingen"),
                ],
                annotations: [
                    NormAnnotation(subject: "partusassistentie", minPoints: 10, label: "Verdieping partusassistentie"),
                    NormAnnotation(
                        subject: "verpleegtechnisch", minPoints: 10,
                        label: "Verdieping verpleegtechnische handelingen"),
                ]),
        ])
}
