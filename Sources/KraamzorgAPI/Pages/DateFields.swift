import FoundationEssentials
import KraamzorgRules

/// A date as she typed it in three fields (day, month, year), kept as text so a form shown again holds what she
/// typed. A form may also post one field `name` (`2027-03-15` or `15-03-2027`): read into the three parts.
struct DateFields: Sendable, Equatable {
    var day = ""
    var month = ""
    var year = ""

    init() {}
    init(day: String, month: String, year: String) {
        self.day = day
        self.month = month
        self.year = year
    }
    init(_ d: CivilDate) { self.init(day: String(d.day), month: String(d.month), year: String(d.year)) }

    static func read(_ form: FormData, _ name: String) -> DateFields {
        let parts = DateFields(
            day: (form["\(name)-day"] ?? "").trimmingSpaces(), month: (form["\(name)-month"] ?? "").trimmingSpaces(),
            year: (form["\(name)-year"] ?? "").trimmingSpaces())
        if parts.isEmpty, let single = form[name]?.trimmingSpaces(), !single.isEmpty {
            if let d = CivilDate.fromForm(single) { return DateFields(d) }
            return DateFields(day: single, month: "", year: "")
        }
        return parts
    }

    var isEmpty: Bool { day.isEmpty && month.isEmpty && year.isEmpty }

    /// The date, when the three parts make one (year 1900…2200).
    var date: CivilDate? {
        guard let d = Int(day), let m = Int(month), let y = Int(year), y >= 1900, y <= 2200 else { return nil }
        return CivilDate(validatingYear: y, month: m, day: d)
    }
}
