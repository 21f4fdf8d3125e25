import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

struct RegionJSON: Encodable {
    let id: String
    let name: String
    let postcodeRanges: [PostcodeRange]
    let preferentInsurerIds: [String]
    let clientInfo: String
    let createdAt: Date

    init(_ r: RegionRecord) {
        id = r.id.lowercasedString
        name = r.name
        postcodeRanges = r.postcodeRanges
        preferentInsurerIds = r.preferentInsurerIds.map(\.lowercasedString)
        clientInfo = r.clientInfo
        createdAt = r.createdAt
    }
}

struct WaitlistJSON: Encodable {
    let id: String
    let regionId: String
    let name: String
    let status: WaitlistStatus
    let dueFrom: CivilDate
    let dueTo: CivilDate
    let createdAt: Date

    init(_ w: WaitlistRecord) {
        id = w.id.lowercasedString
        regionId = w.regionId.lowercasedString
        name = w.name
        status = w.status
        dueFrom = w.dueDates.dueFrom
        dueTo = w.dueDates.dueTo
        createdAt = w.createdAt
    }
}

struct AvailabilityJSON: Encodable {
    struct Ref: Encodable { let id: String; let name: String }
    let open: Bool
    let waitlist: Ref?
    let region: Ref?
    let message: String

    init(_ a: Availability) {
        open = a.isOpen
        message = a.message
        switch a {
        case .open(let w, let r): waitlist = Ref(id: w.id, name: w.name); region = Ref(id: r.id, name: r.name)
        case .noOpenWaitlist(let r): waitlist = nil; region = Ref(id: r.id, name: r.name)
        case .unknownPostcodeArea: waitlist = nil; region = nil
        }
    }
}
