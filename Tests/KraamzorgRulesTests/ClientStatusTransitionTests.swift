import FoundationEssentials
import Testing
import KraamzorgRules

private let provider = "kraamzorg-miek"
private let otherProvider = "kraamzorg-anders"
private let enrolledOn = CivilDate(2026, 5, 4)
private let enrolment = Enrolment(providerId: provider, enrolledOn: enrolledOn)

/// Every (status, event kind) pair the rules allow, with the resulting status.
private let allowed: [ClientStatus: [ClientEvent.Kind: ClientStatus]] = [
    .invited: [.accept: .waiting, .withdraw: .withdrawn],
    .waiting: [.enrol: .enrolled, .withdraw: .withdrawn, .reportBirth: .birthReported],
    .birthReported: [.enrol: .enrolled, .withdraw: .withdrawn, .undoBirth: .waiting],
    .enrolled: [.release: .waiting],
    .withdrawn: [:],
]

private func event(_ kind: ClientEvent.Kind) -> ClientEvent {
    switch kind {
    case .accept: .accept
    case .enrol: .enrol(provider: provider)
    case .release: .release(provider: provider, on: enrolledOn.adding(days: 1))
    case .withdraw: .withdraw
    case .reportBirth: .reportBirth
    case .undoBirth: .undoBirth
    }
}

private struct Pair: Sendable, CustomStringConvertible {
    let from: ClientStatus
    let kind: ClientEvent.Kind
    var description: String { "\(from.rawValue) --\(kind.rawValue)-->" }
}

private let allowedPairs: [Pair] = ClientStatus.allCases.flatMap { s in
    ClientEvent.Kind.allCases.filter { allowed[s]?[$0] != nil }.map { Pair(from: s, kind: $0) }
}
private let forbiddenPairs: [Pair] = ClientStatus.allCases.flatMap { s in
    ClientEvent.Kind.allCases.filter { allowed[s]?[$0] == nil }.map { Pair(from: s, kind: $0) }
}

@Suite struct ClientStatusTransitionTests {
    @Test func tableCoversEveryPairOnce() {
        #expect(allowedPairs.count == 9)
        #expect(allowedPairs.count + forbiddenPairs.count == ClientStatus.allCases.count * ClientEvent.Kind.allCases.count)
    }

    @Test(arguments: allowedPairs)
    fileprivate func allowedTransitionGivesItsStatus(_ pair: Pair) {
        let result = ClientStatus.transition(from: pair.from, event: event(pair.kind), enrolment: enrolment)
        #expect(result == .success(allowed[pair.from]![pair.kind]!))
    }

    @Test(arguments: forbiddenPairs)
    fileprivate func forbiddenTransitionIsRefused(_ pair: Pair) {
        let result = ClientStatus.transition(from: pair.from, event: event(pair.kind), enrolment: enrolment)
        if pair.kind == .release {
            #expect(result == .failure(.releaseRefused(.notEnrolled(pair.from))))
        } else {
            #expect(result == .failure(.notAllowed(from: pair.from, event: pair.kind)))
        }
    }

    @Test func acceptPlacesAnInvitedClientOnTheWaitlist() {
        #expect(ClientStatus.transition(from: .invited, event: .accept) == .success(.waiting))
    }

    @Test func coordinatorCanWithdrawAnInvitation() {
        #expect(ClientStatus.transition(from: .invited, event: .withdraw) == .success(.withdrawn))
    }

    @Test func birthBeforeEnrolmentIsStillEnrollable() {
        #expect(ClientStatus.transition(from: .birthReported, event: .enrol(provider: provider)) == .success(.enrolled))
    }

