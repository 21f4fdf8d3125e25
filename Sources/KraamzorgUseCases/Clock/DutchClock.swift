import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// The one clock of the use cases: the moment now, and the calendar day it is in the Netherlands.
/// Injected so tests can fix the day; production uses `.system`.
public struct DutchClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// The machine's clock.
    public static let system = DutchClock(now: { Date() })

    /// A clock standing still at `moment`.
    public static func fixed(_ moment: Date) -> DutchClock { DutchClock(now: { moment }) }

    /// Today in Dutch time (Europe/Amsterdam).
    public var today: CivilDate { DutchTime.day(now()) }

    /// The Dutch calendar day of `moment`.
    public static func day(of moment: Date) -> CivilDate { DutchTime.day(moment) }
}
