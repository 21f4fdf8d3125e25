import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// The small templates of the client pages. Every dynamic value goes through `HTML` interpolation (escaped).
enum PageTemplates {
    /// The frame of every page: language, viewport, stylesheet, a link to the other language; the header says who
    /// sends the page (her region and inviting insurer, when known), the footer how to reach a person and where the
    /// privacy statement is (DOMAIN §7a).
    /// `errors` (an `errorSummary`) comes first in `main`, above the heading, as GOV.UK and NL Design System forms do.
    static func layout(
        _ s: PageStrings, title: String, switchPath: String, sender: LinkPageStore.Sender? = nil, errors: HTML = .empty, _ content: HTML
    ) -> HTML {
        let senderLine: HTML =
            sender.map { "<p class=\"sender\" id=\"sender\">\(s.more.senderLine($0.regionName, $0.insurerName))</p>\n" } ?? .empty
        return """
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
            <div class="site-title">
            <p class="site-name">\(s.siteName)</p>
            \(senderLine)</div>
            <a href="\(switchPath)?lang=\(s.otherLanguageCode)" lang="\(s.otherLanguageCode)" hreflang="\(s.otherLanguageCode)">\(s.otherLanguageName)</a>
            </header>
            <main>
            \(errors)<h1>\(title)</h1>
            \(content)
            </main>
            \(footer(s, sender))</body>
            </html>

            """
    }

    /// How to reach a person: her region's coordinators (name, organisation, email, and the organisation's contact),
    /// else her insurer; and the privacy statement's link.
    static func footer(_ s: PageStrings, _ sender: LinkPageStore.Sender?) -> HTML {
        let people = sender?.coordinators ?? []
        var contact: HTML
        if people.isEmpty {
            contact = "<p>\(s.more.contactNoCoordinators)</p>\n"
        } else {
            let items = people.map { c -> HTML in
                "<li><strong>\(c.name)</strong> (\(c.organizationName))<br>\(s.more.contactEmail): <a href=\"mailto:\(c.email)\">\(c.email)</a></li>\n"
            }
            contact = "<p>\(s.more.contactIntro)</p>\n<ul class=\"contacts\">\n\(items)</ul>\n"
            var seen: Set<String> = []
            for c in people where !c.organizationContact.isEmpty && seen.insert(c.organizationName).inserted {
                contact = contact + "<p><strong>\(c.organizationName)</strong></p>\n\(contactList(s, c.organizationContact))"
            }
        }
        return """
            <footer class="site" id="contact">
            <h2>\(s.more.contactHeading)</h2>
            \(contact)<p><a id="privacy-link" href="\(PrivacyPage.path)?lang=\(s.code)">\(s.more.privacyLink)</a></p>
            </footer>

            """
    }

    /// An organisation's phone, email and website as links.
    static func contactList(_ s: PageStrings, _ c: OrganizationContact, id: String? = nil) -> HTML {
        var items: [HTML] = []
        if let p = c.phone {
            items.append("<li>\(s.more.contactPhone): <a href=\"tel:\(p.filter { $0 != " " && $0 != "-" })\">\(p)</a></li>\n")
        }
        if let e = c.email { items.append("<li>\(s.more.contactEmail): <a href=\"mailto:\(e)\">\(e)</a></li>\n") }
        if let w = c.website { items.append("<li>\(s.more.contactWebsite): <a href=\"\(w)\">\(w)</a></li>\n") }
        return "<ul class=\"contact\"\(HTML.attribute("id", id ?? "", if: id != nil))>\n\(items)</ul>\n"
    }

    /// A link that does not work (any more), a refused form, or a server error: what happened and what to do.
    static func message(
        _ s: PageStrings, title: String, text: String, switchPath: String, contactInsurer: Bool = true, sender: LinkPageStore.Sender? = nil
    ) -> HTML {
        layout(
            s, title: title, switchPath: switchPath, sender: sender,
            """
            <p>\(text)</p>
            \(contactInsurer ? "<p>\(s.whatNow)</p>" as HTML : .empty)
            """)
    }

    // MARK: form parts

    /// The list of problems at the top of a form, each linking to its field.
    static func errorSummary(_ s: PageStrings, _ errors: [(field: String, message: String)]) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items = errors.map { e -> HTML in
            "<li><a href=\"#\(dateFieldNames.contains(e.field) ? e.field + "-day" : e.field)\">\(e.message)</a></li>\n"
        }
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

    /// The fields asked as a date in three parts (`dateInput`): the error summary links to the day.
    static let dateFieldNames: Set<String> = ["dueDate", "bornOn"]

    /// A date as three labelled fields, day–month–year (NL Design System, GOV.UK "date input"): never
    /// `<input type=date>`, whose look and language are the browser's. Names `id-day`, `id-month`, `id-year`.
    static func dateInput(_ s: PageStrings, id: String, legend: String, value: DateFields, hint: String? = nil, error: String?) -> HTML {
        var described: [String] = ["\(id)-hint"]
        if error != nil { described.append("\(id)-error") }
        let hintText = [hint, s.more.dateExample].compactMap { $0 }.joined(separator: " ")
        let errorHTML: HTML = error.map { "<p class=\"error\" id=\"\(id)-error\">\(s.fieldError($0))</p>\n" } ?? .empty
        func part(_ name: String, _ label: String, _ v: String, width: String) -> HTML {
            """
            <div class="date-part"><label for="\(id)-\(name)">\(label)</label>\
            <input id="\(id)-\(name)" name="\(id)-\(name)" type="text" inputmode="numeric" class="\(width)" value="\(v)"\
            \(HTML.attribute("aria-invalid", "true", if: error != nil))></div>

            """
        }
        return """
            <div class="field\(error != nil ? " has-error" : "")">
            <fieldset class="date" id="\(id)" role="group" aria-describedby="\(described.joined(separator: " "))">
            <legend>\(legend)</legend>
            <p class="hint" id="\(id)-hint">\(hintText)</p>
            \(errorHTML)<div class="date-parts">
            \(part("day", s.more.day, value.day, width: "w2"))\(part("month", s.more.month, value.month, width: "w2"))\
            \(part("year", s.more.year, value.year, width: "w4"))</div>
            </fieldset>
            </div>

            """
    }

    static func hiddenToken(_ formToken: String) -> HTML {
        "<input type=\"hidden\" name=\"\(FormTokens.fieldName)\" value=\"\(formToken)\">\n"
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
