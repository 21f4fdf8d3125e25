import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// The small templates of the client pages. Every dynamic value goes through `HTML` interpolation (escaped).
enum PageTemplates {
    /// The frame of every page: language, viewport, stylesheet, a link to the other language.
    static func layout(_ s: PageStrings, title: String, switchPath: String, _ content: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="\(s.code)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title) – \(s.siteName)</title>
        <link rel="stylesheet" href="\(Stylesheet.path)">
        </head>
        <body>
        <header class="site">
        <p>\(s.siteName)</p>
        <a href="\(switchPath)?lang=\(s.otherLanguageCode)" lang="\(s.otherLanguageCode)" hreflang="\(s.otherLanguageCode)">\(s.otherLanguageName)</a>
        </header>
        <main>
        <h1>\(title)</h1>
        \(content)
        </main>
        </body>
        </html>

        """
    }

    /// A link that does not work (any more), a refused form, or a server error: what happened and what to do.
    static func message(_ s: PageStrings, title: String, text: String, switchPath: String, contactInsurer: Bool = true) -> HTML {
        layout(
            s, title: title, switchPath: switchPath,
            """
            <p>\(text)</p>
            \(contactInsurer ? "<p>\(s.whatNow)</p>" as HTML : .empty)
            """)
    }

    // MARK: form parts

    /// The list of problems at the top of a form, each linking to its field.
    static func errorSummary(_ s: PageStrings, _ errors: [(field: String, message: String)]) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items = errors.map { e -> HTML in "<li><a href=\"#\(e.field)\">\(e.message)</a></li>\n" }
        return """
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">\(s.errorSummaryTitle)</h2>
            <ul>
            \(items)</ul>
            </div>

            """
    }

    /// One labelled input with its hint and error, both tied to it by `aria-describedby`.
    static func input(
        _ s: PageStrings, id: String, label: String, value: String, type: String = "text", hint: String? = nil,
        error: String?, autocomplete: String? = nil, extra: HTML = .empty, short: Bool = false
    ) -> HTML {
        var described: [String] = []
        if hint != nil { described.append("\(id)-hint") }
        if error != nil { described.append("\(id)-error") }
        let hintHTML: HTML = hint.map { "<p class=\"hint\" id=\"\(id)-hint\">\($0)</p>\n" } ?? .empty
        let errorHTML: HTML = error.map { "<p class=\"error\" id=\"\(id)-error\">\(s.fieldError($0))</p>\n" } ?? .empty
        return """
            <div class="field\(error != nil ? " has-error" : "")">
            <label for="\(id)">\(label)</label>
            \(hintHTML)\(errorHTML)<input id="\(id)" name="\(id)" type="\(type)" value="\(value)"\(short ? " class=\"short\"" as HTML : .empty)\
            \(HTML.attribute("autocomplete", autocomplete ?? "", if: autocomplete != nil))\
            \(HTML.attribute("aria-describedby", described.joined(separator: " "), if: !described.isEmpty))\
            \(HTML.attribute("aria-invalid", "true", if: error != nil))\(extra)>
            </div>

            """
    }

    static func hiddenToken(_ formToken: String) -> HTML {
        "<input type=\"hidden\" name=\"\(FormTokens.fieldName)\" value=\"\(formToken)\">\n"
    }

    // MARK: invitation

    struct InvitationInput: Sendable {
        var firstName = ""
        var lastName = ""
        var phone = ""
        var postcode = ""
        var dueDate = ""
        var providerIds: Set<String> = []
        var consent = false
    }

    static func invitationForm(
        _ s: PageStrings, view: InvitationView, providers: [(id: UUID, name: String)], values: InvitationInput,
        errors: [(field: String, message: String)], action: String, switchPath: String, formToken: String
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
            s, title: s.invitationTitle, switchPath: switchPath,
            """
            \(errorSummary(s, errors))<p>\(s.invitationIntro(view.waitlist.name, view.region.name))</p>
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
            \(input(s, id: "dueDate", label: s.dueDate, value: values.dueDate, type: "date", hint: s.dueDateHint, error: error("dueDate")))\
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

    static func confirmation(_ s: PageStrings, row: ClientRow, region: RegionRecord?, personalLink: String, switchPath: String) -> HTML {
        let qa: HTML = {
            guard let info = region?.clientInfo, !info.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .empty }
            return "<h2>\(s.qaHeading)</h2>\n\(HTML.paragraphs(info))"
        }()
        return layout(
            s, title: s.confirmedTitle, switchPath: switchPath,
            """
            <div class="notice" role="status"><p>\(s.confirmedText(row.waitlistName, row.regionName))</p></div>
            <h2>\(s.personalLinkHeading)</h2>
            <p>\(s.personalLinkText)</p>
            <p class="personal-link"><a id="personal-link" href="\(personalLink)">\(personalLink)</a></p>
            \(qa)
            """)
    }

