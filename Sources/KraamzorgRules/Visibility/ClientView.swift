/// Everything stored about a client that any viewer might see. Personal fields are nil once erased.
public struct ClientRecord: Sendable, Hashable {
    public let facts: ClientFacts
    public let waitlistName: String
    public let clientNumber: String
    public let dueDate: CivilDate
    /// Kept after erasure: counts and group 1 need it.
    public let postcodeArea: PC4
    public let providerName: String?
    public let firstName: String?
    public let lastName: String?
    public let email: String?
    public let phone: String?
    public let postcode: Postcode?

    public init(
        facts: ClientFacts, waitlistName: String, clientNumber: String, dueDate: CivilDate,
        postcodeArea: PC4, providerName: String? = nil, firstName: String? = nil, lastName: String? = nil,
        email: String? = nil, phone: String? = nil, postcode: Postcode? = nil
    ) {
        self.facts = facts
        self.waitlistName = waitlistName
        self.clientNumber = clientNumber
        self.dueDate = dueDate
        self.postcodeArea = postcodeArea
        self.providerName = providerName
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.postcode = postcode
    }

    /// What `viewer` gets on `date`, or nil when she may not know the client exists (API: 404).
    public func view(for viewer: Viewer, on date: CivilDate) -> ClientView? {
        let fields = visibleFields(viewer, facts)
        guard !fields.isEmpty else { return nil }
        return ClientView(record: self, fields: fields, on: date)
    }
}

/// A client as one viewer sees her. Encodes `id` plus exactly the visible fields that have a value:
/// a field the caller may not see is absent, never null.
public struct ClientView: Sendable, Hashable, Encodable {
    public let id: ClientID
    /// The fields actually present (visible and with a value).
    public let fields: ClientFieldSet
    public let waitlistName: String?
    public let clientNumber: String?
    public let dueDate: CivilDate?
    public let pregnancyWeek: Int?
    public let urgent: Bool?
    public let postcodeArea: PC4?
    public let status: ClientStatus?
    public let providerName: String?
    public let firstName: String?
    public let lastName: String?
    public let email: String?
    public let phone: String?
    public let postcode: Postcode?

    init(record r: ClientRecord, fields f: ClientFieldSet, on date: CivilDate) {
        var present = f
        func pick<T>(_ field: ClientField, _ value: T?) -> T? {
            guard f.contains(field), let value else {
                present.remove(ClientFieldSet([field]))
                return nil
            }
            return value
        }
        let week = Pregnancy.week(on: date, dueDate: r.dueDate)
        id = r.facts.clientId
        waitlistName = pick(.waitlistName, r.waitlistName)
        clientNumber = pick(.clientNumber, r.clientNumber)
        dueDate = pick(.dueDate, r.dueDate)
        pregnancyWeek = pick(.pregnancyWeek, week)
        urgent = pick(.urgent, Pregnancy.isUrgent(status: r.facts.status, week: week))
        postcodeArea = pick(.postcodeArea, r.postcodeArea)
        status = pick(.status, r.facts.status)
        providerName = pick(.providerName, r.providerName)
        firstName = pick(.firstName, r.firstName)
        lastName = pick(.lastName, r.lastName)
        email = pick(.email, r.email)
        phone = pick(.phone, r.phone)
        postcode = pick(.postcode, r.postcode)
        fields = present
    }

    /// The JSON members (`fields` is not one); nil ones are left out, as synthesized `Encodable` does.
    private enum CodingKeys: String, CodingKey {
        case id, waitlistName, clientNumber, dueDate, pregnancyWeek, urgent, postcodeArea, status, providerName
        case firstName, lastName, email, phone, postcode
    }
}
