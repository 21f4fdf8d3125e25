import Testing
import KraamzorgRules

/// The visibility and registration cases of the insurers' manual of the Wachtlijsttool Kraamzorg
/// (seeds/004), using its own example list: KSV Friesland, two waiting clients, one enrolled by
/// Kraamzorg Miek.
private let today = CivilDate(2026, 4, 20)
private let friesland = Region(id: "fr", name: "KSV Friesland", postcodeRanges: [try! PostcodeRange(from: 8400, to: 9299)])
private let ksvFriesland = Waitlist(
    id: "w-fr", regionId: "fr", name: "KSV Friesland", status: .open,
    dueDates: try! DueDateRange(dueFrom: CivilDate(2026, 6, 1), dueTo: CivilDate(2026, 6, 30)))

// "lorem verzekeringen" (preferent in Friesland) has the label "lorem label"; "ipsum" is not preferent.
private func rec(
    _ id: String, _ number: String, _ pc: String, _ due: CivilDate, insurer: String, parent: String? = nil,
    status: ClientStatus = .waiting, provider: String? = nil
) -> ClientRecord {
    let postcode = try! Postcode(parsing: pc)
    return ClientRecord(
        facts: ClientFacts(
            clientId: id, insurerId: insurer, insurerParentId: parent, regionId: "fr", status: status,
            enrollingProviderId: provider),
        waitlistName: "KSV Friesland", clientNumber: number, dueDate: due, postcodeArea: postcode.area,
        providerName: provider == nil ? nil : "Kraamzorg Miek", firstName: "Voornaam", lastName: "Achternaam",
        email: "\(id)@example.nl", phone: "0612345678", postcode: postcode)
}
private let waiting1 = rec("c1", "TS1111RR", "8731 AB", CivilDate(2026, 6, 23), insurer: "lorem")
private let waiting2 = rec("c2", "NR8735ST", "8751 CD", CivilDate(2026, 6, 8), insurer: "lorem-label", parent: "lorem")
private let enrolled = rec("c3", "NR1496", "8811 EF", CivilDate(2026, 6, 25), insurer: "ipsum", status: .enrolled, provider: "miek")
private let all = [waiting1, waiting2, enrolled]

private func insurer(_ org: String, labels: Set<String> = [], preferent: Bool, avg: Bool) -> Viewer {
    .insurer(InsurerViewer(organizationId: org, labelIds: labels, preferentRegionIds: preferent ? ["fr"] : [], avgAccess: avg))
}
private let loremGroup1 = insurer("lorem", labels: ["lorem-label"], preferent: true, avg: false)
private let loremGroup2 = insurer("lorem", labels: ["lorem-label"], preferent: true, avg: true)
private let ipsumGroup1 = insurer("ipsum", preferent: false, avg: false)
private let ipsumGroup2 = insurer("ipsum", preferent: false, avg: true)

private func views(_ viewer: Viewer) -> [ClientView] { all.compactMap { $0.view(for: viewer, on: today) } }
private func waitingViews(_ viewer: Viewer) -> [ClientView] { views(viewer).filter { $0.status == .waiting } }
private func enrolledViews(_ viewer: Viewer) -> [ClientView] { views(viewer).filter { $0.status == .enrolled } }

@Suite struct Seed004ManualTests {
    // "Preferente zorgverzekeraars zien alle cliënten op de wachtlijst, ongeacht waar de cliënten zijn verzekerd."
    @Test func preferentInsurerSeesAllClientsRegardlessOfWhereTheyAreInsured() {
        #expect(views(loremGroup1).map(\.id) == ["c1", "c2", "c3"])
        let stranger = insurer("dolor", preferent: true, avg: false)
        #expect(views(stranger).count == 3)
    }

    // "Niet preferente zorgverzekeraars zien slechts de cliënten die bij hun zijn verzekerd."
    @Test func nonPreferentInsurerSeesOnlyItsOwnInsured() {
        #expect(views(ipsumGroup1).map(\.id) == ["c3"])
        #expect(views(insurer("dolor", preferent: false, avg: true)).isEmpty)
    }

