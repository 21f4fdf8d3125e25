import Foundation
import Testing
import KraamzorgRules

/// The situations of the Zorginstituut FAQ "Wie moet kwaliteitsgegevens aanleveren?" (seeds/003).
private func zzp(
    total: Int? = nil, contract: Int = 0, agency: Int = 0, agencyDelivers: Bool = false, partnership: Int = 0,
    agreement: QualityDataSituation.PartnershipAgreement? = nil, independent: Int = 0
) -> QualityDataObligation {
    let s = QualityDataSituation(
        year: 2025, providerKind: .selfEmployed, bedsTotal: total, bedsUnderContract: contract,
        bedsViaAgency: agency, agencyDeliversUnderHerName: agencyDelivers, bedsInPartnership: partnership,
        partnershipAgreement: agreement, bedsIndependent: independent)
    return try! QualityDataObligation.evaluate(s).get()
}
private func organisation(_ beds: Int) -> QualityDataObligation {
    try! QualityDataObligation.evaluate(QualityDataSituation(year: 2025, providerKind: .organisation, bedsTotal: beds)).get()
}
private func shares(_ o: QualityDataObligation) -> [String] {
    o.deliveries.map { "\($0.deliverer.rawValue):\($0.beds)" }
}
private func codes(_ o: QualityDataObligation) -> [QualityDataReasonCode] { o.reasons.map(\.code) }
private func problems(_ s: QualityDataSituation) -> [String] {
    switch QualityDataObligation.evaluate(s) {
    case .success: []
    case .failure(let e): e.problems.map(\.field)
    }
}

@Suite struct QualityDataObligationTests {
    // 5. "Iedere zorgaanbieder die voor meer dan drie kraambedden per jaar kraamzorg verleent, is verplicht ..."
    @Test func organisationWithFourBedsMustDeliver() {
        let o = organisation(4)
        #expect(o.mustDeliver)
        #expect(shares(o) == ["organisation:4"])
        #expect(codes(o) == [.organisationMoreThanThreeBeds])
        #expect(!o.notifyZorginstituut)
    }

    @Test func organisationWithThreeBedsHasNoObligation() {
        let o = organisation(3)
        #expect(!o.mustDeliver)
        #expect(shares(o) == ["nobody:3"])
        #expect(o.notifyZorginstituut)
        #expect(codes(o) == [.organisationThreeOrFewerBeds])
    }

    // Situation 1: in opdracht van een kraamzorgorganisatie → the organisation delivers, she does not.
    @Test func contractedBedsAreDeliveredByTheOrganisation() {
        let o = zzp(contract: 25)
        #expect(shares(o) == ["organisation:25"])
        #expect(!o.mustDeliver)
        #expect(codes(o).first == .contractedByOrganisation)
        #expect(o.reasons[0].text.contains("kraamzorgorganisatie"))
    }

    @Test func contractedOnlyPractitionerTellsTheZorginstituut() {
        let o = zzp(contract: 25)
        #expect(o.notifyZorginstituut)
        #expect(codes(o).last == .notifyZorginstituut)
        #expect(o.reasons.last!.text.contains("transparantiekalender@zinl.nl"))
    }

    // Situation 2: ≥ 4 via bureau/platform/coöperatie → herself, unless agreed the agency delivers.
    @Test func fourBedsViaAnAgencyWithoutAgreementAreDeliveredByHerself() {
        let o = zzp(agency: 4)
        #expect(shares(o) == ["herself:4"])
        #expect(o.mustDeliver)
        #expect(codes(o) == [.viaAgencyDeliversHerself, .ownBedsFourOrMore])
    }

    @Test func agencyDeliversUnderHerNameWhenSoAgreed() {
        let o = zzp(agency: 12, agencyDelivers: true)
        #expect(shares(o) == ["agency:12"])
        #expect(o.deliveries[0].underHerName)
        #expect(!o.mustDeliver)
        #expect(!o.notifyZorginstituut)
        #expect(o.deliveries[0].reason.text.contains("onder uw naam"))
        #expect(o.deliveries[0].reason.text.contains("Zorginzicht.nl"))
    }

    @Test func threeBedsViaAnAgencyCreateNoObligation() {
        let o = zzp(agency: 3)
        #expect(shares(o) == ["nobody:3"])
        #expect(!o.mustDeliver)
        #expect(o.notifyZorginstituut)
    }

    // Situation 3: maatschap → per the partnership's agreement; individually only from 4 beds.
    @Test func partnershipDeliversWhenTheAgreementSaysSo() {
        let o = zzp(partnership: 30, agreement: .partnershipDelivers)
        #expect(shares(o) == ["partnership:30"])
        #expect(!o.mustDeliver)
        #expect(o.notifyZorginstituut)
        #expect(o.deliveries[0].reason.text.contains("maatschap"))
    }

    @Test func partnerDeliversHerselfFromFourBedsWhenMembersDeliverIndividually() {
        let o = zzp(partnership: 4, agreement: .membersDeliverIndividually)
        #expect(shares(o) == ["herself:4"])
        #expect(o.mustDeliver)
        #expect(codes(o).first == .partnershipMemberDeliversHerself)
    }

    @Test func partnerWithThreeBedsDeliveringIndividuallyHasNoObligation() {
        let o = zzp(partnership: 3, agreement: .membersDeliverIndividually)
        #expect(shares(o) == ["nobody:3"])
        #expect(!o.mustDeliver)
        #expect(codes(o).contains(.ownBedsThreeOrFewer))
    }

