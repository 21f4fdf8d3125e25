import FoundationEssentials
import KraamzorgRules
import DatesAndIDs

/// A client's state when an event about her happened (`events.client_state`): her status, enrolment and
/// dates, which change later. No personal field is kept here (those are read from her row, so erasure
/// reaches them); `ClientRow.asOf` puts this state over her current row.
public struct ClientStateAtEvent: Sendable, Codable, Equatable {
    public let status: String
    public let enrollingProviderId: UUID?
    public let providerName: String?
    public let enrolledOn: String?
    public let enrolledFromStatus: String?
    public let dueDate: String?
    public let bornOn: String?
    public let placedAt: Date?

    /// A SELECT of one client's state as JSON, for `(… WHERE c.id = $1)`.
    static let snapshotSQL = """
        SELECT jsonb_build_object('status', c.status, 'enrollingProviderId', c.enrolling_provider_id, 'providerName', p.name,
                                  'enrolledOn', c.enrolled_on::text, 'enrolledFromStatus', c.enrolled_from_status,
                                  'dueDate', c.due_date::text, 'bornOn', c.born_on::text,
                                  'placedAt', to_char(c.placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
        FROM clients c LEFT JOIN organizations p ON p.id = c.enrolling_provider_id
        """

    init?(json: String) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let value = try? decoder.decode(ClientStateAtEvent.self, from: Data(json.utf8)) else { return nil }
        self = value
    }
}

extension ClientRow {
    /// This client as she was at an event: its state over her current row (personal fields stay current, so erased ones stay erased).
    public func asOf(_ s: ClientStateAtEvent) -> ClientRow {
        ClientRow(
            id: id, waitlistId: waitlistId, regionId: regionId, insurerId: insurerId, insurerParentId: insurerParentId,
            status: ClientStatus(rawValue: s.status) ?? status, enrollingProviderId: s.enrollingProviderId,
            enrolledOn: s.enrolledOn.flatMap { CivilDate(iso: $0) },
            enrolledFromStatus: s.enrolledFromStatus.flatMap(ClientStatus.init(rawValue:)), waitlistName: waitlistName,
            regionName: regionName, clientNumber: clientNumber, dueDate: s.dueDate.flatMap { CivilDate(iso: $0) } ?? dueDate,
            postcodeArea: postcodeArea, providerName: s.providerName, firstName: firstName, lastName: lastName, email: email,
            phone: phone, postcode: postcode, placedAt: s.placedAt ?? placedAt, bornOn: s.bornOn.flatMap { CivilDate(iso: $0) })
    }
}