    // "Krijg inzicht in wachtende en ingeschreven cliënten voor uw labels."
    @Test func insurerSeesWaitingAndEnrolledClientsOfItsLabels() {
        let notPreferent = insurer("lorem", labels: ["lorem-label"], preferent: false, avg: false)
        #expect(views(notPreferent).map(\.id) == ["c1", "c2"])
    }

    // Groep 1: Wachtlijstnaam, Uniek registratienummer verzekerde, Uitgerekende datum, Postcode (PC4).
    @Test func group1PreferentInsurerSeesOnlyWaitlistClientNumberDueDateAndPostcodeArea() {
        let v = waitingViews(loremGroup1)[0]
        #expect(v.waitlistName == "KSV Friesland")
        #expect(v.clientNumber == "TS1111RR")
        #expect(v.dueDate == CivilDate(2026, 6, 23))
        #expect(v.postcodeArea == PC4(8731))
        #expect(v.firstName == nil && v.lastName == nil && v.email == nil && v.phone == nil && v.postcode == nil)
    }

    @Test func group1NonPreferentInsurerSeesNoPersonalData() {
        for v in views(ipsumGroup1) { #expect(v.fields.intersection(.personal).isEmpty) }
    }

    // Groep 2 adds Naam, E-mailadres, Telefoonnummer (and, per DOMAIN §7, the full postcode).
    @Test func group2PreferentInsurerAlsoSeesNameEmailPhoneAndPostcode() {
        for v in views(loremGroup2) {
            #expect(v.firstName == "Voornaam" && v.lastName == "Achternaam")
            #expect(v.email != nil && v.phone == "0612345678")
            #expect(v.postcode != nil)
        }
    }

    @Test func group2NonPreferentInsurerSeesPersonalDataOfItsOwnInsuredOnly() {
        let v = views(ipsumGroup2)
        #expect(v.map(\.id) == ["c3"])
        #expect(v[0].email == "c3@example.nl")
    }

    // "Hierbij kunt u tevens aangeven of deze medewerker wel of geen AVG-gegevens mag inzien."
    @Test func membersOfOneInsurerDifferOnlyByTheirAVGFlag() {
        let g1 = views(loremGroup1), g2 = views(loremGroup2)
        #expect(g1.map(\.id) == g2.map(\.id))
        for (a, b) in zip(g1, g2) {
            #expect(b.fields.subtracting(a.fields) == [.firstName, .lastName, .email, .phone, .postcode])
        }
    }

    // The example lists: "Wachtende cliënten (2 van 2 getoond)", "Ingeschreven cliënten (1 van 1 getoond)".
    @Test func manualExampleShowsTwoWaitingAndOneEnrolledClient() {
        let waiting = waitingViews(loremGroup1)
        #expect(waiting.map(\.clientNumber) == ["TS1111RR", "NR8735ST"])
        #expect(waiting.map { $0.postcodeArea?.description } == ["8731", "8751"])
        let enrolledList = enrolledViews(loremGroup1)
        #expect(enrolledList.count == 1)
    }

    // The enrolled list has a column "Kraamzorgaanbieder".
    @Test func enrolledListShowsTheProviderNameToGroup1() {
        let v = enrolledViews(loremGroup1)[0]
        #expect(v.providerName == "Kraamzorg Miek")
        #expect(v.clientNumber == "NR1496")
        #expect(v.postcodeArea == PC4(8811))
        #expect(v.dueDate == CivilDate(2026, 6, 25))
    }

    @Test func waitingListHasNoProviderColumnValue() {
        for v in waitingViews(loremGroup2) { #expect(v.providerName == nil) }
    }

    // "Clënt registreren (Beschikbaar voor AVG gerechtigde)"
    @Test func onlyAVGEntitledInsurerMembersMayRegisterClients() {
        #expect(loremGroup2.mayInvite(toRegion: "fr"))
        #expect(!loremGroup1.mayInvite(toRegion: "fr"))
        #expect(ipsumGroup2.mayInvite(toRegion: "fr"))
        #expect(!ipsumGroup1.mayInvite(toRegion: "fr"))
    }

    // Step 1: postcode + due date decide whether there is an open waitlist for the planned birth date.
    @Test func registrationStep1FindsTheOpenWaitlist() {
        let a = Availability.check(area: PC4(8731)!, dueDate: CivilDate(2026, 6, 23), regions: [friesland], waitlists: [ksvFriesland])
        #expect(a == .open(waitlist: ksvFriesland, region: friesland))
    }

    // "Mocht dit niet het geval zijn, krijgt u hier direct een melding van. De client dient zich in dit
    // geval in te schrijven bij een kraamzorgorganisatie in haar regio."
    @Test func registrationStep1WithoutWaitlistTellsHerToRegisterWithAProvider() {
        let a = Availability.check(area: PC4(8731)!, dueDate: CivilDate(2026, 7, 23), regions: [friesland], waitlists: [ksvFriesland])
        #expect(!a.isOpen)
        #expect(a.message.contains("kraamzorgaanbieder in uw regio"))
    }

    // "Bij het versturen, wordt er nog niet een cliënt aangemaakt op de wachtlijst"
    @Test func invitedClientIsNotYetOnTheWaitlist() {
        let invited = ClientFacts(clientId: "c4", insurerId: "lorem", regionId: "fr", status: .invited)
        #expect(!invited.status.isPlaced)
        #expect(!canSee(.careProvider(CareProviderViewer(organizationId: "miek", servedRegionIds: ["fr"], avgAccess: true)), invited))
        #expect(!canSee(insurer("dolor", preferent: true, avg: true), invited))
        #expect(canSee(loremGroup2, invited))
    }

    // "Wanneer de cliënt ... akkoord gaat met de plaatsing wordt de client op de wachtlijst gezet."
    @Test func acceptingTheInvitationPlacesHerOnTheWaitlist() {
        #expect(ClientStatus.transition(from: .invited, event: .accept) == .success(.waiting))
    }

    // "Tevens krijgen alle kraamzorgaanbieders die deze cliënt van zorg zouden kunnen voorzien een notificatie."
    @Test func everyProviderServingTheRegionSeesTheNewWaitingClientWithGroup1Fields() {
        for org in ["miek", "anders"] {
            let p = Viewer.careProvider(CareProviderViewer(organizationId: org, servedRegionIds: ["fr"], avgAccess: true))
            let v = waiting1.view(for: p, on: today)
            #expect(v != nil)
            #expect(v?.fields.intersection(.personal).isEmpty == true)
        }
        let elsewhere = Viewer.careProvider(CareProviderViewer(organizationId: "noord", servedRegionIds: ["gr"], avgAccess: true))
        #expect(waiting1.view(for: elsewhere, on: today) == nil)
    }

    // "Wekelijks wordt er vanuit de tool een wachtlijst update gestuurd naar de wachtlijstcoördinator en
    // zorgverzekeraars": each recipient's counts respect its own visibility.
    @Test func weeklyUpdateCountsRespectEachRecipientsVisibility() {
        func counts(_ v: Viewer) -> (waiting: Int, enrolled: Int) {
            let seen = visibleClients(all, to: v) { $0.facts }
            return (seen.filter { $0.client.facts.status == .waiting }.count, seen.filter { $0.client.facts.status == .enrolled }.count)
        }
        #expect(counts(loremGroup1) == (2, 1))
        #expect(counts(ipsumGroup1) == (0, 1))
        #expect(counts(.coordinator(CoordinatorViewer(regionIds: ["fr"], avgAccess: false))) == (2, 1))
        #expect(counts(.coordinator(CoordinatorViewer(regionIds: ["gr"], avgAccess: true))) == (0, 0))
    }
}
