/// A provider's year, as asked at `POST /v1/quality-data-obligation` (DOMAIN §9, seed 003).
///
/// For an organisation only `bedsTotal` matters. For a self-employed practitioner (zzp'er) the beds are
/// split by how she worked; omitted counts are 0. When `bedsTotal` is given and exceeds the split, the
/// rest counts as independently delivered (situation 4 is what remains when 1–3 do not apply).
public struct QualityDataSituation: Sendable, Hashable, Codable {
    public enum ProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A kraamzorgorganisatie.
        case organisation
        /// A zzp'er.
        case selfEmployed
    }

    /// What the partnership (maatschap) agreed about delivering quality data.
    public enum PartnershipAgreement: String, Sendable, Hashable, Codable, CaseIterable {
        /// The maatschap delivers for its members' beds.
        case partnershipDelivers
        /// Each member delivers her own beds as a zzp'er.
        case membersDeliverIndividually
    }

    public var year: Int
    public var providerKind: ProviderKind
    public var bedsTotal: Int?
    /// Situation 1: in opdracht van een kraamzorgorganisatie.
    public var bedsUnderContract: Int
    /// Situation 2: via een bemiddelingsbureau, platform of coöperatie.
    public var bedsViaAgency: Int
    /// Situation 2: agreed that the agency delivers her data (under her name).
    public var agencyDeliversUnderHerName: Bool
    /// Situation 3: als maat van een maatschap.
    public var bedsInPartnership: Int
    public var partnershipAgreement: PartnershipAgreement?
    /// Situation 4: zelfstandig.
    public var bedsIndependent: Int

    public init(
        year: Int, providerKind: ProviderKind, bedsTotal: Int? = nil, bedsUnderContract: Int = 0,
        bedsViaAgency: Int = 0, agencyDeliversUnderHerName: Bool = false, bedsInPartnership: Int = 0,
        partnershipAgreement: PartnershipAgreement? = nil, bedsIndependent: Int = 0
    ) {
        self.year = year
        self.providerKind = providerKind
        self.bedsTotal = bedsTotal
        self.bedsUnderContract = bedsUnderContract
        self.bedsViaAgency = bedsViaAgency
        self.agencyDeliversUnderHerName = agencyDeliversUnderHerName
        self.bedsInPartnership = bedsInPartnership
        self.partnershipAgreement = partnershipAgreement
        self.bedsIndependent = bedsIndependent
    }

    private enum CodingKeys: String, CodingKey {
        case year, providerKind, bedsTotal, bedsUnderContract, bedsViaAgency, agencyDeliversUnderHerName
        case bedsInPartnership, partnershipAgreement, bedsIndependent
    }

    /// Counts and flags may be omitted (0, false); `year` and `providerKind` are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            year: try c.decode(Int.self, forKey: .year),
            providerKind: try c.decode(ProviderKind.self, forKey: .providerKind),
            bedsTotal: try c.decodeIfPresent(Int.self, forKey: .bedsTotal),
            bedsUnderContract: try c.decodeIfPresent(Int.self, forKey: .bedsUnderContract) ?? 0,
            bedsViaAgency: try c.decodeIfPresent(Int.self, forKey: .bedsViaAgency) ?? 0,
            agencyDeliversUnderHerName: try c.decodeIfPresent(Bool.self, forKey: .agencyDeliversUnderHerName) ?? false,
            bedsInPartnership: try c.decodeIfPresent(Int.self, forKey: .bedsInPartnership) ?? 0,
            partnershipAgreement: try c.decodeIfPresent(PartnershipAgreement.self, forKey: .partnershipAgreement),
            bedsIndependent: try c.decodeIfPresent(Int.self, forKey: .bedsIndependent) ?? 0)
    }

    /// The first year asked about: the indicators for kraamzorg are delivered from verslagjaar 2020 on.
    public static let firstYear = 2020

    /// The years that can be asked about in `currentYear`: 2020 up to next year (a provider may look ahead).
    public static func acceptedYears(currentYear: Int) -> ClosedRange<Int> { firstYear...(currentYear + 1) }

    /// The year outside `acceptedYears` (API: 400 naming `year`), else nil.
    public func yearProblem(currentYear: Int) -> QualityDataInputProblem? {
        let years = QualityDataSituation.acceptedYears(currentYear: currentYear)
        guard !years.contains(year) else { return nil }
        return QualityDataInputProblem(field: "year", message: "must be a year from \(years.lowerBound) to \(years.upperBound)")
    }

    /// More kraambedden than any provider has in a year (the Netherlands has some 170,000 births a year).
    public static let maxBeds = 1_000_000

    /// Everything wrong with the input, for a 422 `errors` list; empty when it can be answered.
    public func problems() -> [QualityDataInputProblem] {
        var out: [QualityDataInputProblem] = []
        let counts: [(String, Int?)] = [
            ("bedsTotal", bedsTotal), ("bedsUnderContract", bedsUnderContract),
            ("bedsViaAgency", bedsViaAgency), ("bedsInPartnership", bedsInPartnership),
            ("bedsIndependent", bedsIndependent),
        ]
        for (field, value) in counts where (value ?? 0) < 0 {
            out.append(.init(field: field, message: "Een aantal kraambedden kan niet negatief zijn."))
        }
        for (field, value) in counts where (value ?? 0) > Self.maxBeds {
            out.append(.init(field: field, message: "Een aantal kraambedden is hoogstens \(Self.maxBeds)."))
        }
        // Out-of-range counts are the answer; adding them up could overflow.
        guard out.isEmpty else { return out }
        let split = bedsUnderContract + bedsViaAgency + bedsInPartnership + bedsIndependent
        switch providerKind {
        case .organisation:
            if bedsTotal == nil {
                out.append(.init(field: "bedsTotal", message: "Geef het totaal aantal kraambedden van de organisatie."))
            }
            if split != 0 || agencyDeliversUnderHerName || partnershipAgreement != nil {
                out.append(
                    .init(
                        field: "providerKind",
                        message: "De verdeling over opdracht, bureau, maatschap en zelfstandig geldt alleen voor een zzp'er (selfEmployed)."
                    ))
            }
        case .selfEmployed:
            if let total = bedsTotal, total >= 0, total < split {
                out.append(
                    .init(
                        field: "bedsTotal",
                        message: "Het totaal (\(total)) is kleiner dan de som van de verdeling (\(split))."))
            }
            if bedsInPartnership > 0 && partnershipAgreement == nil {
                out.append(
                    .init(
                        field: "partnershipAgreement",
                        message: "Geef aan wat in de maatschap is afgesproken: partnershipDelivers of membersDeliverIndividually."))
            }
        }
        return out
    }
}

/// Every problem with one input (API: 422 with `errors: [{field, message}]`).
public struct QualityDataInputError: Error, Sendable, Hashable {
    public let problems: [QualityDataInputProblem]
}

public struct QualityDataInputProblem: Sendable, Hashable, Codable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
