import FoundationEssentials
import KraamzorgRules

// Every text of the client pages in English (plain language).
extension PageStrings {
    static let en = PageStrings(
        code: "en",
        siteName: "Maternity care waitlist",
        otherLanguageCode: "nl",
        otherLanguageName: "Nederlands",
        months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        errorSummaryTitle: "Something is not right yet. Please check:",
        fieldError: { "Error: \($0)" },

        linkUnknownTitle: "This link does not work",
        linkUnknownText: "We cannot find this link. Perhaps it was not copied completely. Please use the whole link from your email.",
        invitationExpiredTitle: "This invitation has expired",
        invitationExpiredText: "An invitation is valid for 14 days. That time has passed.",
        invitationUsedTitle: "This invitation has already been used",
        invitationUsedText:
            "Someone already signed up with this invitation. The confirmation email contains your personal link. With it you can see how your registration is going.",
        clientLinkExpiredTitle: "This link has expired",
        clientLinkExpiredText:
            "Your personal link no longer works. A link is valid until 90 days after the due date, or 30 days after you withdrew.",
        formTokenTitle: "This form is no longer valid",
        formTokenText: "Nothing was changed. Please open the link from your email again and try once more.",
        unsupportedFormTitle: "We cannot read this form",
        unsupportedFormText: "Nothing was changed. Please open the link from your email again and fill in the form there.",
        serverErrorTitle: "Something went wrong",
        serverErrorText: "It does not work right now. Please try again in a few minutes.",
        whatNow: "Still not working? Please contact your health insurer. They can help you and send a new invitation if needed.",

        invitationTitle: "Sign up for the maternity care waitlist",
        invitationIntro: { "You are invited to the waitlist \($0) in the region \($1)." },
        invitationWhy:
            "There is not enough maternity care in your region right now. On the waitlist, the maternity care providers of your region look for a place for you. Fill in your details below and give your consent. Then we put you on the waitlist.",
        invitationValidUntil: { "This invitation is valid until \($0)." },
        detailsLegend: "Your details",
        firstName: "First name",
        lastName: "Last name",
        phone: "Phone number",
        phoneHint: "For example 06 12345678",
        postcode: "Postcode",
        postcodeHint: "For example 1234 AB",
        dueDate: "Due date",
        dueDateHint: "Your health insurer gave us this date. If it is wrong, please change it.",
        dateHint: "Write the date as day-month-year, for example 15-03-2026.",
        providersLegend: "Preferred maternity care providers (optional)",
        providersHint: "Choose one, several or none. The provider who enrols you will let you know.",
        consentLegend: "Consent",
        consentText:
            "I agree that my details (name, email address, phone number, postcode, due date and client number) are shared with the coordinator of the region, my health insurer and the maternity care providers in my region, so that a maternity care provider can enrol me. I can withdraw this consent at any time through my personal link. (Translation of the Dutch consent text.)",
        consentRetention:
            "How long do we keep your details? Until six months after the due date. Then we erase your name, email address, phone number and postcode. If you withdraw earlier, we erase them at once.",
        consentCheckbox: "I have read the text about consent. I give my consent.",
        acceptButton: "Put me on the waitlist",
        required: "Please fill this in.",
        nameInvalid: "Use at most 200 characters, without special characters.",
        phoneInvalid: "Enter a phone number, for example 06 12345678.",
        postcodeInvalid: "Enter a postcode with 4 digits and 2 letters, for example 1234 AB.",
        dateInvalid: "Enter a date as day-month-year, for example 15-03-2026.",
        consentMissing: "Tick the box to give your consent. Without your consent we cannot put you on the waitlist.",
        consentChanged: "The consent text has just changed. Please read it again and tick the box again.",
        providersInvalid: "Only choose maternity care providers from the list.",
        waitlistClosed: "This waitlist has closed in the meantime. Please contact your health insurer.",
        dueDateOutside: "With this due date you do not belong on this waitlist. If the date is right, please contact your health insurer.",
        postcodeOutside:
            "This postcode is not in the region of this waitlist. If the postcode is right, please contact your health insurer.",

        confirmedTitle: "You are on the waitlist",
        confirmedText: {
            "Done. You are on the waitlist \($0) in the region \($1). As soon as a maternity care provider enrols you, you will get an email."
        },
        personalLinkHeading: "Your personal link",
        personalLinkText:
            "Keep this link safe. You also get it by email. With this link you can see how your registration is going. You can also report a birth, withdraw, and see who looked at your details.",
        qaHeading: "Questions and answers",

        statusTitle: "Your maternity care registration",
        statusHeading: "How is it going?",
        statusName: { status, urgent in
            switch status {
            case .waiting: urgent ? "Waiting, with priority" : "Waiting"
            case .enrolled: "Enrolled"
            case .birthReported: "Urgent: baby born"
            case .withdrawn: "Withdrawn"
            case .invited: "Invited"
            }
        },
        statusWaiting:
            "You are on the waitlist. There is no maternity care provider for you yet. As soon as a provider enrols you, you will get an email.",
        statusWaitingUrgent: { "You are on the waitlist. You are now \($0) weeks pregnant, so you get priority." },
        statusEnrolled: { "You are enrolled with \($0). This maternity care provider will contact you." },
        statusEnrolledContact: "Do you want to contact them yourself? Their phone number and email address are on their website.",
        statusBirthReported: {
            "You reported that your baby was born on \($0). This is urgent. The coordinator and the maternity care providers in your region know. They will find maternity care for you as soon as possible."
        },
        statusWithdrawn:
            "You have withdrawn. You are no longer on the waitlist. Your consent has been withdrawn and your personal details have been erased.",
        statusInvited: "You have not signed up yet.",
        detailsHeading: "Your details",
        waitlistLabel: "Waitlist",
        regionLabel: "Region",
        pregnancyWeekLabel: "Week of pregnancy",
        clientNumberLabel: "Client number",
        nameLabel: "Name",
        emailLabel: "Email address",
        birthHeading: "Has your baby been born already?",
        birthText:
            "Has your baby been born and do you not have a maternity care provider yet? Report it here. You will get priority at once.",
        bornOn: "Date of birth",
        birthButton: "Report the birth",
        bornOnFuture: "This date is in the future. Enter the date of the birth.",
        birthSaved: "Thank you. We have passed on the birth.",
        withdrawHeading: "Withdraw",
        withdrawText:
            "Do you no longer want to be on the waitlist? Then you can withdraw. Your consent stops and we erase your personal details.",
        withdrawLink: "I want to withdraw",
        withdrawConfirmTitle: "Are you sure you want to withdraw?",
        withdrawConfirmText:
            "If you withdraw, you are no longer on the waitlist. Your consent stops and we erase your personal details. This cannot be undone.",
        reason: "Reason (optional)",
        reasonTooLong: "Use at most 1000 characters.",
        withdrawButton: "Yes, withdraw me",
        cancelLink: "No, go back",
        withdrawSaved: "You have withdrawn.",
        notPossibleNow: "This is no longer possible. See below how your registration is going.",
        accessHeading: "Who looked at your details?",
        accessIntro: "Here you see who created, viewed or changed your details. The newest is at the top; your own visits are not listed.",
        accessEmpty: "Nobody yet.",
        accessWhen: "When",
        accessOrganization: "Organisation",
        accessRole: "Role",
        accessAction: "What",
        roleName: { role in
            switch role {
            case "client": "client, through the personal link"
            case "admin": "administrator"
            case "coordinator": "coordinator"
            case "insurer": "health insurer"
            case "careProvider": "maternity care provider"
            case "practitioner": "maternity carer"
            case "courseProvider": "course provider"
            case nil, "system": "automatic"
            case let other?: other
            }
        },
        actionName: { action in
            switch action {
            case "create": "created"
            case "read": "viewed"
            case "update": "changed"
            case "delete": "erased"
            case "search": "searched in a list"
            case "export": "exported"
            default: action
            }
        },
        yourself: "You",
        systemName: "The system"
    )
}
