/// A KSV region as the rules need it: which postcode areas it covers.
public struct Region: Sendable, Hashable {
    public let id: RegionID
    public let name: String
    public let postcodeRanges: [PostcodeRange]

    public init(id: RegionID, name: String, postcodeRanges: [PostcodeRange]) {
        self.id = id
        self.name = name
        self.postcodeRanges = postcodeRanges
    }

    public func covers(_ area: PC4) -> Bool { postcodeRanges.contains { $0.contains(area) } }
}

/// Two ranges that share at least one postcode area.
public struct PostcodeRangeConflict: Sendable, Hashable, CustomStringConvertible {
    public let firstRegionId: RegionID
    public let firstRange: PostcodeRange
    public let secondRegionId: RegionID
    public let secondRange: PostcodeRange

    /// Overlap inside one region is harmless for lookup but still reported: it is a data-entry slip.
    public var isWithinRegion: Bool { firstRegionId == secondRegionId }

    /// The shared areas.
    public var overlap: ClosedRange<Int> { max(firstRange.from, secondRange.from)...min(firstRange.to, secondRange.to) }

    public var description: String {
        "\(firstRegionId) \(firstRange) overlaps \(secondRegionId) \(secondRange) in \(overlap.lowerBound)–\(overlap.upperBound)"
    }
}

extension Region {
    /// Every pair of overlapping ranges, within a region and across regions (a PC4 belongs to at most one
    /// region). Pairs come in the order of their ranges' lower bounds; O(n log n + conflicts).
    public static func postcodeConflicts(_ regions: [Region]) -> [PostcodeRangeConflict] {
        var all: [(region: RegionID, range: PostcodeRange)] = []
        for r in regions { for range in r.postcodeRanges { all.append((r.id, range)) } }
        all.sort { ($0.range.from, $0.range.to) < ($1.range.from, $1.range.to) }
        var conflicts: [PostcodeRangeConflict] = []
        for i in all.indices {
            var j = i + 1
            while j < all.count, all[j].range.from <= all[i].range.to {
                conflicts.append(
                    PostcodeRangeConflict(
                        firstRegionId: all[i].region, firstRange: all[i].range,
                        secondRegionId: all[j].region, secondRange: all[j].range))
                j += 1
            }
        }
        return conflicts
    }

    /// The conflicts `candidate` would bring when created or replaced (a region in `existing` with the
    /// candidate's id is the old version and is ignored): its own overlaps and those with other regions.
    public static func postcodeConflicts(of candidate: Region, with existing: [Region]) -> [PostcodeRangeConflict] {
        let others = existing.filter { $0.id != candidate.id }
        return postcodeConflicts(others + [candidate]).filter {
            $0.firstRegionId == candidate.id || $0.secondRegionId == candidate.id
        }
    }
}

/// Finds the region of a postcode area by binary search over all ranges; build once per region set.
public struct RegionMap: Sendable {
    private let entries: [(range: PostcodeRange, region: Region)]
    /// `reach[k]` = the highest `to` among entries 0...k, so a lookup stops scanning back early.
    private let reach: [Int]

    /// With overlapping ranges (which `Region.postcodeConflicts` reports), the range with the lowest
    /// lower bound wins; lookups stay deterministic.
    public init(_ regions: [Region]) {
        var e: [(range: PostcodeRange, region: Region)] = []
        for r in regions { for range in r.postcodeRanges { e.append((range, r)) } }
        e.sort { ($0.range.from, $0.range.to, $0.region.id) < ($1.range.from, $1.range.to, $1.region.id) }
        var reach: [Int] = []
        reach.reserveCapacity(e.count)
        for x in e { reach.append(max(reach.last ?? 0, x.range.to)) }
        self.entries = e
        self.reach = reach
    }

    /// O(log n) without overlaps.
    public func region(for area: PC4) -> Region? {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].range.from <= area.value { lo = mid + 1 } else { hi = mid }
        }
        var k = lo - 1
        var found: Region?
        while k >= 0, reach[k] >= area.value {
            if entries[k].range.contains(area) { found = entries[k].region }
            k -= 1
        }
        return found
    }
}