    // MARK: her placement

    struct StatusInput: Sendable {
        var notice: String?
        var bornOn: String
        var bornOnError: String?
    }

    static func status(
        _ s: PageStrings, row: ClientRow, region: RegionRecord, log: [AccessLogEntry], today: CivilDate,
        values: StatusInput, base: String, switchPath: String, formToken: String, httpStatus: Int
    ) -> HTML {
        let week = Pregnancy.week(on: today, dueDate: row.dueDate)
        let urgent = Pregnancy.isUrgent(status: row.status, week: week)
        let explanation: String =
            switch row.status {
            case .waiting: urgent ? s.statusWaitingUrgent(week) : s.statusWaiting
            case .enrolled: s.statusEnrolled(row.providerName ?? "")
            case .birthReported: s.statusBirthReported(row.bornOn.map(s.date) ?? "")
            case .withdrawn: s.statusWithdrawn
            case .invited: s.statusInvited
            }
        let enrolledContact: HTML = row.status == .enrolled ? "<p>\(s.statusEnrolledContact)</p>\n" : .empty
        let notice: HTML = values.notice.map { "<div class=\"notice\" role=\"status\"><p>\($0)</p></div>\n" } ?? .empty
        let summary = errorSummary(s, values.bornOnError.map { [(field: "bornOn", message: $0)] } ?? [])

        var facts: [(String, String)] = [
            (s.waitlistLabel, row.waitlistName), (s.regionLabel, row.regionName), (s.dueDate, s.date(row.dueDate)),
        ]
        if row.status == .waiting { facts.append((s.pregnancyWeekLabel, String(week))) }
        facts.append((s.clientNumberLabel, row.clientNumber))
        let name = [row.firstName, row.lastName].compactMap { $0 }.joined(separator: " ")
        if !name.isEmpty { facts.append((s.nameLabel, name)) }
        if let e = row.email { facts.append((s.emailLabel, e)) }
        if let p = row.phone { facts.append((s.phone, p)) }
        if let p = row.postcode { facts.append((s.postcode, p.display)) }
        let factsHTML = facts.map { f -> HTML in "<dt>\(f.0)</dt><dd>\(f.1)</dd>\n" }

        let birth: HTML =
            row.status == .waiting
            ? """
            <h2 id="geboorte">\(s.birthHeading)</h2>
            <p>\(s.birthText)</p>
            <form method="post" action="\(base)/geboorte?lang=\(s.code)" accept-charset="utf-8" novalidate>
            \(hiddenToken(formToken))\(input(s, id: "bornOn", label: s.bornOn, value: values.bornOn, type: "date", error: values.bornOnError,
                                          extra: HTML.attribute("max", today.iso), short: true))\
            <button type="submit">\(s.birthButton)</button>
            </form>

            """ : .empty
        let withdraw: HTML =
            [.waiting, .enrolled, .birthReported].contains(row.status)
            ? """
            <h2>\(s.withdrawHeading)</h2>
            <p>\(s.withdrawText)</p>
            <p><a id="withdraw-link" href="\(base)/afmelden?lang=\(s.code)">\(s.withdrawLink)</a></p>

            """ : .empty
        let rows = log.map { e -> HTML in
            let organization =
                e.role == "client" ? s.yourself : (e.organizationName ?? (e.role == nil || e.role == "system" ? s.systemName : ""))
            return """
                <tr><td data-label="\(s.accessWhen)">\(s.dateTime(e.at))</td><td data-label="\(s.accessOrganization)">\(organization)</td>\
                <td data-label="\(s.accessRole)">\(s.roleName(e.role))</td><td data-label="\(s.accessAction)">\(s.actionName(e.action))</td></tr>

                """
        }
        let logHTML: HTML =
            log.isEmpty
            ? "<p>\(s.accessEmpty)</p>\n"
            : """
            <table class="log" id="access-log">
            <thead><tr><th scope="col">\(s.accessWhen)</th><th scope="col">\(s.accessOrganization)</th><th scope="col">\(s.accessRole)</th><th scope="col">\(s.accessAction)</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>

            """
        let qa: HTML =
            region.clientInfo.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || row.status == .withdrawn
            ? .empty : "<h2>\(s.qaHeading)</h2>\n\(HTML.paragraphs(region.clientInfo))"
        _ = httpStatus
        return layout(
            s, title: s.statusTitle, switchPath: switchPath,
            """
            \(summary)\(notice)<h2>\(s.statusHeading)</h2>
            <div class="status\(urgent || row.status == .birthReported ? " urgent" : "")" id="status">
            <strong>\(s.statusName(row.status, urgent))</strong>
            <p>\(explanation)</p>
            \(enrolledContact)</div>
            <h2>\(s.detailsHeading)</h2>
            <dl class="facts">
            \(factsHTML)</dl>
            \(birth)\(withdraw)<h2>\(s.accessHeading)</h2>
            <p>\(s.accessIntro)</p>
            \(logHTML)\(qa)
            """)
    }

