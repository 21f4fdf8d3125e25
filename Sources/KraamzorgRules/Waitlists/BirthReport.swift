import FoundationEssentials

/// A birth report she made through her link can be undone by her for a while (DOMAIN §7a); after that only her
/// coordinator can correct it.
public enum BirthReport {
    /// 24 hours.
    public static let undoWindow: Double = 24 * 60 * 60

    /// Whether she may still undo a report made at `reportedAt`, at `now`: less than 24 hours later.
    public static func clientMayUndo(reportedAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(reportedAt) < undoWindow
    }

    /// Until when she may undo it.
    public static func undoDeadline(reportedAt: Date) -> Date { reportedAt.addingTimeInterval(undoWindow) }
}
