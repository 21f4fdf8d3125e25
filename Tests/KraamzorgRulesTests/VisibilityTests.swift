import Testing
import KraamzorgRules

// Regions: Friesland (fr), Groningen (gr). Insurers: "zk" (parent) with labels "zk-label1", "zk-label2";
// "vgz" (no labels). Providers: "miek", "anders".

private func client(
    _ id: String = "c1", insurer: String = "zk", parent: String? = nil, region: String = "fr",
    status: ClientStatus = .waiting, enrolledBy: String? = nil
) -> ClientFacts {
    ClientFacts(
        clientId: id, insurerId: insurer, insurerParentId: parent, regionId: region, status: status,
        enrollingProviderId: enrolledBy ?? (status == .enrolled ? "miek" : nil))
}

private func insurer(
    _ org: String = "zk", parent: String? = nil, labels: Set<String> = [],
    preferent: Set<String> = [], avg: Bool
) -> Viewer {
    .insurer(InsurerViewer(organizationId: org, parentId: parent, labelIds: labels, preferentRegionIds: preferent, avgAccess: avg))
}
private func provider(_ org: String = "miek", serves: Set<String> = ["fr"], avg: Bool) -> Viewer {
    .careProvider(CareProviderViewer(organizationId: org, servedRegionIds: serves, avgAccess: avg))
}
private func coordinator(_ regions: Set<String> = ["fr"], avg: Bool) -> Viewer {
    .coordinator(CoordinatorViewer(regionIds: regions, avgAccess: avg))
}

private let group1NoProvider = ClientFieldSet.group1.subtracting([.providerName])
private let group2NoProvider = ClientFieldSet.group2.subtracting([.providerName])

@Suite struct VisibilityTests {
    // MARK: insurers

    @Test func preferentInsurerSeesClientsOfOtherInsurersInItsRegion() {
        let v = insurer("vgz", preferent: ["fr"], avg: false)
        #expect(canSee(v, client(insurer: "zk", region: "fr")))
        #expect(canSee(v, client(insurer: "zk-label1", parent: "zk", region: "fr", status: .enrolled)))
        #expect(canSee(v, client(insurer: "zk", region: "fr", status: .birthReported)))
    }

    @Test func preferentInsurerDoesNotSeeOtherInsurersClientsInANonPreferentRegion() {
        let v = insurer("vgz", preferent: ["fr"], avg: true)
        #expect(!canSee(v, client(insurer: "zk", region: "gr")))
    }

    @Test func nonPreferentInsurerSeesItsOwnInsuredInEveryRegion() {
        let v = insurer("vgz", avg: false)
        #expect(canSee(v, client(insurer: "vgz", region: "fr")))
        #expect(canSee(v, client(insurer: "vgz", region: "gr", status: .enrolled)))
    }

    @Test func nonPreferentInsurerDoesNotSeeOtherInsurersClients() {
        let v = insurer("vgz", avg: true)
        #expect(!canSee(v, client(insurer: "zk")))
        #expect(!canSee(v, client(insurer: "zk-label1", parent: "zk")))
        #expect(visibleFields(v, client(insurer: "zk")) == .none)
    }

    @Test func parentInsurerSeesItsLabelsClients() {
        let v = insurer("zk", labels: ["zk-label1", "zk-label2"], avg: false)
        #expect(canSee(v, client(insurer: "zk-label1", parent: "zk")))
        #expect(canSee(v, client(insurer: "zk-label2", parent: "zk", status: .enrolled)))
    }

    @Test func parentInsurerRecognisesALabelByTheClientsParentId() {
        // labelIds not filled in: the client's own record still links the label to its parent.
        let v = insurer("zk", avg: false)
        #expect(canSee(v, client(insurer: "zk-label1", parent: "zk")))
    }

    @Test func labelMemberSeesOnlyTheLabelsOwnClients() {
        let v = insurer("zk-label1", parent: "zk", avg: true)
        #expect(canSee(v, client(insurer: "zk-label1", parent: "zk")))
        #expect(!canSee(v, client(insurer: "zk")))
        #expect(!canSee(v, client(insurer: "zk-label2", parent: "zk")))
        #expect(!canSee(v, client(insurer: "vgz")))
    }

    @Test func labelMemberInAPreferentRegionSeesEveryClientThere() {
        let v = insurer("zk-label1", parent: "zk", preferent: ["fr"], avg: false)
        #expect(canSee(v, client(insurer: "vgz", region: "fr")))
        #expect(!canSee(v, client(insurer: "vgz", region: "gr")))
    }

    @Test func insurerFieldsFollowItsAVGGroup() {
        #expect(visibleFields(insurer(avg: false), client()) == group1NoProvider)
        #expect(visibleFields(insurer(avg: true), client()) == group2NoProvider)
        #expect(visibleFields(insurer(preferent: ["fr"], avg: true), client(insurer: "vgz")) == group2NoProvider)
    }

