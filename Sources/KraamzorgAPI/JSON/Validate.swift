import HTTPServer

/// Field checks shared by routes; each returns the problems it found (empty: fine).
enum Validate {
    static func name(_ value: String, field: String, max: Int = 200) -> [APIProblem.FieldError] {
        if value.isEmpty { return [.init(field: field, message: "must not be empty")] }
        if value.count > max { return [.init(field: field, message: "must be at most \(max) characters")] }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return [.init(field: field, message: "must not contain control characters")]
        }
        return []
    }

    static func digits(_ value: String?, count: Int, field: String) -> [APIProblem.FieldError] {
        guard let value else { return [] }
        if value.utf8.count == count && value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return [] }
        return [.init(field: field, message: "must be \(count) digits")]
    }
}