    // Situation 4: zelfstandig ≥ 4 → herself; ≤ 3 → no obligation, tell the Zorginstituut.
    @Test func fourIndependentBedsAreDeliveredByHerself() {
        let o = zzp(independent: 4)
        #expect(shares(o) == ["herself:4"])
        #expect(o.mustDeliver)
        #expect(codes(o) == [.independentDeliversHerself, .ownBedsFourOrMore])
    }

    @Test func threeIndependentBedsCreateNoObligationButANoticeToTheZorginstituut() {
        let o = zzp(independent: 3)
        #expect(shares(o) == ["nobody:3"])
        #expect(!o.mustDeliver)
        #expect(o.notifyZorginstituut)
        #expect(codes(o) == [.ownBedsThreeOrFewer, .notifyZorginstituut])
    }

    // "Geen kraamzorg in 2021": no obligation, tell the Zorginstituut with the reason.
    @Test func noCareThatYearMeansNoObligation() {
        let o = zzp()
        #expect(o.deliveries.isEmpty)
        #expect(!o.mustDeliver)
        #expect(o.notifyZorginstituut)
        #expect(codes(o) == [.noCareDelivered])
        #expect(organisation(0).reasons.map(\.code) == [.noCareDelivered])
    }

    // "Combinaties van deze situaties zijn mogelijk ... niet de bedoeling dat kwaliteitsgegevens dubbel worden aangeleverd."
    @Test func combinedSituationsCountEveryBedExactlyOnce() {
        let o = zzp(contract: 10, agency: 2, agencyDelivers: true, partnership: 6, agreement: .partnershipDelivers, independent: 5)
        #expect(shares(o) == ["organisation:10", "partnership:6", "agency:2", "herself:5"])
        #expect(o.deliveries.map(\.beds).reduce(0, +) == o.totalBeds)
        #expect(o.totalBeds == 23)
        #expect(o.mustDeliver)
    }

    @Test func ownBedsFromDifferentSituationsCountTogetherForTheThreshold() {
        // She is the provider for agency and independent beds alike: 2 + 2 = 4.
        let o = zzp(agency: 2, independent: 2)
        #expect(shares(o) == ["herself:2", "herself:2"])
        #expect(o.mustDeliver)
    }

    @Test func contractAndPartnershipBedsDoNotCountTowardsHerOwnThreshold() {
        let o = zzp(contract: 20, partnership: 10, agreement: .partnershipDelivers, independent: 3)
        #expect(shares(o) == ["organisation:20", "partnership:10", "nobody:3"])
        #expect(!o.mustDeliver)
    }

    @Test func unsplitRemainderOfTheTotalCountsAsIndependent() {
        let o = zzp(total: 9, contract: 5)
        #expect(shares(o) == ["organisation:5", "herself:4"])
        #expect(codes(o).first == .remainderCountedAsIndependent)
    }

    // MARK: input

    @Test func negativeCountsAreRefused() {
        #expect(problems(QualityDataSituation(year: 2025, providerKind: .selfEmployed, bedsIndependent: -1)) == ["bedsIndependent"])
        // Counts that would overflow when added up are refused by name, never added (schemathesis stopped the server so).
        let huge = QualityDataSituation(
            year: 2025, providerKind: .organisation, bedsTotal: 5, bedsUnderContract: 1, bedsViaAgency: 1, bedsInPartnership: 1,
            bedsIndependent: Int.max - 1)
        #expect(problems(huge) == ["bedsIndependent"])
        #expect(problems(QualityDataSituation(year: 2025, providerKind: .selfEmployed, bedsIndependent: 1_000_000)).isEmpty)
    }

    @Test func partnershipBedsNeedTheAgreement() {
        #expect(problems(QualityDataSituation(year: 2025, providerKind: .selfEmployed, bedsInPartnership: 5)) == ["partnershipAgreement"])
    }

    @Test func totalBelowTheSplitIsRefused() {
        #expect(problems(QualityDataSituation(year: 2025, providerKind: .selfEmployed, bedsTotal: 3, bedsIndependent: 5)) == ["bedsTotal"])
    }

    @Test func organisationNeedsATotalAndNoSplit() {
        #expect(problems(QualityDataSituation(year: 2025, providerKind: .organisation)) == ["bedsTotal"])
        #expect(problems(QualityDataSituation(year: 2025, providerKind: .organisation, bedsTotal: 8, bedsViaAgency: 2)) == ["providerKind"])
    }

    @Test func inputDecodesFromCamelCaseJSONWithOmittedCounts() throws {
        let json = #"{"year": 2025, "providerKind": "selfEmployed", "bedsViaAgency": 6, "agencyDeliversUnderHerName": true}"#
        let s = try JSONDecoder().decode(QualityDataSituation.self, from: Data(json.utf8))
        #expect(s == QualityDataSituation(year: 2025, providerKind: .selfEmployed, bedsViaAgency: 6, agencyDeliversUnderHerName: true))
    }

    @Test func answerEncodesReasonCodesAndDutchText() throws {
        let data = try JSONEncoder().encode(zzp(independent: 4))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""code":"independentDeliversHerself""#))
        #expect(text.contains(#""deliverer":"herself""#))
        #expect(text.contains(#""mustDeliver":true"#))
        let back = try JSONDecoder().decode(QualityDataObligation.self, from: data)
        #expect(back == zzp(independent: 4))
    }
}
