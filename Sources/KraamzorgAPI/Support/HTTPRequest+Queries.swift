import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

extension HTTPRequest {
    /// An optional `YYYY-MM-DD` query parameter; an impossible date is a 400.
    func dateQuery(_ name: String) throws -> CivilDate? {
        guard let text = query(name) else { return nil }
        guard let d = CivilDate(iso: text.trimmingSpaces()) else {
            throw APIProblem.validation([.init(field: name, message: "must be a date YYYY-MM-DD")])
        }
        return d
    }

    var wantsCSV: Bool { (headers["Accept"] ?? "").lowercased().contains("text/csv") }
}
