/// Who delivers quality data to the Zorginstituut for a described year, and why (DOMAIN §9, seed 003).
public struct QualityDataObligation: Sendable, Hashable, Codable {
    public enum Deliverer: String, Sendable, Hashable, Codable, CaseIterable {
        /// The kraamzorgorganisatie (the asker itself, or the one she worked for under contract).
        case organisation
        /// The bemiddelingsbureau, platform or coöperatie, under her name.
        case agency
        /// The maatschap.
        case partnership
        /// The self-employed practitioner herself.
        case herself
        /// Nobody: three or fewer beds.
        case nobody
    }

    /// One share of the beds, each counted exactly once (the source: never deliver twice).
    public struct Delivery: Sendable, Hashable, Codable {
        public let deliverer: Deliverer
        public let beds: Int
        /// Published under the practitioner's own name (herself, or an agency on her behalf).
        public let underHerName: Bool
        public let reason: QualityDataReason
    }

    public let year: Int
    public let providerKind: QualityDataSituation.ProviderKind
    public let totalBeds: Int
    /// The asker must deliver herself (organisation kind: the organisation itself).
    public let mustDeliver: Bool
    /// She (or it) should tell the Zorginstituut (transparantiekalender@zinl.nl) that no data comes
    /// under her name, so it does not ask.
    public let notifyZorginstituut: Bool
    public let deliveries: [Delivery]
    /// Every reason, in order: the deliveries' reasons and the conclusions.
    public let reasons: [QualityDataReason]
    /// How data is delivered (seed 003, question 7): through the data broker's portal.
    public let deliveryRoute: QualityDataDeliveryRoute
    /// Always false: no extension of the delivery deadline (question 12).
    public let extensionPossible: Bool
    /// Why not, in Dutch.
    public let deadline: String
    /// Whom to tell when no data comes under the asker's name, or when she doubts the obligation
    /// (questions 5 and 13); absent when she simply delivers.
    public let notify: QualityDataContact?
}

/// The delivery route: the data broker's portal (seed 003, questions 7, 8, 11).
public struct QualityDataDeliveryRoute: Sendable, Hashable, Codable {
    public let channel: String
    public let dataBroker: String
    public let contact: QualityDataContact
    public let text: String

    /// "via de portal van gegevensmakelaar Desan"
    public static let desanPortal = QualityDataDeliveryRoute(
        channel: "dataBrokerPortal", dataBroker: "Desan",
        contact: QualityDataContact(
            organisation: "Desan (gegevensmakelaar)", email: "kraamzorg@desan.nl", phone: "020-520 7298", text: nil),
        text:
            "De gegevens voor de lijnindicatoren Kraamzorg en de ketenindicatoren Integrale geboortezorg levert u in één keer samen aan via de portal van gegevensmakelaar Desan. Het Zorginstituut en Desan benaderen u hiervoor per e-mail; Desan levert uw gegevens door aan het Zorginstituut. Met vragen over de portal of inloggegevens kunt u bij Desan terecht."
    )
}

/// Someone to write to, and what to tell them.
public struct QualityDataContact: Sendable, Hashable, Codable {
    public let organisation: String
    public let email: String
    public let phone: String
    public let text: String?
}

public struct QualityDataReason: Sendable, Hashable, Codable {
    public let code: QualityDataReasonCode
    /// Dutch, for the person asking.
    public let text: String
}

/// Stable codes; clients may switch on them.
public enum QualityDataReasonCode: String, Sendable, Hashable, Codable, CaseIterable {
    case organisationMoreThanThreeBeds
    case organisationThreeOrFewerBeds
    case noCareDelivered
    case contractedByOrganisation
    case agencyDeliversUnderHerName
    case viaAgencyDeliversHerself
    case partnershipDelivers
    case partnershipMemberDeliversHerself
    case independentDeliversHerself
    case remainderCountedAsIndependent
    case ownBedsFourOrMore
    case ownBedsThreeOrFewer
    case notifyZorginstituut
}

extension QualityDataObligation {
    /// "Meer dan drie kraambedden per jaar."
    public static let minimumBeds = 4
    static let zinMail = "transparantiekalender@zinl.nl"
    static let zinPhone = "020-797 8962"
    /// Question 12: "Het is niet mogelijk om uitstel te krijgen."
    static let noExtension =
        "Uitstel van de aanlevering is niet mogelijk: bij het aanbieden van het meetinstrument is bepaald wanneer de gegevens aangeleverd moeten worden, en de sluitingsdatum van de portal is voor alle kraamzorgaanbieders gelijk."

