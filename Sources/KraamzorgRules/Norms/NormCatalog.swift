/// Why no norm applies to a registration date.
public enum NormRefusal: Error, Sendable, Hashable {
    /// Registration dates before the earliest norm (2019-04-01) are refused for new periods.
    case beforeEarliestNorm(date: CivilDate, earliest: CivilDate)
    case noNorms
}

/// The published norms; picks the one in force for a registration date, so a later norm needs no code.
public struct NormCatalog: Sendable, Hashable {
    /// Sorted by `appliesFrom`.
    public let norms: [Norm]

    public init(_ norms: [Norm]) { self.norms = norms.sorted { $0.appliesFrom < $1.appliesFrom } }

    public static let seeded = NormCatalog([.seeded2019, .seeded2023])

    /// The norm with the latest `appliesFrom` ≤ `date`.
    public func norm(forRegistrationDate date: CivilDate) throws(NormRefusal) -> Norm {
        guard let first = norms.first else { throw .noNorms }
        guard let norm = norms.last(where: { $0.appliesFrom <= date }) else {
            throw .beforeEarliestNorm(date: date, earliest: first.appliesFrom)
        }
        return norm
    }

    public func norm(code: String) -> Norm? { norms.first { $0.code == code } }
}
