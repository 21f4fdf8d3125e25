/// The due dates a waitlist covers: the closed range [dueFrom, dueTo].
public struct DueDateRange: Sendable, Hashable, CustomStringConvertible {
    public let dueFrom: CivilDate
    public let dueTo: CivilDate

    public init(dueFrom: CivilDate, dueTo: CivilDate) throws(DueDateRangeError) {
        guard dueFrom <= dueTo else { throw .reversed(dueFrom: dueFrom, dueTo: dueTo) }
        self.dueFrom = dueFrom
        self.dueTo = dueTo
    }

    /// Both ends included.
    public func contains(_ date: CivilDate) -> Bool { dueFrom <= date && date <= dueTo }
    public func overlaps(_ other: DueDateRange) -> Bool { dueFrom <= other.dueTo && other.dueFrom <= dueTo }

    public var description: String { "\(dueFrom.iso)…\(dueTo.iso)" }
}

public enum DueDateRangeError: Error, Sendable, Hashable {
    case reversed(dueFrom: CivilDate, dueTo: CivilDate)

    public var message: String {
        switch self {
        case .reversed(let f, let t): "dueFrom (\(f.iso)) ligt na dueTo (\(t.iso))."
        }
    }
}

public enum WaitlistStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case closed
}

/// A region's waitlist for a due-date range ("code rood").
public struct Waitlist: Sendable, Hashable {
    public let id: WaitlistID
    public let regionId: RegionID
    public let name: String
    public let status: WaitlistStatus
    public let dueDates: DueDateRange

    public init(id: WaitlistID, regionId: RegionID, name: String, status: WaitlistStatus, dueDates: DueDateRange) {
        self.id = id
        self.regionId = regionId
        self.name = name
        self.status = status
        self.dueDates = dueDates
    }

    public var isOpen: Bool { status == .open }
}

/// Two waitlists of one region whose due-date ranges share a day.
public struct WaitlistRangeConflict: Sendable, Hashable {
    public let regionId: RegionID
    public let first: WaitlistID
    public let second: WaitlistID
    /// The shared days.
    public let overlap: DueDateRange
}

extension Waitlist {
    /// Pairs of waitlists in the same region whose ranges overlap. Closed waitlists count too: a closed
    /// list can be reopened, and reopening must not create an overlap.
    public static func dueDateConflicts(_ waitlists: [Waitlist]) -> [WaitlistRangeConflict] {
        let sorted = waitlists.sorted {
            ($0.regionId, $0.dueDates.dueFrom, $0.dueDates.dueTo, $0.id) < ($1.regionId, $1.dueDates.dueFrom, $1.dueDates.dueTo, $1.id)
        }
        var conflicts: [WaitlistRangeConflict] = []
        for i in sorted.indices {
            var j = i + 1
            while j < sorted.count, sorted[j].regionId == sorted[i].regionId,
                sorted[j].dueDates.dueFrom <= sorted[i].dueDates.dueTo
            {
                let a = sorted[i].dueDates, b = sorted[j].dueDates
                // max/min of two valid overlapping ranges is a valid range.
                let shared = try! DueDateRange(dueFrom: max(a.dueFrom, b.dueFrom), dueTo: min(a.dueTo, b.dueTo))
                conflicts.append(
                    WaitlistRangeConflict(
                        regionId: sorted[i].regionId, first: sorted[i].id,
                        second: sorted[j].id, overlap: shared))
                j += 1
            }
        }
        return conflicts
    }

    /// The conflicts `candidate` would bring when created or replaced (the old version, same id, is ignored).
    public static func dueDateConflicts(of candidate: Waitlist, with existing: [Waitlist]) -> [WaitlistRangeConflict] {
        let others = existing.filter { $0.id != candidate.id && $0.regionId == candidate.regionId }
        return dueDateConflicts(others + [candidate]).filter { $0.first == candidate.id || $0.second == candidate.id }
    }
}
