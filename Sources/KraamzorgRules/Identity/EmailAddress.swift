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
            !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..")
        else { return nil }
        for scalar in trimmed.unicodeScalars
        where scalar.value <= 0x20 || scalar.value == 0x7F || scalar == "," || scalar == "<" || scalar == ">" {
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

    /// Every occurrence of `target` replaced, as Foundation's `replacingOccurrences(of:with:)` (not in
    /// FoundationEssentials) does: scalar by scalar, except that a match followed by a combining scalar
    /// (a mark, an emoji modifier) is none. An empty target changes nothing.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.unicodeScalars), s = Array(unicodeScalars)
        guard !t.isEmpty else { return self }
        func combining(_ u: Unicode.Scalar) -> Bool { u.properties.isGraphemeExtend || u.properties.isEmojiModifier }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if i + t.count <= s.count && s[i..<i + t.count].elementsEqual(t) && !(i + t.count < s.count && combining(s[i + t.count])) {
                out.append(contentsOf: replacement.unicodeScalars)
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }
}
