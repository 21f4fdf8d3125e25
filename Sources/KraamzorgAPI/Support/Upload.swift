import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import DatesAndIDs

/// Uploads: the declared type must be PDF, JPEG or PNG and the content must start like one.
enum Upload {
    static let maxBytes = 10 * 1024 * 1024
    static let options = RouteOptions(bodyLimit: Upload.maxBytes)
    static let types = ["application/pdf", "image/jpeg", "image/png"]

    static func sniff(_ b: [UInt8]) -> String? {
        if b.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }

    static func check(_ request: HTTPRequest) throws -> String {
        let declared =
            (request.headers["Content-Type"] ?? "").split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard types.contains(declared) else {
            throw APIProblem(status: .unsupportedMediaType, detail: "send the file as application/pdf, image/jpeg or image/png")
        }
        guard !request.body.isEmpty else { throw APIProblem.validation([.init(field: "(body)", message: "the file is empty")]) }
        guard request.body.count <= maxBytes else {
            throw APIProblem(status: HTTPStatus(code: 413), detail: "the file is larger than 10 MB")
        }
        guard sniff(request.body) == declared else {
            throw APIProblem.validation([
                .init(field: "(body)", message: "the content is not a \(declared) file (checked by its first bytes)")
            ])
        }
        return declared
    }
}