    @Test func enrollingAnEnrolledClientIsAConflict() {
        #expect(
            ClientStatus.transition(from: .enrolled, event: .enrol(provider: otherProvider))
                == .failure(.notAllowed(from: .enrolled, event: .enrol)))
    }

    @Test func withdrawnIsFinal() {
        for kind in ClientEvent.Kind.allCases where kind != .release {
            #expect(
                ClientStatus.transition(from: .withdrawn, event: event(kind))
                    == .failure(.notAllowed(from: .withdrawn, event: kind)))
        }
    }

    // MARK: release

    @Test func releaseOnTheEnrolmentDayReturnsHerToWaiting() {
        let r = ClientStatus.transition(from: .enrolled, event: .release(provider: provider, on: enrolledOn), enrolment: enrolment)
        #expect(r == .success(.waiting))
    }

    @Test func releaseOnTheSeventhDayIsAllowed() {
        let r = ClientStatus.transition(
            from: .enrolled, event: .release(provider: provider, on: enrolledOn.adding(days: 7)),
            enrolment: enrolment)
        #expect(r == .success(.waiting))
    }

    @Test func releaseAfterSevenDaysIsRefused() {
        let r = ClientStatus.transition(
            from: .enrolled, event: .release(provider: provider, on: enrolledOn.adding(days: 8)),
            enrolment: enrolment)
        #expect(r == .failure(.releaseRefused(.moreThanSevenDays(daysSinceEnrolment: 8))))
    }

    @Test func releaseByAnotherProviderIsRefused() {
        let r = ClientStatus.transition(
            from: .enrolled, event: .release(provider: otherProvider, on: enrolledOn),
            enrolment: enrolment)
        #expect(r == .failure(.releaseRefused(.notTheEnrollingProvider)))
    }

    @Test func releaseOfAClientThatIsNotEnrolledIsRefused() {
        #expect(
            ClientStatus.checkRelease(status: .waiting, enrolment: nil, provider: provider, on: enrolledOn)
                == .failure(.notEnrolled(.waiting)))
    }

    @Test func releaseWithoutEnrolmentFactsIsRefused() {
        #expect(
            ClientStatus.transition(from: .enrolled, event: .release(provider: provider, on: enrolledOn))
                == .failure(.releaseRefused(.enrolmentUnknown)))
    }

    @Test func releaseReturnsABornClientToBirthReported() {
        let e = Enrolment(providerId: provider, enrolledOn: enrolledOn, priorStatus: .birthReported)
        #expect(
            ClientStatus.transition(from: .enrolled, event: .release(provider: provider, on: enrolledOn), enrolment: e)
                == .success(.birthReported))
    }

    @Test func releaseRefusalsExplainThemselvesInDutch() {
        let all: [ReleaseRefusal] = [
            .notEnrolled(.waiting), .notTheEnrollingProvider, .enrolmentUnknown,
            .moreThanSevenDays(daysSinceEnrolment: 9),
        ]
        for r in all { #expect(!r.message.isEmpty) }
        #expect(ReleaseRefusal.moreThanSevenDays(daysSinceEnrolment: 9).message.contains("7 dagen"))
    }

    // MARK: active client number

    @Test func everyStatusButWithdrawnIsActive() {
        #expect(isActive(.invited))
        #expect(isActive(.waiting))
        #expect(isActive(.enrolled))
        #expect(isActive(.birthReported))
        #expect(!isActive(.withdrawn))
    }

    @Test func clientNumbersCompareWithoutCaseAndSpaces() {
        #expect(ClientNumber(" ts1111 rr ") == ClientNumber("TS1111RR"))
        #expect(ClientNumber("TS1111RR")?.value == "TS1111RR")
        #expect(ClientNumber("   ") == nil)
    }

    @Test func activeKeyOfALabelsClientIsTheParentInsurer() {
        let n = ClientNumber("NR1496")!
        let viaLabel = ActiveClientKey(insurerId: "label", insurerParentId: "parent", clientNumber: n)
        let direct = ActiveClientKey(insurerId: "parent", insurerParentId: nil, clientNumber: n)
        #expect(viaLabel == direct)
        #expect(ActiveClientKey(insurerId: "other", insurerParentId: nil, clientNumber: n) != direct)
    }
}

@Suite struct BirthReportUndoTests {
    @Test func sheMayUndoForLessThan24Hours() {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(BirthReport.clientMayUndo(reportedAt: at, now: at))
        #expect(BirthReport.clientMayUndo(reportedAt: at, now: at.addingTimeInterval(24 * 3600 - 1)))
        #expect(!BirthReport.clientMayUndo(reportedAt: at, now: at.addingTimeInterval(24 * 3600)))
        #expect(!BirthReport.clientMayUndo(reportedAt: at, now: at.addingTimeInterval(3 * 24 * 3600)))
        #expect(BirthReport.undoDeadline(reportedAt: at) == at.addingTimeInterval(86_400))
    }
}
