/// FoundationEssentials has no `CharacterSet` nor `trimmingCharacters(in:)`: the two sets this module
/// trims, with exactly the members of Foundation's (which also counts U+200B as white space).
struct TrimmedCharacters: Sendable {
    let contains: @Sendable (Unicode.Scalar) -> Bool

    static let whitespaces = TrimmedCharacters { s in
        switch s.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static let whitespacesAndNewlines = TrimmedCharacters { s in
        switch s.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return whitespaces.contains(s)
        }
    }
}

extension StringProtocol {
    /// Foundation's `trimmingCharacters(in:)`: the scalars in `set` removed from both ends.
    func trimmingCharacters(in set: TrimmedCharacters) -> String {
        let scalars = String(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }),
            let last = scalars.lastIndex(where: { !set.contains($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
