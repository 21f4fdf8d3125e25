import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

// The invitation form and the confirmation after it.
extension PageTemplates {
    // MARK: invitation

    struct InvitationInput: Sendable {
        var firstName = ""
        var lastName = ""
        var phone = ""
        var postcode = ""
        var dueDate = DateFields()
        var providerIds: Set<String> = []
        var consent = false
    }

    static func invitationForm(
        _ s: PageStrings, view: InvitationView, providers: [(id: UUID, name: String)], values: InvitationInput,
        errors: [(field: String, message: String)], action: String, switchPath: String, formToken: String, sender: LinkPageStore.Sender?
    ) -> HTML {
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        let expires = s.date(CivilDate.inAmsterdam(view.expiresAt))
        var providerBlock: HTML = .empty
        if !providers.isEmpty {
            let providerDescribedBy =
                "preferredProviderIds-hint" + (error("preferredProviderIds") != nil ? " preferredProviderIds-error" : "")
            let boxes = providers.enumerated().map { (i, p) -> HTML in
                let id = p.id.lowercasedString
                return """
                    <div class="choice"><input type="checkbox" id="provider-\(i + 1)" name="preferredProviderIds" value="\(id)"\
                    \(values.providerIds.contains(id) ? " checked" as HTML : .empty)\(HTML.attribute("aria-describedby", providerDescribedBy, if: i == 0))>\
                    <label for="provider-\(i + 1)">\(p.name)</label></div>

                    """
            }
            let providerError: HTML =
                error("preferredProviderIds").map { "<p class=\"error\" id=\"preferredProviderIds-error\">\(s.fieldError($0))</p>\n" }
                ?? .empty
            providerBlock = """
                <fieldset id="preferredProviderIds" class="\(error("preferredProviderIds") != nil ? "has-error" : "")">
                <legend>\(s.providersLegend)</legend>
                <p class="hint" id="preferredProviderIds-hint">\(s.providersHint)</p>
                \(providerError)\(boxes)</fieldset>

                """
        }
        let consentError = error("consent")
        let consentErrorHTML: HTML = consentError.map { "<p class=\"error\" id=\"consent-error\">\(s.fieldError($0))</p>\n" } ?? .empty
        let formError: HTML = error("form").map { "<p class=\"error\" id=\"form-error\">\(s.fieldError($0))</p>\n" } ?? .empty
        return layout(
            s, title: s.invitationTitle, switchPath: switchPath, sender: sender, errors: errorSummary(s, errors),
            """
            <p>\(s.invitationIntro(view.waitlist.name, view.region.name))</p>
            <p>\(s.invitationWhy)</p>
            <dl class="facts">
            <dt>\(s.waitlistLabel)</dt><dd>\(view.waitlist.name)</dd>
            <dt>\(s.regionLabel)</dt><dd>\(view.region.name)</dd>
            <dt>\(s.dueDate)</dt><dd>\(s.date(view.dueDate))</dd>
            </dl>
            <p>\(s.invitationValidUntil(expires))</p>
            \(formError)<form method="post" action="\(action)" accept-charset="utf-8" novalidate>
            \(hiddenToken(formToken))<input type="hidden" name="consentVersion" value="\(Consent.currentVersion)">
            <fieldset>
            <legend>\(s.detailsLegend)</legend>
            \(input(s, id: "firstName", label: s.firstName, value: values.firstName, error: error("firstName"), autocomplete: "given-name"))\
            \(input(s, id: "lastName", label: s.lastName, value: values.lastName, error: error("lastName"), autocomplete: "family-name"))\
            \(input(s, id: "phone", label: s.phone, value: values.phone, type: "tel", hint: s.phoneHint, error: error("phone"), autocomplete: "tel"))\
            \(input(s, id: "postcode", label: s.postcode, value: values.postcode, hint: s.postcodeHint, error: error("postcode"), autocomplete: "postal-code", short: true))\
            \(dateInput(s, id: "dueDate", legend: s.dueDate, value: values.dueDate, hint: s.dueDateHint, error: error("dueDate")))\
            </fieldset>
            \(providerBlock)<fieldset class="\(consentError != nil ? "has-error" : "")">
            <legend>\(s.consentLegend)</legend>
            <div class="consent" id="consent-text"><p>\(s.consentText)</p><p>\(s.consentRetention)</p></div>
            \(consentErrorHTML)<div class="choice"><input type="checkbox" id="consent" name="consent" value="ja"\
            \(values.consent ? " checked" as HTML : .empty) aria-describedby="consent-text\(consentError != nil ? " consent-error" : "")"\
            \(HTML.attribute("aria-invalid", "true", if: consentError != nil))><label for="consent">\(s.consentCheckbox)</label></div>
            </fieldset>
            <button type="submit">\(s.acceptButton)</button>
            </form>
            """)
    }

    static func confirmation(
        _ s: PageStrings, row: ClientRow, region: RegionRecord?, personalLink: String, switchPath: String, sender: LinkPageStore.Sender?
    ) -> HTML {
        let qa: HTML = {
            guard let info = region?.clientInfo, !info.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .empty }
            return "<h2>\(s.qaHeading)</h2>\n\(HTML.paragraphs(info))"
        }()
        return layout(
            s, title: s.confirmedTitle, switchPath: switchPath, sender: sender,
            """
            <div class="notice" role="status"><p>\(s.confirmedText(row.waitlistName, row.regionName))</p></div>
            <h2>\(s.personalLinkHeading)</h2>
            <p>\(s.personalLinkText)</p>
            <p class="personal-link"><a id="personal-link" href="\(personalLink)">\(personalLink)</a></p>
            \(qa)
            """)
    }
}