    /// Whom to tell that no data comes under her (or its) name, with why (questions 5 and 13).
    static func notifyZorginstituut(year: Int) -> QualityDataContact {
        QualityDataContact(
            organisation: "Zorginstituut Nederland", email: zinMail, phone: zinPhone,
            text:
                "Laat het Zorginstituut via \(zinMail) weten dat u over \(year) geen kwaliteitsgegevens aanlevert, met de reden (bijvoorbeeld: drie of minder kraambedden, of een ander levert ze aan). Dan wordt u hierover niet benaderd. Twijfelt u of u moet aanleveren, mail dan ook naar dit adres met de reden."
        )
    }

    /// The same facts for every answer: the route, no extension, and whom to notify when nothing is delivered
    /// under the asker's name.
    init(
        year: Int, providerKind: QualityDataSituation.ProviderKind, totalBeds: Int, mustDeliver: Bool,
        notifyZorginstituut: Bool, deliveries: [Delivery], reasons: [QualityDataReason]
    ) {
        self.year = year
        self.providerKind = providerKind
        self.totalBeds = totalBeds
        self.mustDeliver = mustDeliver
        self.notifyZorginstituut = notifyZorginstituut
        self.deliveries = deliveries
        self.reasons = reasons
        self.deliveryRoute = .desanPortal
        self.extensionPossible = false
        self.deadline = QualityDataObligation.noExtension
        self.notify = notifyZorginstituut ? QualityDataObligation.notifyZorginstituut(year: year) : nil
    }

    /// The answer, or every input problem.
    ///
    /// Self-employed: beds under contract → the organisation; partnership beds → per the maatschap's
    /// agreement. Her **own** beds (via an agency, as a maat delivering individually, independently)
    /// are counted together against the threshold, because she is the zorgaanbieder for all of them:
    /// from 4 she delivers (agency beds: the agency, if so agreed, under her name); with 1–3 nobody does.
    public static func evaluate(_ s: QualityDataSituation) -> Result<QualityDataObligation, QualityDataInputError> {
        let problems = s.problems()
        guard problems.isEmpty else { return .failure(QualityDataInputError(problems: problems)) }
        switch s.providerKind {
        case .organisation: return .success(organisation(s))
        case .selfEmployed: return .success(selfEmployed(s))
        }
    }

    private static func reason(_ code: QualityDataReasonCode, _ text: String) -> QualityDataReason {
        QualityDataReason(code: code, text: text)
    }

    private static func beds(_ n: Int) -> String { n == 1 ? "1 kraambed" : "\(n) kraambedden" }

    private static func organisation(_ s: QualityDataSituation) -> QualityDataObligation {
        let total = s.bedsTotal ?? 0
        var deliveries: [Delivery] = []
        var reasons: [QualityDataReason] = []
        if total == 0 {
            reasons.append(
                reason(
                    .noCareDelivered,
                    "De organisatie leverde in \(s.year) geen kraamzorg en hoeft niet aan te leveren. Geef dit met de reden door aan het Zorginstituut via \(zinMail)."
                ))
        } else if total >= minimumBeds {
            let r = reason(
                .organisationMoreThanThreeBeds,
                "De organisatie verleende in \(s.year) kraamzorg in \(beds(total)), meer dan drie: zij levert de kwaliteitsgegevens aan, ook over kraambedden die zzp'ers in haar opdracht verzorgden."
            )
            deliveries.append(Delivery(deliverer: .organisation, beds: total, underHerName: false, reason: r))
            reasons.append(r)
        } else {
            let r = reason(
                .organisationThreeOrFewerBeds,
                "De organisatie verleende in \(s.year) kraamzorg in \(beds(total)), drie of minder: er is geen aanleverplicht. Laat dat het Zorginstituut weten via \(zinMail)."
            )
            deliveries.append(Delivery(deliverer: .nobody, beds: total, underHerName: false, reason: r))
            reasons.append(r)
        }
        return QualityDataObligation(
            year: s.year, providerKind: .organisation, totalBeds: total,
            mustDeliver: total >= minimumBeds, notifyZorginstituut: total < minimumBeds,
            deliveries: deliveries, reasons: reasons)
    }

