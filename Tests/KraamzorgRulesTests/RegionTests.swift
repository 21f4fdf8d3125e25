import Testing
import KraamzorgRules

private func range(_ a: Int, _ b: Int) -> PostcodeRange { try! PostcodeRange(from: a, to: b) }
private func region(_ id: String, _ ranges: [PostcodeRange]) -> Region { Region(id: id, name: "KSV \(id)", postcodeRanges: ranges) }
private func date(_ s: String) -> CivilDate { CivilDate(iso: s)! }
private func waitlist(
    _ id: String, region: String = "fr", _ from: String, _ to: String,
    status: WaitlistStatus = .open
) -> Waitlist {
    Waitlist(
        id: id, regionId: region, name: "Wachtlijst \(id)", status: status,
        dueDates: try! DueDateRange(dueFrom: date(from), dueTo: date(to)))
}

@Suite struct RegionTests {
    @Test func rangeBoundsAreInclusive() {
        let r = range(8400, 9299)
        #expect(r.contains(PC4(8400)!))
        #expect(r.contains(PC4(9299)!))
        #expect(!r.contains(PC4(8399)!))
        #expect(!r.contains(PC4(9300)!))
    }

    @Test func singleAreaRangeIsValid() throws {
        let r = try PostcodeRange(from: 8731, to: 8731)
        #expect(r.contains(PC4(8731)!))
    }

    @Test func reversedRangeIsRefused() {
        #expect(throws: PostcodeRangeError.reversed(from: 9000, to: 8000)) { try PostcodeRange(from: 9000, to: 8000) }
    }

    @Test func rangeOutsideFourDigitAreasIsRefused() {
        #expect(throws: PostcodeRangeError.outOfBounds(999)) { try PostcodeRange(from: 999, to: 1200) }
        #expect(throws: PostcodeRangeError.outOfBounds(10000)) { try PostcodeRange(from: 9000, to: 10000) }
    }

    @Test func lookupFindsTheRegionOfAnArea() {
        let map = RegionMap([region("fr", [range(8400, 9299)]), region("gr", [range(9300, 9999), range(7800, 7899)])])
        #expect(map.region(for: PC4(8731)!)?.id == "fr")
        #expect(map.region(for: PC4(9300)!)?.id == "gr")
        #expect(map.region(for: PC4(7850)!)?.id == "gr")
        #expect(map.region(for: PC4(9299)!)?.id == "fr")
    }

    @Test func lookupOfAnUncoveredAreaIsNil() {
        let map = RegionMap([region("fr", [range(8400, 9299)])])
        #expect(map.region(for: PC4(1012)!) == nil)
        #expect(map.region(for: PC4(8399)!) == nil)
        #expect(map.region(for: PC4(9300)!) == nil)
        #expect(RegionMap([]).region(for: PC4(1012)!) == nil)
    }

    @Test func lookupFindsAnAreaInsideAWideEarlierRange() {
        // A wide range followed by narrow ones that start later: binary search must look back.
        let map = RegionMap([region("a", [range(1000, 5000)]), region("b", [range(5001, 5002)]), region("c", [range(6000, 6001)])])
        #expect(map.region(for: PC4(4000)!)?.id == "a")
        #expect(map.region(for: PC4(5002)!)?.id == "b")
        #expect(map.region(for: PC4(5500)!) == nil)
    }

    @Test func disjointRegionsHaveNoConflicts() {
        let regions = [region("fr", [range(8400, 9299)]), region("gr", [range(9300, 9999)])]
        #expect(Region.postcodeConflicts(regions).isEmpty)
    }

    @Test func overlapAcrossRegionsIsReportedWithBothRanges() {
        let regions = [region("fr", [range(8400, 9299)]), region("gr", [range(9200, 9999)])]
        let conflicts = Region.postcodeConflicts(regions)
        #expect(conflicts.count == 1)
        #expect(conflicts[0].firstRegionId == "fr")
        #expect(conflicts[0].secondRegionId == "gr")
        #expect(conflicts[0].overlap == 9200...9299)
        #expect(!conflicts[0].isWithinRegion)
    }

    @Test func sharedBoundaryAreaIsAnOverlap() {
        let regions = [region("fr", [range(8400, 9299)]), region("gr", [range(9299, 9999)])]
        #expect(Region.postcodeConflicts(regions).map(\.overlap) == [9299...9299])
    }

    @Test func overlapWithinOneRegionIsReported() {
        let conflicts = Region.postcodeConflicts([region("fr", [range(8400, 8800), range(8700, 9299)])])
        #expect(conflicts.count == 1)
        #expect(conflicts[0].isWithinRegion)
        #expect(conflicts[0].overlap == 8700...8800)
    }

