import Testing
import KraamzorgRules

private func date(_ s: String) -> CivilDate { CivilDate(iso: s)! }
private let friesland = Region(id: "fr", name: "KSV Friesland", postcodeRanges: [try! PostcodeRange(from: 8400, to: 9299)])
private let groningen = Region(id: "gr", name: "KSV Groningen", postcodeRanges: [try! PostcodeRange(from: 9300, to: 9999)])
private func waitlist(
    _ id: String, region: String = "fr", _ from: String, _ to: String,
    status: WaitlistStatus = .open
) -> Waitlist {
    Waitlist(
        id: id, regionId: region, name: "KSV Friesland \(id)", status: status,
        dueDates: try! DueDateRange(dueFrom: date(from), dueTo: date(to)))
}
private let june = waitlist("juni", "2026-06-01", "2026-06-30")
private let august = waitlist("augustus", "2026-08-01", "2026-08-31", status: .closed)
private let groningenJune = waitlist("gr-juni", region: "gr", "2026-06-01", "2026-06-30")

private func check(_ postcode: String, _ due: String, waitlists: [Waitlist] = [june, august, groningenJune]) -> Availability {
    let area = try! PostcodeOrArea(parsing: postcode).area
    return Availability.check(area: area, dueDate: date(due), regions: [friesland, groningen], waitlists: waitlists)
}

@Suite struct AvailabilityTests {
    @Test func openWaitlistCoveringTheDueDateIsFound() {
        #expect(check("8731 AB", "2026-06-23") == .open(waitlist: june, region: friesland))
    }

    @Test func firstDayOfTheRangeIsCovered() {
        #expect(check("8731AB", "2026-06-01") == .open(waitlist: june, region: friesland))
    }

    @Test func lastDayOfTheRangeIsCovered() {
        #expect(check("8731AB", "2026-06-30") == .open(waitlist: june, region: friesland))
    }

    @Test func dayBeforeTheRangeHasNoOpenWaitlist() {
        #expect(check("8731AB", "2026-05-31") == .noOpenWaitlist(region: friesland))
    }

    @Test func dayAfterTheRangeHasNoOpenWaitlist() {
        #expect(check("8731AB", "2026-07-01") == .noOpenWaitlist(region: friesland))
    }

    @Test func closedWaitlistCoveringTheDateIsNotOpen() {
        #expect(check("8731AB", "2026-08-15") == .noOpenWaitlist(region: friesland))
    }

    @Test func regionWithoutAnyWaitlistHasNoOpenWaitlist() {
        #expect(check("8731AB", "2026-06-15", waitlists: []) == .noOpenWaitlist(region: friesland))
    }

    @Test func waitlistOfAnotherRegionDoesNotCount() {
        #expect(check("8731AB", "2026-06-15", waitlists: [groningenJune]) == .noOpenWaitlist(region: friesland))
        #expect(check("9351AB", "2026-06-15") == .open(waitlist: groningenJune, region: groningen))
    }

    @Test func postcodeAreaOutsideEveryRegionIsUnknown() {
        #expect(check("1012 AB", "2026-06-15") == .unknownPostcodeArea(PC4(1012)!))
    }

    @Test func areaAloneIsEnough() {
        #expect(check("8731", "2026-06-15").isOpen)
    }

    @Test func noWaitlistMessageTellsHerToRegisterWithAProvider() {
        let m = check("8731AB", "2026-07-01").message
        #expect(m.contains("Er is geen open wachtlijst"))
        #expect(m.contains("meld u aan bij een kraamzorgaanbieder in uw regio"))
        #expect(m.contains("KSV Friesland"))
    }

    @Test func unknownAreaMessageTellsHerToRegisterWithAProvider() {
        let m = check("1012AB", "2026-06-15").message
        #expect(m.contains("Er is geen open wachtlijst"))
        #expect(m.contains("kraamzorgaanbieder in uw regio"))
        #expect(!check("1012AB", "2026-06-15").englishMessage.isEmpty)
    }

    @Test func openMessageNamesTheWaitlist() {
        #expect(check("8731AB", "2026-06-15").message.contains(june.name))
    }

    // MARK: acceptance (waitlist closed or due date moved meanwhile)

    @Test func acceptanceIntoOpenWaitlistWithinRangeHasNoRefusals() {
        #expect(AcceptanceRefusal.reasons(waitlist: june, region: friesland, area: PC4(8731)!, dueDate: date("2026-06-30")).isEmpty)
    }

    @Test func acceptanceIntoAClosedWaitlistIsRefused() {
        let closed = waitlist("juni", "2026-06-01", "2026-06-30", status: .closed)
        #expect(
            AcceptanceRefusal.reasons(waitlist: closed, region: friesland, area: PC4(8731)!, dueDate: date("2026-06-15"))
                == [.waitlistClosed])
    }

    @Test func acceptanceWithDueDateOutsideTheRangeIsRefused() {
        #expect(
            AcceptanceRefusal.reasons(waitlist: june, region: friesland, area: PC4(8731)!, dueDate: date("2026-07-01"))
                == [.dueDateOutsideRange(june.dueDates)])
    }

    @Test func acceptanceWithPostcodeInAnotherRegionIsRefused() {
        #expect(
            AcceptanceRefusal.reasons(waitlist: june, region: friesland, area: PC4(9351)!, dueDate: date("2026-06-15"))
                == [.postcodeOutsideRegion])
    }

    @Test func acceptanceListsEveryReason() {
        let closed = waitlist("juni", "2026-06-01", "2026-06-30", status: .closed)
        let reasons = AcceptanceRefusal.reasons(waitlist: closed, region: friesland, area: PC4(9351)!, dueDate: date("2026-07-01"))
        #expect(reasons.count == 3)
        for r in reasons { #expect(r.message.contains("kraamzorgaanbieder in uw regio")) }
    }
}
