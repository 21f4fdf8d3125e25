import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

struct InvitationJSON: Encodable {
    let id: String
    let clientId: String
    let waitlistId: String
    let status: String
    let expiresAt: Date
}

struct InvitationViewJSON: Encodable {
    struct Ref: Encodable { let id: String; let name: String }
    let waitlist: Ref
    let region: Ref
    let dueDate: CivilDate
    let postcodeArea: PC4
    let email: String?
    let expiresAt: Date
    let consentText: String
    let consentVersion: String

    init(_ v: InvitationView) {
        waitlist = Ref(id: v.waitlist.id.lowercasedString, name: v.waitlist.name)
        region = Ref(id: v.region.id.lowercasedString, name: v.region.name)
        dueDate = v.dueDate
        postcodeArea = v.postcodeArea
        email = v.email
        expiresAt = v.expiresAt
        consentText = Consent.text
        consentVersion = Consent.currentVersion
    }
}

/// The client's own view (through her link): all her own data.
struct OwnPlacementJSON: Encodable {
    let id: String
    let status: ClientStatus
    let waitlistName: String
    let regionName: String
    let clientNumber: String
    let dueDate: CivilDate
    let pregnancyWeek: Int
    let urgent: Bool
    let providerName: String?
    let firstName: String?
    let lastName: String?
    let email: String?
    let phone: String?
    let postcode: Postcode?
    let bornOn: CivilDate?
    let clientInfo: String?

    init(_ c: ClientRow, clientInfo: String?, today: CivilDate) {
        let week = Pregnancy.week(on: today, dueDate: c.dueDate)
        id = c.id.lowercasedString
        status = c.status
        waitlistName = c.waitlistName
        regionName = c.regionName
        clientNumber = c.clientNumber
        dueDate = c.dueDate
        pregnancyWeek = week
        urgent = Pregnancy.isUrgent(status: c.status, week: week)
        providerName = c.status == .enrolled ? c.providerName : nil
        firstName = c.firstName
        lastName = c.lastName
        email = c.email
        phone = c.phone
        postcode = c.postcode
        bornOn = c.bornOn
        self.clientInfo = clientInfo
    }
}