    @Test func everyConflictingPairIsReported() {
        let regions = [region("a", [range(1000, 2000)]), region("b", [range(1500, 1600)]), region("c", [range(1550, 3000)])]
        let pairs = Set(Region.postcodeConflicts(regions).map { "\($0.firstRegionId)-\($0.secondRegionId)" })
        #expect(pairs == ["a-b", "a-c", "b-c"])
    }

    @Test func candidateConflictsIgnoreItsOldVersion() {
        let existing = [region("fr", [range(8400, 9299)]), region("gr", [range(9300, 9999)])]
        // Widening fr onto gr's areas conflicts with gr, not with fr's own old version.
        let widened = region("fr", [range(8400, 9400)])
        let conflicts = Region.postcodeConflicts(of: widened, with: existing)
        #expect(conflicts.count == 1)
        #expect(Set([conflicts[0].firstRegionId, conflicts[0].secondRegionId]) == ["fr", "gr"])
        #expect(Region.postcodeConflicts(of: region("fr", [range(8400, 9299)]), with: existing).isEmpty)
    }

    @Test func candidateConflictsLeaveOtherRegionsPairsOut() {
        let existing = [region("a", [range(1000, 2000)]), region("b", [range(1500, 2500)])]
        #expect(Region.postcodeConflicts(of: region("c", [range(3000, 3100)]), with: existing).isEmpty)
    }

    @Test func rangeDescribesItselfWithBothBounds() throws {
        #expect(range(8400, 9299).description == "8400–9299")
    }

    // MARK: waitlist due-date ranges

    @Test func reversedDueDateRangeIsRefused() {
        #expect(throws: DueDateRangeError.self) { try DueDateRange(dueFrom: date("2026-07-01"), dueTo: date("2026-06-30")) }
    }

    @Test func oneDayDueDateRangeIsValid() throws {
        let r = try DueDateRange(dueFrom: date("2026-06-01"), dueTo: date("2026-06-01"))
        #expect(r.contains(date("2026-06-01")))
    }

    @Test func dueDateRangeIsClosedAtBothEnds() throws {
        let r = try DueDateRange(dueFrom: date("2026-06-01"), dueTo: date("2026-06-30"))
        #expect(r.contains(date("2026-06-01")))
        #expect(r.contains(date("2026-06-30")))
        #expect(!r.contains(date("2026-05-31")))
        #expect(!r.contains(date("2026-07-01")))
    }

    @Test func adjacentWaitlistsDoNotOverlap() {
        let lists = [waitlist("jun", "2026-06-01", "2026-06-30"), waitlist("jul", "2026-07-01", "2026-07-31")]
        #expect(Waitlist.dueDateConflicts(lists).isEmpty)
    }

    @Test func waitlistsSharingADayOverlap() {
        let lists = [waitlist("jun", "2026-06-01", "2026-06-30"), waitlist("jul", "2026-06-30", "2026-07-31")]
        let c = Waitlist.dueDateConflicts(lists)
        #expect(c.count == 1)
        #expect(c[0].regionId == "fr")
        #expect(Set([c[0].first, c[0].second]) == ["jun", "jul"])
        #expect(c[0].overlap == (try! DueDateRange(dueFrom: date("2026-06-30"), dueTo: date("2026-06-30"))))
    }

    @Test func closedWaitlistsStillCountForOverlap() {
        let lists = [waitlist("old", "2026-06-01", "2026-06-30", status: .closed), waitlist("new", "2026-06-15", "2026-07-15")]
        #expect(Waitlist.dueDateConflicts(lists).count == 1)
    }

    @Test func waitlistsOfDifferentRegionsMayOverlap() {
        let lists = [waitlist("fr", region: "fr", "2026-06-01", "2026-06-30"), waitlist("gr", region: "gr", "2026-06-01", "2026-06-30")]
        #expect(Waitlist.dueDateConflicts(lists).isEmpty)
    }

    @Test func containedWaitlistRangeOverlaps() {
        let lists = [waitlist("q3", "2026-07-01", "2026-09-30"), waitlist("aug", "2026-08-01", "2026-08-31")]
        let c = Waitlist.dueDateConflicts(lists)
        #expect(c.count == 1)
        #expect(c[0].overlap.dueFrom == date("2026-08-01"))
        #expect(c[0].overlap.dueTo == date("2026-08-31"))
    }

    @Test func candidateWaitlistConflictsIgnoreItsOldVersion() {
        let existing = [waitlist("jun", "2026-06-01", "2026-06-30"), waitlist("jul", "2026-07-01", "2026-07-31")]
        #expect(Waitlist.dueDateConflicts(of: waitlist("jun", "2026-05-15", "2026-06-30"), with: existing).isEmpty)
        let c = Waitlist.dueDateConflicts(of: waitlist("jun", "2026-06-01", "2026-07-05"), with: existing)
        #expect(c.count == 1)
    }
}
