/// Step 1 of registering a client: is there an open waitlist for this postcode and due date?
public enum Availability: Sendable, Hashable {
    /// Invite her to this waitlist.
    case open(waitlist: Waitlist, region: Region)
    /// The postcode area belongs to no region known to the service.
    case unknownPostcodeArea(PC4)
    /// The region has no open waitlist whose range includes the due date.
    case noOpenWaitlist(region: Region)

    public var isOpen: Bool { if case .open = self { true } else { false } }

    /// Plain Dutch for the client and the person registering her.
    public var message: String {
        switch self {
        case .open(let w, let r):
            "Er is een open wachtlijst voor uw uitgerekende datum: \(w.name) (\(r.name)). U kunt de cliënt uitnodigen."
        case .unknownPostcodeArea(let a):
            "Er is geen open wachtlijst voor postcodegebied \(a): dit gebied hoort niet bij een regio met een wachtlijst. Meld u aan bij een kraamzorgaanbieder in uw regio."
        case .noOpenWaitlist(let r):
            "Er is geen open wachtlijst in \(r.name) voor deze uitgerekende datum; meld u aan bij een kraamzorgaanbieder in uw regio."
        }
    }

    public var englishMessage: String {
        switch self {
        case .open(let w, let r):
            "There is an open waitlist for this due date: \(w.name) (\(r.name)). You can invite the client."
        case .unknownPostcodeArea(let a):
            "There is no open waitlist for postcode area \(a): it belongs to no region with a waitlist. Register with a maternity care provider in your region."
        case .noOpenWaitlist(let r):
            "There is no open waitlist in \(r.name) for this due date; register with a maternity care provider in your region."
        }
    }

    /// Decides step 1. Only the postcode's area matters. Should two open waitlists of the region cover
    /// the date (which `Waitlist.dueDateConflicts` forbids), the one starting earliest wins.
    public static func check(area: PC4, dueDate: CivilDate, regions: RegionMap, waitlists: [Waitlist]) -> Availability {
        guard let region = regions.region(for: area) else { return .unknownPostcodeArea(area) }
        let candidates = waitlists.filter { $0.regionId == region.id && $0.isOpen && $0.dueDates.contains(dueDate) }
        guard let w = candidates.min(by: { ($0.dueDates.dueFrom, $0.id) < ($1.dueDates.dueFrom, $1.id) }) else {
            return .noOpenWaitlist(region: region)
        }
        return .open(waitlist: w, region: region)
    }

    public static func check(area: PC4, dueDate: CivilDate, regions: [Region], waitlists: [Waitlist]) -> Availability {
        check(area: area, dueDate: dueDate, regions: RegionMap(regions), waitlists: waitlists)
    }
}

/// Why an invitation cannot be accepted into its waitlist any more (DOMAIN §7, acceptance).
public enum AcceptanceRefusal: Error, Sendable, Hashable {
    case waitlistClosed
    case dueDateOutsideRange(DueDateRange)
    /// The postcode she gives lies outside the waitlist's region (or in no region at all).
    case postcodeOutsideRegion

    public var message: String {
        switch self {
        case .waitlistClosed:
            "Deze wachtlijst is inmiddels gesloten. Meld u aan bij een kraamzorgaanbieder in uw regio."
        case .dueDateOutsideRange(let r):
            "Uw uitgerekende datum valt niet (meer) binnen deze wachtlijst (\(r.dueFrom.iso) tot en met \(r.dueTo.iso)). Meld u aan bij een kraamzorgaanbieder in uw regio."
        case .postcodeOutsideRegion:
            "Uw postcode hoort niet bij de regio van deze wachtlijst. Meld u aan bij een kraamzorgaanbieder in uw regio."
        }
    }

    /// Every reason the acceptance with these details is refused; empty means she can be placed.
    public static func reasons(waitlist: Waitlist, region: Region, area: PC4, dueDate: CivilDate) -> [AcceptanceRefusal] {
        var out: [AcceptanceRefusal] = []
        if !waitlist.isOpen { out.append(.waitlistClosed) }
        if !waitlist.dueDates.contains(dueDate) { out.append(.dueDateOutsideRange(waitlist.dueDates)) }
        if region.id != waitlist.regionId || !region.covers(area) { out.append(.postcodeOutsideRegion) }
        return out
    }
}
