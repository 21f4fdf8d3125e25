/// A client field as named in the JSON (API.md, "A client as seen by group 1 / group 2").
public enum ClientField: String, Sendable, Hashable, CaseIterable, Codable {
    // group 1
    case waitlistName, clientNumber, dueDate, pregnancyWeek, urgent, postcodeArea, status, providerName
    // group 2 adds
    case firstName, lastName, email, phone, postcode

    var bit: UInt16 { 1 << UInt16(ClientField.allCases.firstIndex(of: self)!) }
}

/// The fields a viewer may see of one client. `id` is not a field: whoever sees a client sees its id.
public struct ClientFieldSet: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public init(_ fields: some Sequence<ClientField>) {
        self.init(rawValue: fields.reduce(0) { $0 | $1.bit })
    }

    public static let none: ClientFieldSet = []

    // One member per field, so `[.email, .phone]` reads as a set literal.
    public static let waitlistName = ClientFieldSet([ClientField.waitlistName])
    public static let clientNumber = ClientFieldSet([ClientField.clientNumber])
    public static let dueDate = ClientFieldSet([ClientField.dueDate])
    public static let pregnancyWeek = ClientFieldSet([ClientField.pregnancyWeek])
    public static let urgent = ClientFieldSet([ClientField.urgent])
    public static let postcodeArea = ClientFieldSet([ClientField.postcodeArea])
    public static let status = ClientFieldSet([ClientField.status])
    public static let providerName = ClientFieldSet([ClientField.providerName])
    public static let firstName = ClientFieldSet([ClientField.firstName])
    public static let lastName = ClientFieldSet([ClientField.lastName])
    public static let email = ClientFieldSet([ClientField.email])
    public static let phone = ClientFieldSet([ClientField.phone])
    public static let postcode = ClientFieldSet([ClientField.postcode])

    /// Not traceable to a person: waitlist, client number, due date, week, urgency, PC4, status, provider.
    public static let group1: ClientFieldSet = [
        .waitlistName, .clientNumber, .dueDate, .pregnancyWeek, .urgent,
        .postcodeArea, .status, .providerName,
    ]
    /// AVG personal data, only for group 2.
    public static let personal: ClientFieldSet = [.firstName, .lastName, .email, .phone, .postcode]
    public static let group2: ClientFieldSet = group1.union(personal)

    public func contains(_ field: ClientField) -> Bool { contains(ClientFieldSet(rawValue: field.bit)) }

    /// In JSON order.
    public var fields: [ClientField] { ClientField.allCases.filter { contains($0) } }

    public var description: String { "[" + fields.map(\.rawValue).joined(separator: ", ") + "]" }
}
