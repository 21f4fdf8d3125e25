import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// An organisation's `contact` (DOMAIN §7a): `{"phone"?, "email"?, "website"?}`, as read and as written.
struct ContactJSON: Codable, Sendable {
    var phone: String?
    var email: String?
    var website: String?

    init(_ c: OrganizationContact) {
        phone = c.phone
        email = c.email
        website = c.website
    }

    /// The checked contact (trimmed; an empty string counts as absent); each problem is added to `errors`,
    /// naming its field (`contact.phone`, `contact.email`, `contact.website`).
    func validated(_ errors: inout [APIProblem.FieldError]) -> OrganizationContact {
        func given(_ s: String?) -> String? {
            guard let t = s?.trimmingSpaces(), !t.isEmpty else { return nil }
            return t
        }
        let phone = given(self.phone), website = given(self.website)
        var email = given(self.email)
        if let phone, !ContactJSON.isPhone(phone) {
            errors.append(
                .init(field: "contact.phone", message: "must be a phone number: 8 to 15 digits, with only +, spaces or - between"))
        }
        if let e = email {
            if let n = EmailAddress.normalized(e) {
                email = n
            } else {
                errors.append(.init(field: "contact.email", message: "must be an email address"))
            }
        }
        if let website, !ContactJSON.isWebsite(website) {
            errors.append(.init(field: "contact.website", message: "must be an http:// or https:// URL of at most 500 characters"))
        }
        return OrganizationContact(phone: phone, email: email, website: website)
    }

    /// Digits, with an optional leading `+` and spaces or dashes between: 8 to 15 digits, at most 40 characters.
    static func isPhone(_ text: String) -> Bool {
        let digits = text.filter(\.isASCII).filter(\.isNumber).count
        guard digits >= 8, digits <= 15, text.count <= 40 else { return false }
        for (i, u) in text.unicodeScalars.enumerated() {
            if ("0"..."9").contains(u) || u == " " || u == "-" { continue }
            if u == "+" && i == 0 { continue }
            return false
        }
        return true
    }

    /// `http://` or `https://`, a host with a dot (or `localhost`), no spaces or control characters, ≤ 500 characters.
    static func isWebsite(_ text: String) -> Bool {
        guard text.utf8.count <= 500 else { return false }
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "<" || $0 == ">" })
        else { return false }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
        guard !host.isEmpty, !host.contains("@") else { return false }
        return host.contains(".") || host.lowercased() == "localhost"
    }
}
