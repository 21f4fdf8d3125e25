import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

// The second round's parts of her page (DOMAIN §7a): the birth report's confirmation step and its undo,
// and her corrections of phone number and due date.
extension PageTemplates {
    /// "Klopt dit?": the date she gave, in words, to confirm (a second POST with `bevestigd=ja`) or change.
    static func birthConfirm(_ s: PageStrings, bornOn: CivilDate, base: String, formToken: String, sender: LinkPageStore.Sender?)
        -> HTML
    {
        layout(
            s, title: s.more.birthConfirmTitle, switchPath: base, sender: sender,
            """
            <p id="birth-confirm-text">\(s.more.birthConfirmText(s.date(bornOn)))</p>
            <form method="post" action="\(base)/geboorte?lang=\(s.code)" accept-charset="utf-8" novalidate>
            \(hiddenToken(formToken))<input type="hidden" name="bornOn" value="\(bornOn.iso)">
            <input type="hidden" name="bevestigd" value="ja">
            <button type="submit" id="birth-confirm">\(s.more.birthConfirmButton)</button>
            <a class="cancel" id="birth-change" href="\(base)?lang=\(s.code)#geboorte">\(s.more.birthConfirmBack)</a>
            </form>
            """)
    }

    /// Her way to take a birth report back: a button within the 24 hours, else who can correct it.
    static func birthUndo(_ s: PageStrings, row: ClientRow, deadline: Date?, base: String, formToken: String) -> HTML {
        guard row.status == .birthReported else { return .empty }
        guard let deadline else {
            return """
                <h2 id="intrekken">\(s.more.birthUndoHeading)</h2>
                <p id="birth-undo-late">\(s.more.birthUndoLate)</p>

                """
        }
        return """
            <h2 id="intrekken">\(s.more.birthUndoHeading)</h2>
            <p>\(s.more.birthUndoText(s.dateTime(deadline)))</p>
            <form method="post" action="\(base)/geboorte/intrekken?lang=\(s.code)" accept-charset="utf-8" novalidate>
            \(hiddenToken(formToken))<button type="submit" class="warning" id="birth-undo">\(s.more.birthUndoButton)</button>
            </form>

            """
    }

    /// Her phone number and due date, prefilled with what is on record (or what she typed).
    static func correctionForm(_ s: PageStrings, row: ClientRow, values: StatusInput, base: String, formToken: String) -> HTML {
        """
        <h2 id="wijzigen">\(s.more.correctHeading)</h2>
        <p>\(s.more.correctText)</p>
        <form method="post" action="\(base)/wijzigen?lang=\(s.code)" accept-charset="utf-8" novalidate>
        \(hiddenToken(formToken))\
        \(input(s, id: "phone", label: s.phone, value: values.phone ?? row.phone ?? "", type: "tel", hint: s.phoneHint,
                error: values.phoneError, autocomplete: "tel"))\
        \(dateInput(s, id: "dueDate", legend: s.dueDate, value: values.dueDate ?? DateFields(row.dueDate), error: values.dueDateError))\
        <button type="submit" id="correct-submit">\(s.more.correctButton)</button>
        </form>

        """
    }
}
