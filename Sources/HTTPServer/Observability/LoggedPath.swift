/// The path of a request that matched no route, as the access log shows it. A matched request is logged
/// by its route pattern; an unmatched one by its path, but a mistyped link (`/aanmelding/<token>/x`)
/// still carries a credential, so every segment long enough to be a token or an id is replaced by `…`.
enum LoggedPath {
    /// Segments this long or longer are not logged (tokens are 32+ characters, UUIDs 36).
    static let longestKept = 15

    static func redacted(_ path: String) -> String {
        guard path.utf8.count > longestKept else { return path }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.utf8.count > longestKept ? "…" : String($0) }
            .joined(separator: "/")
    }
}
