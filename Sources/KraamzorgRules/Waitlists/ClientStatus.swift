/// Where a client stands. `withdrawn` is final; everything else counts as active for her client number.
public enum ClientStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Invitation sent; she has not accepted yet (not on the waitlist).
    case invited
    /// On the waitlist without a care provider.
    case waiting
    /// A care provider took her.
    case enrolled
    /// Left the lists (her own choice, or a coordinator or admin).
    case withdrawn
    /// Gave birth before any provider enrolled her: the most urgent case, still enrollable.
    case birthReported

    /// A client number of one insurer is active at most once (DOMAIN §7).
    public var isActive: Bool { self != .withdrawn }

    /// On a waitlist proper (listed to providers and insurers as waiting/urgent or enrolled).
    public var isPlaced: Bool { self == .waiting || self == .enrolled || self == .birthReported }
}

public func isActive(_ status: ClientStatus) -> Bool { status.isActive }

/// An insurer's number for the insured, compared without surrounding/inner white space and case
/// (`" ts1111 rr "` is `TS1111RR`).
public struct ClientNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// Nil when nothing but white space remains.
    public init?(_ text: some StringProtocol) {
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
        guard !kept.isEmpty else { return nil }
        value = kept.uppercased()
    }

    public var description: String { value }
    public static func < (a: ClientNumber, b: ClientNumber) -> Bool { a.value < b.value }
}

/// The key under which "active at most once" holds: the insurer group (a label's parent, else the
/// insurer itself), because labels are brands of one insurer and share its administration of numbers.
public struct ActiveClientKey: Sendable, Hashable {
    public let insurerGroupId: OrganisationID
    public let clientNumber: ClientNumber

    public init(insurerId: OrganisationID, insurerParentId: OrganisationID?, clientNumber: ClientNumber) {
        self.insurerGroupId = insurerParentId ?? insurerId
        self.clientNumber = clientNumber
    }
}
