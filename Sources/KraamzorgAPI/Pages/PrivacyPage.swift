import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases

/// The privacy statement of the client pages (DOMAIN §7a, §8), public at `/privacy`, linked from every page's
/// footer. Generated from what the service keeps: the personal fields are those of `ClientPersonalData.places`
/// (the list erasure works from), the retention from `Retention`, who sees what from the visibility rules (§7).
enum PrivacyPage {
    static let path = "/privacy"

    /// What a column of `ClientPersonalData` holds, in her words; an unknown column is shown by its name, so a
    /// new one is never left out.
    static func label(_ s: PageStrings, table: String, column: String) -> String {
        let en = s.code == "en"
        switch (table, column) {
        case ("clients", "first_name"): return en ? "First name" : "Voornaam"
        case ("clients", "last_name"): return en ? "Last name" : "Achternaam"
        case ("clients", "email"): return en ? "Email address" : "E-mailadres"
        case ("clients", "phone"): return en ? "Phone number" : "Telefoonnummer"
        case ("clients", "postcode"): return en ? "Postcode" : "Postcode"
        case ("clients", "withdrawal_reason"):
            return en ? "The reason you withdrew, if you gave one" : "De reden van afmelden, als u die hebt gegeven"
        case ("notifications", "recipient"): return en ? "The address of emails to you" : "Het adres van e-mails aan u"
        case ("notifications", "subject"), ("notifications", "body"):
            return en ? "The text of emails to you" : "De tekst van e-mails aan u"
        case ("notifications", "link"):
            return en ? "Your personal link in an email not yet sent" : "Uw persoonlijke link in een e-mail die nog niet verstuurd is"
        case ("notifications", "last_error"):
            return en ? "Why an email to you could not be sent" : "Waarom een e-mail aan u niet verstuurd kon worden"
        case ("events", "data"):
            return en
                ? "Details of changes sent to the systems of organisations (such as a birth date)"
                : "Gegevens in berichten aan de systemen van organisaties (zoals een geboortedatum)"
        default: return "\(table).\(column)"
        }
    }

    /// Every personal field, once, in the order of `ClientPersonalData.places`.
    static func personalFields(_ s: PageStrings) -> [String] {
        var seen: Set<String> = []
        return ClientPersonalData.places.flatMap { place in place.columns.map { label(s, table: place.table, column: $0.name) } }
            .filter { seen.insert($0).inserted }
    }

    static func render(_ s: PageStrings) -> HTML {
        let t = s.code == "en" ? Texts.en : Texts.nl
        let fields = personalFields(s).map { f -> HTML in "<li>\(f)</li>\n" }
        let kept = t.keptFacts.map { f -> HTML in "<li>\(f)</li>\n" }
        let group1 = t.groupOneFields.map { f -> HTML in "<li>\(f)</li>\n" }
        let rights = t.rights.map { r -> HTML in "<li>\(r)</li>\n" }
        return PageTemplates.layout(
            s, title: t.title, switchPath: path,
            """
            <p>\(t.intro)</p>
            <h2 id="gegevens">\(t.fieldsHeading)</h2>
            <p>\(t.fieldsIntro)</p>
            <ul id="personal-fields">
            \(fields)</ul>
            <p>\(t.keptIntro)</p>
            <ul id="kept-facts">
            \(kept)</ul>
            <h2 id="doel">\(t.purposeHeading)</h2>
            <p>\(t.purpose)</p>
            <h2 id="bewaren">\(t.retentionHeading)</h2>
            <p id="retention">\(t.retention(Retention.monthsAfterDueDate))</p>
            <h2 id="wie">\(t.whoHeading)</h2>
            <p>\(t.whoIntro)</p>
            <ul>
            \(group1)</ul>
            <p>\(t.groupTwo)</p>
            <p>\(t.providers)</p>
            <p>\(t.coordinators)</p>
            <h2 id="rechten">\(t.rightsHeading)</h2>
            <ul id="rights">
            \(rights)</ul>
            <h2 id="logboek">\(t.logHeading)</h2>
            <p>\(t.log)</p>
            """)
    }

    struct Texts: Sendable {
        let title: String
        let intro: String
        let fieldsHeading: String
        let fieldsIntro: String
        let keptIntro: String
        let keptFacts: [String]
        let purposeHeading: String
        let purpose: String
        let retentionHeading: String
        let retention: @Sendable (_ months: Int) -> String
        let whoHeading: String
        let whoIntro: String
        let groupOneFields: [String]
        let groupTwo: String
        let providers: String
        let coordinators: String
        let rightsHeading: String
        let rights: [String]
        let logHeading: String
        let log: String