    static func withdrawConfirm(_ s: PageStrings, reason: String, error: String?, base: String, switchPath: String, formToken: String)
        -> HTML
    {
        let describedBy = "reason-hint" + (error != nil ? " reason-error" : "")
        let errorHTML: HTML = error.map { "<p class=\"error\" id=\"reason-error\">\(s.fieldError($0))</p>\n" } ?? .empty
        return layout(
            s, title: s.withdrawConfirmTitle, switchPath: switchPath,
            """
            \(errorSummary(s, error.map { [(field: "reason", message: $0)] } ?? []))<p id="reason-hint">\(s.withdrawConfirmText)</p>
            <form method="post" action="\(base)/afmelden?lang=\(s.code)" accept-charset="utf-8" novalidate>
            \(hiddenToken(formToken))<div class="field\(error != nil ? " has-error" : "")">
            <label for="reason">\(s.reason)</label>
            \(errorHTML)<textarea id="reason" name="reason" rows="4" aria-describedby="\(describedBy)"\
            \(HTML.attribute("aria-invalid", "true", if: error != nil))>\(reason)</textarea>
            </div>
            <button type="submit" class="warning">\(s.withdrawButton)</button>
            <a class="cancel" href="\(base)?lang=\(s.code)">\(s.cancelLink)</a>
            </form>
            """)
    }
}

extension CivilDate {
    /// The calendar day of an instant in the Netherlands.
    static func inAmsterdam(_ at: Date) -> CivilDate { DutchClock.day(of: at) }

    /// A date as people type it: `2026-03-15` (what a date field sends), or `15-03-2026` / `15/3/2026` / `15.3.2026`.
    static func fromForm(_ text: String) -> CivilDate? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let d = CivilDate(iso: t) { return d }
        let parts = t.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map { Int($0) }
        guard parts.count == 3, let day = parts[0], let month = parts[1], let year = parts[2], year >= 1900, year <= 2200 else {
            return nil
        }
        return CivilDate(validatingYear: year, month: month, day: day)
    }
}
