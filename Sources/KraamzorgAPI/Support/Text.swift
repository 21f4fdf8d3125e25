import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Text fields: trimmed, non-empty, bounded, no control characters.
enum Text {
    static func required(_ value: String?, _ field: String, max: Int = 200, into errors: inout [APIProblem.FieldError]) -> String {
        guard let value else { errors.append(.init(field: field, message: "is required")); return "" }
        let t = value.trimmingSpaces()
        errors += Validate.name(t, field: field, max: max)
        return t
    }

    static func optional(_ value: String?, _ field: String, max: Int = 500, into errors: inout [APIProblem.FieldError]) -> String? {
        guard let value else { return nil }
        let t = value.trimmingSpaces()
        if t.isEmpty { return nil }
        errors += Validate.name(t, field: field, max: max)
        return t
    }
}
