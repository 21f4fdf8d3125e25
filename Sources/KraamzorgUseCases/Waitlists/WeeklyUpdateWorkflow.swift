import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// The weekly update (DOMAIN §7) per waitlist, to the region's coordinators and to each insurer that may
/// see it, each with counts per its own visibility, for the ISO week before the one of `today`.
public struct WeeklyUpdateWorkflow: Sendable {
    let waitlists: WaitlistStore
    let clients: ClientStore

    public init(waitlists: WaitlistStore, clients: ClientStore) {
        self.waitlists = waitlists
        self.clients = clients
    }

    /// Reads and counts through the pool first, then writes the messages on `conn` (the weekly job's
    /// transaction, which so holds a transaction id only briefly). Returns the week and the messages written.
    public func send(asOf today: CivilDate, on conn: PostgresConnection) async throws -> (week: ISOWeek, messages: Int) {
        let week = ISOWeek(containing: today.adding(weeks: -1))
        let start = DutchTime.startOfDay(week.monday), end = DutchTime.startOfDay(week.sunday.adding(days: 1))
        var coordinatorMessages: [(regionId: UUID, message: Message)] = []
        var insurerMessages: [(organizationId: UUID, message: Message)] = []
        for w in try await waitlists.allWaitlists() {
            let rows = try await clients.clients(scope: .all, filter: ClientFilter(waitlistId: w.id))
            let releases = try await clients.releases(waitlistId: w.id, from: start, to: end)
            let coordinator = Viewer.coordinator(CoordinatorViewer(regionIds: [w.regionId.lowercasedString], avgAccess: false))
            let forCoordinators = WaitlistReport(rows: rows, viewer: coordinator, week: week, today: today, weekStart: start, weekEnd: end)
            coordinatorMessages.append(
                (
                    w.regionId,
                    WaitlistMessages.weeklyUpdate(
                        waitlistName: w.name, forCoordinators, handBacks: HandBackCount.counts(releases, rows: rows, viewer: coordinator))
                ))
            for insurer in try await waitlists.insurersSeeing(waitlistId: w.id) {
                guard let viewer = try await waitlists.organizationViewer(id: insurer) else { continue }
                let report = WaitlistReport(rows: rows, viewer: viewer, week: week, today: today, weekStart: start, weekEnd: end)
                insurerMessages.append(
                    (
                        insurer,
                        WaitlistMessages.weeklyUpdate(
                            waitlistName: w.name, report, handBacks: HandBackCount.counts(releases, rows: rows, viewer: viewer))
                    ))
            }
        }
        let before = try await Outbox.count(.weeklyUpdate, on: conn)
        for m in coordinatorMessages {
            try await Outbox.enqueueToCoordinators(
                .weeklyUpdate, regionId: m.regionId, clientId: nil, subject: m.message.subject, body: m.message.body, on: conn)
        }
        for m in insurerMessages {
            try await Outbox.enqueueToOrganizations(
                .weeklyUpdate, [m.organizationId], clientId: nil, subject: m.message.subject, body: m.message.body, on: conn)
        }
        return (week, try await Outbox.count(.weeklyUpdate, on: conn) - before)
    }
}