        static let nl = Texts(
            title: "Privacyverklaring wachtlijst kraamzorg",
            intro:
                "Op deze pagina leest u welke gegevens de wachtlijst kraamzorg over u bewaart, waarom, hoe lang, wie ze ziet en wat uw rechten zijn.",
            fieldsHeading: "Welke gegevens bewaren we?",
            fieldsIntro: "Deze persoonlijke gegevens bewaren we, en deze wissen we ook weer:",
            keptIntro:
                "Daarnaast bewaren we deze gegevens. Ze zeggen niet wie u bent, en we gebruiken ze om te tellen hoeveel cliënten er wachten:",
            keptFacts: [
                "Uw cliëntnummer bij uw zorgverzekeraar", "Uw postcodegebied (alleen de 4 cijfers)", "Uw uitgerekende datum",
                "De geboortedatum, als u die meldt", "Of u wacht, ingeschreven bent of bent afgemeld",
                "Wanneer u toestemming gaf, en voor welke tekst",
            ],
            purposeHeading: "Waarom?",
            purpose:
                "We gebruiken uw gegevens alleen om kraamzorg voor u te vinden: zodat een kraamzorgaanbieder uit uw regio u kan inschrijven en contact met u kan opnemen. We doen dit omdat u er toestemming voor gaf.",
            retentionHeading: "Hoe lang?",
            retention: {
                "We wissen uw persoonlijke gegevens \($0) maanden na uw uitgerekende datum. Meldt u zich eerder af? Dan wissen we ze meteen. We wissen ze overal waar ze staan, ook in e-mails aan u."
            },
            whoHeading: "Wie ziet wat?",
            whoIntro:
                "Medewerkers zonder toegang tot persoonsgegevens (AVG) zien alleen:",
            groupOneFields: ["De naam van de wachtlijst", "Uw cliëntnummer", "Uw uitgerekende datum", "Uw postcodegebied (4 cijfers)"],
            groupTwo:
                "Alleen medewerkers met toegang tot persoonsgegevens (AVG) zien ook uw naam, e-mailadres, telefoonnummer en volledige postcode.",
            providers:
                "Kraamzorgaanbieders in uw regio zien u op de wachtlijst zonder naam en contactgegevens. Alleen de aanbieder die u inschrijft, ziet ook uw naam en contactgegevens.",
            coordinators:
                "Uw zorgverzekeraar en de coördinatoren van uw regio zien uw gegevens, ieder volgens de eigen toegang.",
            rightsHeading: "Uw rechten",
            rights: [
                "Inzien: met uw persoonlijke link ziet u alle gegevens die we over u hebben.",
                "Verbeteren: uw telefoonnummer en uitgerekende datum past u zelf aan via uw persoonlijke link. Klopt er iets anders niet? Neem contact op met de coördinator van uw regio.",
                "Wissen en toestemming intrekken: meld u af via uw persoonlijke link. Dan stopt uw toestemming en wissen we uw persoonlijke gegevens meteen.",
            ],
            logHeading: "Wie heeft uw gegevens bekeken?",
            log:
                "Elke keer dat iemand uw gegevens maakt, bekijkt, verandert of wist, schrijven we dat op: wanneer, welke organisatie en welke rol. Die lijst ziet u zelf op de pagina van uw persoonlijke link. Die lijst bewaren we minstens 5 jaar en niemand kan hem veranderen."
        )

        static let en = Texts(
            title: "Privacy statement of the maternity care waitlist",
            intro:
                "This page explains which details the maternity care waitlist keeps about you, why, for how long, who sees them and what your rights are.",
            fieldsHeading: "Which details do we keep?",
            fieldsIntro: "We keep these personal details, and we erase them again:",
            keptIntro: "We also keep these details. They do not say who you are; we use them to count how many clients are waiting:",
            keptFacts: [
                "Your client number at your health insurer", "Your postcode area (only the 4 digits)", "Your due date",
                "The date of birth, if you report it", "Whether you are waiting, enrolled or withdrawn",
                "When you gave consent, and to which text",
            ],
            purposeHeading: "Why?",
            purpose:
                "We use your details only to find maternity care for you: so that a maternity care provider in your region can enrol you and contact you. We do this because you gave your consent.",
            retentionHeading: "How long?",
            retention: {
                "We erase your personal details \($0) months after your due date. If you withdraw earlier, we erase them at once, everywhere they are kept, including emails to you."
            },
            whoHeading: "Who sees what?",
            whoIntro: "Staff without access to personal data (GDPR) see only:",
            groupOneFields: ["The name of the waitlist", "Your client number", "Your due date", "Your postcode area (4 digits)"],
            groupTwo: "Only staff with access to personal data (GDPR) also see your name, email address, phone number and full postcode.",
            providers:
                "Maternity care providers in your region see you on the waitlist without your name and contact details. Only the provider that enrols you also sees your name and contact details.",
            coordinators: "Your health insurer and your region's coordinators see your details, each according to their own access.",
            rightsHeading: "Your rights",
            rights: [
                "Access: with your personal link you see all details we have about you.",
                "Correction: you change your phone number and due date yourself through your personal link. Is something else wrong? Contact your region's coordinator.",
                "Erasure and withdrawing consent: withdraw through your personal link. Your consent then stops and we erase your personal details at once.",
            ],
            logHeading: "Who looked at your details?",
            log:
                "Every time someone creates, views, changes or erases your details, we record it: when, which organisation and which role. You see that list yourself on the page of your personal link. We keep it for at least 5 years and nobody can change it."
        )
    }
}
