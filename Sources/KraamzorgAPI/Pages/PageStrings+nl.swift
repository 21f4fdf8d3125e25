import FoundationEssentials
import KraamzorgRules
import KraamzorgUseCases

// Alle teksten van de cliëntpagina's in het Nederlands (taalniveau B1: korte zinnen, gewone woorden, "u").
extension PageStrings {
    static let nl = PageStrings(
        code: "nl",
        siteName: "Wachtlijst kraamzorg",
        otherLanguageCode: "en",
        otherLanguageName: "English",
        months: [
            "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december",
        ],
        errorSummaryTitle: "Er gaat iets nog niet goed. Kijk naar deze punten:",
        fieldError: { "Fout: \($0)" },

        linkUnknownTitle: "Deze link werkt niet",
        linkUnknownText:
            "We kunnen deze link niet vinden. Misschien is de link niet helemaal goed overgenomen. Gebruik de hele link uit uw e-mail.",
        invitationExpiredTitle: "Deze uitnodiging is verlopen",
        invitationExpiredText: "Een uitnodiging is 14 dagen geldig. Deze termijn is voorbij.",
        invitationUsedTitle: "Deze uitnodiging is al gebruikt",
        invitationUsedText:
            "Met deze uitnodiging is al een aanmelding gedaan. In de bevestiging per e-mail staat uw persoonlijke link. Daarmee ziet u hoe het met uw aanmelding staat.",
        clientLinkExpiredTitle: "Deze link is verlopen",
        clientLinkExpiredText:
            "Uw persoonlijke link werkt niet meer. Een link is geldig tot 90 dagen na de uitgerekende datum, of tot 30 dagen na afmelden.",
        formTokenTitle: "Dit formulier is niet meer geldig",
        formTokenText: "We hebben niets veranderd. Open de link uit uw e-mail opnieuw en probeer het nog een keer.",
        unsupportedFormTitle: "Dit formulier kunnen we niet lezen",
        unsupportedFormText: "We hebben niets veranderd. Open de link uit uw e-mail opnieuw en vul het formulier daar in.",
        serverErrorTitle: "Er ging iets mis",
        serverErrorText: "Het lukt nu even niet. Probeer het over een paar minuten opnieuw.",
        whatNow:
            "Lukt het niet? Neem dan contact op met uw zorgverzekeraar. Die kan u verder helpen en zo nodig een nieuwe uitnodiging sturen.",

        invitationTitle: "Aanmelden voor de wachtlijst kraamzorg",
        invitationIntro: { "U bent uitgenodigd voor de wachtlijst \($0) in regio \($1)." },
        invitationWhy:
            "In uw regio is er nu niet genoeg kraamzorg. Op de wachtlijst zoeken de kraamzorgaanbieders uit uw regio een plek voor u. Vul hieronder uw gegevens in en geef toestemming. Dan zetten we u op de wachtlijst.",
        invitationValidUntil: { "Deze uitnodiging is geldig tot \($0)." },
        detailsLegend: "Uw gegevens",
        firstName: "Voornaam",
        lastName: "Achternaam",
        phone: "Telefoonnummer",
        phoneHint: "Bijvoorbeeld 06 12345678",
        postcode: "Postcode",
        postcodeHint: "Bijvoorbeeld 1234 AB",
        dueDate: "Uitgerekende datum",
        dueDateHint: "Deze datum kregen we van uw zorgverzekeraar. Klopt hij niet? Pas hem dan aan.",
        dateHint: "Schrijf de datum zo: dag-maand-jaar, bijvoorbeeld 15-03-2026.",
        providersLegend: "Voorkeur voor een kraamzorgaanbieder (niet verplicht)",
        providersHint: "Kies er een, meer of geen. De aanbieder die u inschrijft, laat het u weten.",
        consentLegend: "Toestemming",
        consentText: Consent.text,  // the versioned text she agrees to
        consentRetention:
            "Hoe lang bewaren we uw gegevens? Tot zes maanden na de uitgerekende datum. Dan wissen we uw naam, e-mailadres, telefoonnummer en postcode. Meldt u zich eerder af? Dan wissen we ze meteen.",
        consentCheckbox: "Ik heb de tekst over toestemming gelezen. Ik geef toestemming.",
        acceptButton: "Zet mij op de wachtlijst",
        required: "Vul dit in.",
        nameInvalid: "Gebruik hooguit 200 tekens, zonder speciale tekens.",
        phoneInvalid: "Vul een telefoonnummer in, bijvoorbeeld 06 12345678.",
        postcodeInvalid: "Vul een postcode in met 4 cijfers en 2 letters, bijvoorbeeld 1234 AB.",
        dateInvalid: "Vul een datum in als dag-maand-jaar, bijvoorbeeld 15-03-2026.",
        consentMissing: "Zet een vinkje om toestemming te geven. Zonder uw toestemming kunnen we u niet op de wachtlijst zetten.",
        consentChanged: "De tekst over toestemming is net veranderd. Lees hem opnieuw en zet opnieuw een vinkje.",
        providersInvalid: "Kies alleen kraamzorgaanbieders uit de lijst.",
        waitlistClosed: "Deze wachtlijst is inmiddels gesloten. Neem contact op met uw zorgverzekeraar.",
        dueDateOutside:
            "Met deze uitgerekende datum hoort u niet bij deze wachtlijst. Klopt de datum? Neem dan contact op met uw zorgverzekeraar.",
        postcodeOutside:
            "Deze postcode ligt niet in de regio van deze wachtlijst. Klopt de postcode? Neem dan contact op met uw zorgverzekeraar.",

        confirmedTitle: "U staat op de wachtlijst",
        confirmedText: {
            "Gelukt. U staat op de wachtlijst \($0) in regio \($1). Zodra een kraamzorgaanbieder u inschrijft, krijgt u een e-mail."
        },
        personalLinkHeading: "Uw persoonlijke link",
        personalLinkText:
            "Bewaar deze link goed. U krijgt hem ook per e-mail. Met deze link ziet u hoe het met uw aanmelding staat. U kunt er ook een geboorte mee melden, u afmelden en zien wie uw gegevens heeft bekeken.",
        qaHeading: "Vragen en antwoorden",

        statusTitle: "Uw aanmelding voor kraamzorg",
        statusHeading: "Hoe staat het ervoor?",
        statusName: { status, urgent in
            switch status {
            case .waiting: urgent ? "Wachtend, met voorrang" : "Wachtend"
            case .enrolled: "Ingeschreven"
            case .birthReported: "Urgent: bevallen"
            case .withdrawn: "Afgemeld"
            case .invited: "Uitgenodigd"
            }
        },
        statusWaiting:
            "U staat op de wachtlijst. Er is nog geen kraamzorgaanbieder voor u. Zodra een aanbieder u inschrijft, krijgt u een e-mail.",
        statusWaitingUrgent: { "U staat op de wachtlijst. U bent nu \($0) weken zwanger. Daarom krijgt u voorrang." },
        statusEnrolled: { "U bent ingeschreven bij \($0). Deze kraamzorgaanbieder neemt contact met u op." },
        statusEnrolledContact: "Wilt u zelf contact opnemen? Op de website van de aanbieder staan het telefoonnummer en het e-mailadres.",
        statusBirthReported: {
            "U hebt gemeld dat uw kind is geboren op \($0). Dat is urgent. De coördinator en de kraamzorgaanbieders in uw regio weten het. Zij zoeken zo snel mogelijk kraamzorg voor u."
        },
        statusWithdrawn:
            "U bent afgemeld. U staat niet meer op de wachtlijst. Uw toestemming is ingetrokken en uw persoonlijke gegevens zijn gewist.",
        statusInvited: "U bent nog niet aangemeld.",
        detailsHeading: "Uw gegevens",
        waitlistLabel: "Wachtlijst",
        regionLabel: "Regio",
        pregnancyWeekLabel: "Zwangerschapsweek",
        clientNumberLabel: "Cliëntnummer",
        nameLabel: "Naam",
        emailLabel: "E-mailadres",
        birthHeading: "Is uw kind al geboren?",
        birthText: "Hebt u nog geen kraamzorgaanbieder en is uw kind al geboren? Meld het hier. Dan krijgt u meteen voorrang.",
        bornOn: "Geboortedatum",
        birthButton: "Geboorte melden",
        bornOnFuture: "Deze datum ligt in de toekomst. Vul de datum van de geboorte in.",
        birthSaved: "Dank u. We hebben de geboorte doorgegeven.",
        withdrawHeading: "Afmelden",
        withdrawText:
            "Wilt u niet meer op de wachtlijst staan? Dan kunt u zich afmelden. Uw toestemming stopt dan en we wissen uw persoonlijke gegevens.",
        withdrawLink: "Ik wil mij afmelden",
        withdrawConfirmTitle: "Weet u zeker dat u zich wilt afmelden?",
        withdrawConfirmText:
            "Als u zich afmeldt, staat u niet meer op de wachtlijst. Uw toestemming stopt en we wissen uw persoonlijke gegevens. Dit kunt u niet terugdraaien.",
        reason: "Reden (niet verplicht)",
        reasonTooLong: "Gebruik hooguit 1000 tekens.",
        withdrawButton: "Ja, meld mij af",
        cancelLink: "Nee, ga terug",
        withdrawSaved: "U bent afgemeld.",
        notPossibleNow: "Dit kan nu niet meer. Kijk hieronder hoe het met uw aanmelding staat.",
        accessHeading: "Wie heeft uw gegevens bekeken?",
        accessIntro:
            "Hier ziet u wie uw gegevens heeft gemaakt, bekeken of veranderd. Het nieuwste staat bovenaan; uw eigen bezoeken staan er niet bij.",
        accessEmpty: "Nog niemand.",
        accessWhen: "Wanneer",
        accessOrganization: "Organisatie",
        accessRole: "Rol",
        accessAction: "Wat",
        roleName: { role in
            switch role {
            case "client": "cliënt, via de persoonlijke link"
            case "admin": "beheerder"
            case "coordinator": "coördinator"
            case "insurer": "zorgverzekeraar"
            case "careProvider": "kraamzorgaanbieder"
            case "practitioner": "kraamverzorgende"
            case "courseProvider": "opleider"
            case nil, "system": "automatisch"
            case let other?: other
            }
        },
        actionName: { action in
            switch action {
            case "create": "aangemaakt"
            case "read": "bekeken"
            case "update": "veranderd"
            case "delete": "gewist"
            case "search": "gezocht in een lijst"
            case "export": "geëxporteerd"
            default: action
            }
        },
        yourself: "U zelf",
        systemName: "Het systeem"
    )
}
