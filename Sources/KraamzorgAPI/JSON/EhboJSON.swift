import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

struct EhboJSON: Encodable {
    let id: String
    let practitionerId: String
    let obtainedOn: CivilDate
    let validUntil: CivilDate
    let status: String
    let contentType: String?
    let fileSize: Int?
    let reviewReason: String?
    let reviewedAt: Date?
    let createdAt: Date

    init(_ e: EhboRecord) {
        id = e.id.lowercasedString; practitionerId = e.practitionerId.lowercasedString; obtainedOn = e.obtainedOn; validUntil = e.validUntil
        status = e.status.rawValue; contentType = e.contentType; fileSize = e.fileSize; reviewReason = e.reviewReason
        reviewedAt = e.reviewedAt; createdAt = e.createdAt
    }
}
