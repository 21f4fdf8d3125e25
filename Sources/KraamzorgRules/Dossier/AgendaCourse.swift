/// An upcoming course from the agenda, as the course planner sees it.
public struct AgendaCourse: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var startDate: CivilDate
    public var lines: [AccreditationLine]

    public init(id: String, title: String, startDate: CivilDate, lines: [AccreditationLine]) {
        self.id = id
        self.title = title
        self.startDate = startDate
        self.lines = lines
    }
}
