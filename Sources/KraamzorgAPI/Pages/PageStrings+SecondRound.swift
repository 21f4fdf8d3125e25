import FoundationEssentials

/// The texts the second round added to the client pages (DOMAIN §7a): who sends the page, how to reach a person,
/// the privacy link, dates in three fields, the birth report's confirmation and undo, her corrections, the
/// provider's contact. One instance per language; `s.more` picks the page's language.
struct MorePageStrings: Sendable {
    let senderLine: @Sendable (_ region: String, _ insurer: String) -> String
    let contactHeading: String
    let contactIntro: String
    let contactNoCoordinators: String
    let contactPhone: String
    let contactEmail: String
    let contactWebsite: String
    let privacyLink: String
    let day: String
    let month: String
    let year: String
    let dateExample: String
    let birthConfirmTitle: String
    let birthConfirmText: @Sendable (_ date: String) -> String
    let birthConfirmButton: String
    let birthConfirmBack: String
    let birthUndoHeading: String
    let birthUndoText: @Sendable (_ deadline: String) -> String
    let birthUndoButton: String
    let birthUndoLate: String
    let birthUndone: String
    let correctHeading: String
    let correctText: String
    let correctButton: String
    let correctSaved: String
    let dueDateOutsideCorrection: @Sendable (_ from: String, _ to: String) -> String
    let providerContactIntro: @Sendable (_ provider: String) -> String
    let providerContactMissing: String

    static let nl = MorePageStrings(
        senderLine: { "Regio \($0) · uitgenodigd door \($1)" },
        contactHeading: "Contact",
        contactIntro: "Hebt u een vraag? Neem contact op met de coördinator van uw regio:",
        contactNoCoordinators: "Hebt u een vraag? Neem contact op met uw zorgverzekeraar.",
        contactPhone: "Telefoon",
        contactEmail: "E-mail",
        contactWebsite: "Website",
        privacyLink: "Privacyverklaring: welke gegevens we bewaren en waarom",
        day: "Dag",
        month: "Maand",
        year: "Jaar",
        dateExample: "Bijvoorbeeld: 15 3 2027",
        birthConfirmTitle: "Klopt dit?",
        birthConfirmText: { "U meldt dat uw kind is geboren op \($0)." },
        birthConfirmButton: "Ja, dit klopt",
        birthConfirmBack: "Nee, ik wil de datum aanpassen",
        birthUndoHeading: "Geboortemelding intrekken",
        birthUndoText: { "Hebt u de geboorte per ongeluk gemeld, of klopt de datum niet? U kunt de melding intrekken tot \($0)." },
        birthUndoButton: "Melding intrekken",
        birthUndoLate:
            "U hebt de geboorte meer dan 24 uur geleden gemeld. Klopt er iets niet? Neem dan contact op met de coördinator van uw regio. Die kan het aanpassen.",
        birthUndone: "We hebben de geboortemelding ingetrokken. U staat weer gewoon op de wachtlijst.",
        correctHeading: "Gegevens wijzigen",
        correctText: "Is uw telefoonnummer veranderd, of hebt u een nieuwe uitgerekende datum? Pas het hier aan.",
        correctButton: "Wijzigingen opslaan",
        correctSaved: "We hebben uw gegevens aangepast.",
        dueDateOutsideCorrection: {
            "Deze datum valt buiten deze wachtlijst (van \($0) tot en met \($1)). We hebben niets veranderd. De coördinator van uw regio heeft een bericht gekregen en neemt zo nodig contact met u op."
        },
        providerContactIntro: { "Wilt u zelf contact opnemen met \($0)? Dat kan zo:" },
        providerContactMissing: "Wilt u zelf contact opnemen? Vraag dan de coördinator van uw regio om de gegevens."
    )

    static let en = MorePageStrings(
        senderLine: { "Region \($0) · invited by \($1)" },
        contactHeading: "Contact",
        contactIntro: "Do you have a question? Contact your region's coordinator:",
        contactNoCoordinators: "Do you have a question? Contact your health insurer.",
        contactPhone: "Phone",
        contactEmail: "Email",
        contactWebsite: "Website",
        privacyLink: "Privacy statement: which details we keep and why",
        day: "Day",
        month: "Month",
        year: "Year",
        dateExample: "For example: 15 3 2027",
        birthConfirmTitle: "Is this correct?",
        birthConfirmText: { "You report that your baby was born on \($0)." },
        birthConfirmButton: "Yes, this is correct",
        birthConfirmBack: "No, I want to change the date",
        birthUndoHeading: "Take back the birth report",
        birthUndoText: { "Did you report the birth by mistake, or is the date wrong? You can take the report back until \($0)." },
        birthUndoButton: "Take back the report",
        birthUndoLate:
            "You reported the birth more than 24 hours ago. Is something wrong? Please contact your region's coordinator, who can correct it.",
        birthUndone: "We took back the birth report. You are on the waitlist as before.",
        correctHeading: "Change your details",
        correctText: "Has your phone number changed, or do you have a new due date? Change it here.",
        correctButton: "Save changes",
        correctSaved: "We have changed your details.",
        dueDateOutsideCorrection: {
            "This date is outside this waitlist (from \($0) up to and including \($1)). Nothing was changed. Your region's coordinator has been told and will contact you if needed."
        },
        providerContactIntro: { "Do you want to contact \($0) yourself? You can:" },
        providerContactMissing: "Do you want to contact them yourself? Please ask your region's coordinator for their details."
    )
}

extension PageStrings {
    /// The second round's texts in this page's language.
    var more: MorePageStrings { code == "en" ? .en : .nl }
}