    private static func selfEmployed(_ s: QualityDataSituation) -> QualityDataObligation {
        let split = s.bedsUnderContract + s.bedsViaAgency + s.bedsInPartnership + s.bedsIndependent
        let total = s.bedsTotal ?? split
        let remainder = total - split
        let independent = s.bedsIndependent + remainder
        let partnershipOwn = s.partnershipAgreement == .membersDeliverIndividually ? s.bedsInPartnership : 0
        let own = s.bedsViaAgency + partnershipOwn + independent

        var deliveries: [Delivery] = []
        var reasons: [QualityDataReason] = []
        func add(_ d: Deliverer, _ n: Int, underHerName: Bool, _ r: QualityDataReason) {
            deliveries.append(Delivery(deliverer: d, beds: n, underHerName: underHerName, reason: r))
            reasons.append(r)
        }

        if total == 0 {
            reasons.append(
                reason(
                    .noCareDelivered,
                    "U leverde in \(s.year) geen kraamzorg en hoeft niet aan te leveren. Geef dit met de reden door aan het Zorginstituut via \(zinMail)."
                ))
            return QualityDataObligation(
                year: s.year, providerKind: .selfEmployed, totalBeds: 0, mustDeliver: false,
                notifyZorginstituut: true, deliveries: [], reasons: reasons)
        }
        if remainder > 0 {
            reasons.append(
                reason(
                    .remainderCountedAsIndependent,
                    "\(beds(remainder)) van het totaal vallen niet onder een opdracht, bureau of maatschap; die tellen als zelfstandig verzorgd."
                ))
        }
        // Situation 1: the organisation delivers, whatever the number.
        if s.bedsUnderContract > 0 {
            add(
                .organisation, s.bedsUnderContract, underHerName: false,
                reason(
                    .contractedByOrganisation,
                    "Voor de \(beds(s.bedsUnderContract)) die u in opdracht van een kraamzorgorganisatie verzorgde, levert die organisatie de kwaliteitsgegevens aan. Maak met de organisatie afspraken over registratie en aanlevering; zelf levert u hiervoor niets aan bij het Zorginstituut."
                ))
        }
        // Situation 3, partnership delivers.
        if s.bedsInPartnership > 0, s.partnershipAgreement == .partnershipDelivers {
            add(
                .partnership, s.bedsInPartnership, underHerName: false,
                reason(
                    .partnershipDelivers,
                    "Voor de \(beds(s.bedsInPartnership)) die u als maat van een maatschap verzorgde, levert volgens de afspraken in de maatschap de maatschap de kwaliteitsgegevens aan. Laat het Zorginstituut via \(zinMail) weten dat de maatschap aanlevert."
                ))
        }
        // Her own beds: situations 2, 3 (individually) and 4, counted together.
        if own >= minimumBeds {
            if s.bedsViaAgency > 0 {
                if s.agencyDeliversUnderHerName {
                    add(
                        .agency, s.bedsViaAgency, underHerName: true,
                        reason(
                            .agencyDeliversUnderHerName,
                            "Voor de \(beds(s.bedsViaAgency)) via een bemiddelingsbureau, platform of coöperatie heeft u afgesproken dat het bureau uw kwaliteitsgegevens aanlevert. Het bureau levert ze onder uw naam aan en zo worden ze ook gepubliceerd op Zorginzicht.nl."
                        ))
                } else {
                    add(
                        .herself, s.bedsViaAgency, underHerName: true,
                        reason(
                            .viaAgencyDeliversHerself,
                            "U verzorgde \(beds(s.bedsViaAgency)) via een bemiddelingsbureau, platform of coöperatie zonder afspraak dat het bureau aanlevert: u levert de kwaliteitsgegevens over deze kraambedden zelf aan."
                        ))
                }
            }
            if partnershipOwn > 0 {
                add(
                    .herself, partnershipOwn, underHerName: true,
                    reason(
                        .partnershipMemberDeliversHerself,
                        "Volgens de afspraken in de maatschap levert u de kwaliteitsgegevens over uw \(beds(partnershipOwn)) als maat zelf aan, als zzp'er."
                    ))
            }
            if independent > 0 {
                add(
                    .herself, independent, underHerName: true,
                    reason(
                        .independentDeliversHerself,
                        "U verzorgde zelfstandig \(beds(independent)): u levert de kwaliteitsgegevens hierover zelf aan."))
            }
            reasons.append(
                reason(
                    .ownBedsFourOrMore,
                    "U verzorgde in \(s.year) \(beds(own)) waarvoor u zelf zorgaanbieder bent; dat is minimaal vier, dus u heeft een aanleverplicht voor deze kraambedden."
                ))
        } else if own > 0 {
            add(
                .nobody, own, underHerName: false,
                reason(
                    .ownBedsThreeOrFewer,
                    "U verzorgde in \(s.year) \(beds(own)) waarvoor u zelf zorgaanbieder bent (via een bureau, als maat die zelf aanlevert of zelfstandig); dat is drie of minder, dus daarvoor heeft u geen aanleverplicht."
                ))
        }

        let mustDeliver = deliveries.contains { $0.deliverer == .herself }
        let underHerName = deliveries.contains { $0.underHerName }
        if !underHerName {
            reasons.append(
                reason(
                    .notifyZorginstituut,
                    "Er worden geen kwaliteitsgegevens onder uw naam aangeleverd. Laat dat het Zorginstituut weten via \(zinMail), dan wordt u hierover niet benaderd."
                ))
        }
        return QualityDataObligation(
            year: s.year, providerKind: .selfEmployed, totalBeds: total, mustDeliver: mustDeliver,
            notifyZorginstituut: !underHerName, deliveries: deliveries, reasons: reasons)
    }
}
