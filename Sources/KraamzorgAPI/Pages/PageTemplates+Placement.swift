import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

// Her placement page and the withdrawal confirmation.
extension PageTemplates {
    // MARK: her placement

    struct StatusInput: Sendable {
        var notice: String?
        /// The birth date as she typed it (never prefilled).
        var bornOn = DateFields()
        var bornOnError: String?
        /// Her corrections as she typed them; nil: her current values.
        var phone: String?
        var phoneError: String?
        var dueDate: DateFields?
        var dueDateError: String?
        /// Until when she may take her birth report back (nil: not, or no more).
        var undoDeadline: Date?

        var errors: [(field: String, message: String)] {
            [("bornOn", bornOnError), ("phone", phoneError), ("dueDate", dueDateError)].compactMap { f, m in m.map { (f, $0) } }
        }
    }

    static func status(
        _ s: PageStrings, row: ClientRow, region: RegionRecord, log: [AccessLogEntry], today: CivilDate,
        values: StatusInput, base: String, switchPath: String, formToken: String, sender: LinkPageStore.Sender?
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
        var enrolledContact: HTML = .empty
        if row.status == .enrolled {
            if let c = sender?.providerContact, !c.isEmpty {
                enrolledContact =
                    "<p>\(s.more.providerContactIntro(row.providerName ?? ""))</p>\n\(contactList(s, c, id: "provider-contact"))"
            } else {
                enrolledContact = "<p>\(s.more.providerContactMissing)</p>\n"
            }
        }
        let notice: HTML = values.notice.map { "<div class=\"notice\" role=\"status\"><p>\($0)</p></div>\n" } ?? .empty
        let summary = errorSummary(s, values.errors)

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
            \(hiddenToken(formToken))\(dateInput(s, id: "bornOn", legend: s.bornOn, value: values.bornOn, error: values.bornOnError))\
            <button type="submit">\(s.birthButton)</button>
            </form>

            """ : .empty
        let undo = birthUndo(s, row: row, deadline: values.undoDeadline, base: base, formToken: formToken)
        let corrections =
            [.waiting, .enrolled, .birthReported].contains(row.status)
            ? correctionForm(s, row: row, values: values, base: base, formToken: formToken) : .empty
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
        return layout(
            s, title: s.statusTitle, switchPath: switchPath, sender: sender, errors: summary,
            """
            \(notice)<h2>\(s.statusHeading)</h2>
            <div class="status\(urgent || row.status == .birthReported ? " urgent" : "")" id="status">
            <strong>\(s.statusName(row.status, urgent))</strong>
            <p>\(explanation)</p>
            \(enrolledContact)</div>
            <h2>\(s.detailsHeading)</h2>
            <dl class="facts">
            \(factsHTML)</dl>
            \(birth)\(undo)\(corrections)\(withdraw)<h2>\(s.accessHeading)</h2>
            <p>\(s.accessIntro)</p>
            \(logHTML)\(qa)
            """)
    }

    static func withdrawConfirm(
        _ s: PageStrings, reason: String, error: String?, base: String, switchPath: String, formToken: String,
        sender: LinkPageStore.Sender?
    ) -> HTML {
        let describedBy = "reason-hint" + (error != nil ? " reason-error" : "")
        let errorHTML: HTML = error.map { "<p class=\"error\" id=\"reason-error\">\(s.fieldError($0))</p>\n" } ?? .empty
        return layout(
            s, title: s.withdrawConfirmTitle, switchPath: switchPath, sender: sender,
            errors: errorSummary(s, error.map { [(field: "reason", message: $0)] } ?? []),
            """
            <p id="reason-hint">\(s.withdrawConfirmText)</p>
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