    @Test func insurerSeesOwnInvitationButNotOtherInsurersInvitations() {
        #expect(canSee(insurer("zk", avg: true), client(insurer: "zk", status: .invited)))
        #expect(!canSee(insurer("vgz", preferent: ["fr"], avg: true), client(insurer: "zk", status: .invited)))
    }

    @Test func insurerSeesItsWithdrawnClientWithGroup1FieldsOnly() {
        #expect(visibleFields(insurer(avg: true), client(status: .withdrawn)) == group1NoProvider)
    }

    // MARK: group 1 never sees personal data

    @Test func group1NeverGetsNameEmailPhoneOrFullPostcode() {
        let viewers: [Viewer] = [
            insurer(avg: false), insurer("vgz", preferent: ["fr"], avg: false),
            provider(avg: false), coordinator(avg: false),
        ]
        let clients = ClientStatus.allCases.map { client(status: $0) }
        for v in viewers {
            for c in clients {
                let f = visibleFields(v, c)
                #expect(f.intersection(.personal).isEmpty, "\(v) sees \(f) of a \(c.status) client")
                for field in [ClientField.firstName, .lastName, .email, .phone, .postcode] { #expect(!f.contains(field)) }
            }
        }
    }

    @Test func group1SeesWaitlistClientNumberDueDateAndArea() {
        let f = visibleFields(insurer(avg: false), client())
        for field in [ClientField.waitlistName, .clientNumber, .dueDate, .postcodeArea, .pregnancyWeek, .urgent, .status] {
            #expect(f.contains(field))
        }
    }

    // MARK: care providers

    @Test func providerSeesWaitingClientsOfItsRegionWithGroup1FieldsOnlyEvenWithAVG() {
        #expect(visibleFields(provider(avg: true), client(status: .waiting)) == group1NoProvider)
        #expect(visibleFields(provider(avg: false), client(status: .waiting)) == group1NoProvider)
    }

    @Test func providerSeesBirthReportedClientsWithGroup1FieldsOnly() {
        #expect(visibleFields(provider(avg: true), client(status: .birthReported)) == group1NoProvider)
    }

    @Test func providerDoesNotSeeWaitingClientsOfARegionItDoesNotServe() {
        #expect(!canSee(provider(serves: ["gr"], avg: true), client(region: "fr")))
    }

    @Test func providerSeesAllFieldsOfClientsItEnrolledWhenTheMemberHasAVG() {
        #expect(visibleFields(provider("miek", avg: true), client(status: .enrolled, enrolledBy: "miek")) == .group2)
    }

    @Test func providerMemberWithoutAVGSeesGroup1OfItsOwnEnrolledClients() {
        #expect(visibleFields(provider("miek", avg: false), client(status: .enrolled, enrolledBy: "miek")) == .group1)
    }

    @Test func providerDoesNotSeeClientsEnrolledByAnotherProvider() {
        #expect(!canSee(provider("anders", avg: true), client(status: .enrolled, enrolledBy: "miek")))
    }

    @Test func providerStillSeesItsEnrolledClientAfterItStopsServingTheRegion() {
        #expect(canSee(provider("miek", serves: [], avg: true), client(status: .enrolled, enrolledBy: "miek")))
    }

    @Test func providerDoesNotSeeWithdrawnClients() {
        #expect(!canSee(provider(avg: true), client(status: .withdrawn)))
    }

    @Test func providerDoesNotSeeInvitationsNotYetAccepted() {
        #expect(!canSee(provider(avg: true), client(status: .invited)))
    }

    // MARK: coordinators

    @Test func coordinatorSeesHerRegionsClientsPerHerAVGGroup() {
        #expect(visibleFields(coordinator(avg: true), client()) == group2NoProvider)
        #expect(visibleFields(coordinator(avg: false), client()) == group1NoProvider)
        #expect(visibleFields(coordinator(avg: true), client(status: .enrolled)) == .group2)
    }

    @Test func coordinatorSeesEveryStatusInHerRegion() {
        for s in ClientStatus.allCases { #expect(canSee(coordinator(avg: false), client(status: s))) }
    }

    @Test func coordinatorOfAnotherRegionSeesNothing() {
        for s in ClientStatus.allCases {
            #expect(visibleFields(coordinator(["gr"], avg: true), client(region: "fr", status: s)) == .none)
        }
    }

    @Test func coordinatorOfSeveralRegionsSeesEach() {
        let v = coordinator(["fr", "gr"], avg: false)
        #expect(canSee(v, client(region: "fr")))
        #expect(canSee(v, client(region: "gr")))
    }

    @Test func coordinatorSeesWithdrawnClientsWithGroup1FieldsOnly() {
        #expect(visibleFields(coordinator(avg: true), client(status: .withdrawn)) == group1NoProvider)
    }

    // MARK: admin and others

    @Test func adminSeesEveryClientWithEveryField() {
        for s in ClientStatus.allCases {
            let f = visibleFields(.admin, client(region: "anywhere", status: s))
            #expect(f.isSuperset(of: group2NoProvider))
        }
        #expect(visibleFields(.admin, client(status: .enrolled)) == .group2)
    }

    @Test func practitionersAndCourseProvidersSeeNoClient() {
        for s in ClientStatus.allCases {
            #expect(!canSee(.practitioner, client(status: s)))
            #expect(!canSee(.courseProvider, client(status: s)))
        }
    }

    @Test func providerNameIsOnlyAFieldOfEnrolledClients() {
        #expect(visibleFields(.admin, client(status: .enrolled)).contains(.providerName))
        #expect(!visibleFields(.admin, client(status: .waiting)).contains(.providerName))
    }

    // MARK: list helper and permissions

    @Test func listHelperKeepsOrderAndDropsInvisibleClients() {
        let list = [client("a", insurer: "vgz"), client("b", insurer: "zk"), client("c", insurer: "vgz", status: .enrolled)]
        let seen = visibleClients(list, to: insurer("vgz", avg: false)) { $0 }
        #expect(seen.map(\.client.clientId) == ["a", "c"])
        #expect(seen[1].fields == .group1)
    }

    @Test func onlyAVGInsurerMembersAVGCoordinatorsOfTheRegionAndAdminsMayInvite() {
        #expect(insurer(avg: true).mayInvite(toRegion: "fr"))
        #expect(!insurer(avg: false).mayInvite(toRegion: "fr"))
        #expect(coordinator(["fr"], avg: true).mayInvite(toRegion: "fr"))
        #expect(!coordinator(["fr"], avg: false).mayInvite(toRegion: "fr"))
        #expect(!coordinator(["gr"], avg: true).mayInvite(toRegion: "fr"))
        #expect(Viewer.admin.mayInvite(toRegion: "fr"))
        #expect(!provider(avg: true).mayInvite(toRegion: "fr"))
        #expect(!Viewer.practitioner.mayInvite(toRegion: "fr"))
    }

    @Test func providersServingTheRegionMayEnrolWaitingAndBornClients() {
        #expect(provider(avg: false).mayEnrol(client(status: .waiting)))
        #expect(provider(avg: false).mayEnrol(client(status: .birthReported)))
        #expect(!provider(avg: true).mayEnrol(client(status: .enrolled)))
        #expect(!provider(serves: ["gr"], avg: true).mayEnrol(client(status: .waiting)))
        #expect(!insurer(avg: true).mayEnrol(client(status: .waiting)))
    }

    @Test func coordinatorsOfTheRegionAndAdminsActForTheClient() {
        #expect(coordinator(avg: false).mayActForClient(client()))
        #expect(!coordinator(["gr"], avg: true).mayActForClient(client()))
        #expect(Viewer.admin.mayActForClient(client()))
        #expect(!insurer(avg: true).mayActForClient(client()))
        #expect(!provider(avg: true).mayActForClient(client()))
    }
}

@Suite struct HandBackRuleTests {
    @Test func aProviderThatHandedHerBackMayNotEnrolHerAgainOthersMay() {
        #expect(!HandBack.mayEnrolAgain(provider: "a", releasedBy: ["a", "b"]))
        #expect(HandBack.mayEnrolAgain(provider: "c", releasedBy: ["a", "b"]))
    }

    /// Seconds until the next hand-back is allowed; nil when it is allowed now.
    func wait(_ recent: [Int64], now: Int64, limit: Int) -> Int64? {
        switch HandBack.check(recent: recent, now: now, limit: limit) {
        case .success: nil
        case .failure(let reached): reached.retryAfterSeconds
        }
    }

    @Test func atMostLimitHandBacksInAnyRolling24Hours() {
        let day = HandBack.windowSeconds
        #expect(wait([], now: 1_000_000, limit: 5) == nil)
        let four: [Int64] = [100, 200, 300, 400].map { 1_000_000 - $0 }
        #expect(wait(four, now: 1_000_000, limit: 5) == nil)
        let five = four + [1_000_000]
        // The oldest (400 s ago) leaves the window in a day less 400 s.
        #expect(wait(five, now: 1_000_000, limit: 5) == day - 400)
        // Exactly 24 hours after it, it no longer counts.
        #expect(wait(five, now: 1_000_000 - 400 + day, limit: 5) == nil)
        #expect(wait([1, 2], now: 2, limit: 1) == day)
        // Older hand-backs do not count at all.
        #expect(wait([1, 2, 3, 4, 5], now: 10 + day, limit: 5) == nil)
    }
}
