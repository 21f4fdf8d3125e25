/// An inclusive range of postcode areas, `8400...9299`, as a region is described.
public struct PostcodeRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public let from: Int
    public let to: Int

    public init(from: Int, to: Int) throws(PostcodeRangeError) {
        guard (1000...9999).contains(from) else { throw .outOfBounds(from) }
        guard (1000...9999).contains(to) else { throw .outOfBounds(to) }
        guard from <= to else { throw .reversed(from: from, to: to) }
        self.from = from
        self.to = to
    }

    public func contains(_ area: PC4) -> Bool { from <= area.value && area.value <= to }
    public func overlaps(_ other: PostcodeRange) -> Bool { from <= other.to && other.from <= to }

    public var description: String { "\(from)–\(to)" }

    private enum CodingKeys: String, CodingKey { case from, to }

    /// `{"from": 8400, "to": 9299}`, validated like the initialiser.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let f = try c.decode(Int.self, forKey: .from)
        let t = try c.decode(Int.self, forKey: .to)
        do throws(PostcodeRangeError) { self = try PostcodeRange(from: f, to: t) } catch {
            throw DecodingError.dataCorruptedError(forKey: .to, in: c, debugDescription: error.message)
        }
    }
}

public enum PostcodeRangeError: Error, Sendable, Hashable {
    /// A bound outside 1000–9999.
    case outOfBounds(Int)
    /// `from` after `to`.
    case reversed(from: Int, to: Int)

    public var message: String {
        switch self {
        case .outOfBounds(let v): "Postcodegebied \(v) bestaat niet: gebruik 1000 tot en met 9999."
        case .reversed(let f, let t): "Het bereik \(f)–\(t) loopt achteruit: 'from' moet ≤ 'to' zijn."
        }
    }
}
