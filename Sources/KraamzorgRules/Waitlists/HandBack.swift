/// Hand-back (release) limits (DOMAIN §7a: "hand-back is not a way to read personal data").
///
/// Enrolment shows the provider her personal data; a hand-back puts her back on the list. So that the two
/// together cannot be used to read client after client: the provider that handed her back never enrols her
/// again, and a provider hands back at most `limit` clients in any 24 hours (a rolling window).
public enum HandBack {
    /// `RELEASES_PER_DAY` when not set.
    public static let defaultPerDay = 5
    /// The rolling window, in seconds.
    public static let windowSeconds: Int64 = 24 * 60 * 60

    /// Whether `provider` may enrol her, given every provider that ever handed her back.
    public static func mayEnrolAgain(provider: OrganisationID, releasedBy: Set<OrganisationID>) -> Bool {
        !releasedBy.contains(provider)
    }

    /// Whether one more hand-back is allowed now; if not, in how many seconds it is (when the oldest hand-back
    /// in the window leaves it). `recent` are the provider's hand-backs as seconds since any fixed epoch,
    /// `now` on the same scale; only those within the window count.
    public static func check(recent: [Int64], now: Int64, limit: Int) -> Result<Void, HandBackLimitReached> {
        let limit = max(limit, 1)
        let inWindow = recent.filter { $0 > now - windowSeconds && $0 <= now }.sorted()
        guard inWindow.count >= limit else { return .success(()) }
        // The (count − limit + 1)-th oldest must leave the window before one more fits.
        let leaving = inWindow[inWindow.count - limit]
        return .failure(HandBackLimitReached(limit: limit, retryAfterSeconds: max(1, leaving + windowSeconds - now)))
    }
}

/// The provider handed back `limit` clients in the last 24 hours.
public struct HandBackLimitReached: Error, Sendable, Hashable {
    public let limit: Int
    /// Seconds until one more hand-back is allowed.
    public let retryAfterSeconds: Int64

    public init(limit: Int, retryAfterSeconds: Int64) {
        self.limit = limit
        self.retryAfterSeconds = retryAfterSeconds
    }
}
