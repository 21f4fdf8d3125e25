/// A pragmatic email check: one `@`, a non-empty local part, a dotted domain, no spaces or control
/// characters, at most 254 characters. Deliverability is proven by delivery, not by a pattern.
public enum EmailAddress {
    public static func normalized(_ raw: String) -> String? {
        let trimmed = raw.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.utf8.count <= 254 else { return nil }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64, domain.contains("."),
              !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return nil }
        for scalar in trimmed.unicodeScalars where scalar.value <= 0x20 || scalar.value == 0x7F || scalar == "," || scalar == "<" || scalar == ">" {
            return nil
        }
        // Domains are case-insensitive; the local part is kept as given.
        return "\(local)@\(domain.lowercased())"
    }
}

extension String {
    /// Trims ASCII white space (space, tab, CR, LF) without Foundation.
    public func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
