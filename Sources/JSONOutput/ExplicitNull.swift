import FoundationEssentials

/// An optional property whose key the JSON always carries: `null` when it is nil.
///
/// Synthesized `Encodable` writes a plain optional with `encodeIfPresent`, which leaves the key out when it is
/// nil. The wrapper itself is not optional, so synthesized code writes it with `encode`, and it writes its value
/// or `null` — with `JSONOutputEncoder` and with Foundation's `JSONEncoder` alike. So a type that shows some
/// nils as `null` needs no hand-written `encode(to:)`:
///
///     struct ListBody: Encodable {
///         let total: Int
///         @ExplicitNull var nextCursor: String?   // "nextCursor":null on the last page
///     }
@propertyWrapper
public struct ExplicitNull<Wrapped> {
    public var wrappedValue: Wrapped?

    public init(wrappedValue: Wrapped?) { self.wrappedValue = wrappedValue }
}

extension ExplicitNull: Encodable where Wrapped: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension ExplicitNull: Sendable where Wrapped: Sendable {}
extension ExplicitNull: Equatable where Wrapped: Equatable {}
extension ExplicitNull: Hashable where Wrapped: Hashable {}
