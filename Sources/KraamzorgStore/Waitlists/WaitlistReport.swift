import FoundationEssentials
import KraamzorgRules

/// The weekly waitlist report's counts, shared by `GET /v1/waitlists/{id}/report` and the weekly-update
/// job: counts only of the clients `viewer` may see.
public struct WaitlistReport: Sendable {
    public struct Line: Sendable, Encodable {
        public let dueWeek: String
        public var waiting = 0
        public var urgent = 0
        public var enrolled = 0
        public var newPlacements = 0

        public init(dueWeek: String) { self.dueWeek = dueWeek }
    }

    public let week: ISOWeek
    public let total: Line
    public let lines: [Line]

    /// `rows` are the waitlist's clients in the viewer's scope; `weekStart`/`weekEnd` bound "new placements".
    public init(rows: [ClientRow], viewer: Viewer, week: ISOWeek, today: CivilDate, weekStart: Date, weekEnd: Date) {
        let visible = rows.filter { $0.status != .invited && viewer.canSee($0.facts) }
        var byWeek: [ISOWeek: Line] = [:]
        for c in visible {
            let due = ISOWeek(containing: c.dueDate)
            var line = byWeek[due] ?? Line(dueWeek: due.description)
            switch c.status {
            case .waiting, .birthReported: line.waiting += 1
            case .enrolled: line.enrolled += 1
            case .withdrawn, .invited: break
            }
            if Pregnancy.isUrgent(status: c.status, dueDate: c.dueDate, on: today) { line.urgent += 1 }
            if let placed = c.placedAt, placed >= weekStart, placed < weekEnd { line.newPlacements += 1 }
            byWeek[due] = line
        }
        let lines = byWeek.keys.sorted().map { byWeek[$0]! }
        var total = Line(dueWeek: "total")
        for l in lines {
            total.waiting += l.waiting; total.urgent += l.urgent; total.enrolled += l.enrolled; total.newPlacements += l.newPlacements
        }
        self.week = week
        self.total = total
        self.lines = lines
    }
}
