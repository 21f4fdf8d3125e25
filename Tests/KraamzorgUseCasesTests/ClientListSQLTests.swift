import DatesAndIDs
import Foundation
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import PostgresClient
import Testing

/// `ClientStore.page` writes the visibility rules as SQL; the rules library stays the reference. Over generated
/// worlds, viewers and filters, paging through the SQL list must give exactly the clients the rules let the
/// viewer see, filtered as the route filters, in due-date order, with the right total on every page.
@Suite struct ClientListSQLTests {
    static let database = Task<PostgresPool, any Error> { try await TestDatabases.isolated(prefix: "clientlist", poolSize: 4) }

    /// Organisations and regions of one generated world.
    struct World {
        var regions: [UUID] = []
        var waitlists: [UUID] = []
        var areas: [Int] = []
        var parent = UUID(), labels: [UUID] = [], independent = UUID()
        var providers: [UUID] = []
        var insurers: [UUID] { [parent, independent] + labels }
    }

    @Test(arguments: [1, 2, 3])
    func theSQLListIsTheRulesListPageByPage(seed: UInt64) async throws {
        let pool = try await Self.database.value
        var random = SplitMix64(seed: seed &* 0x9E37_79B9)
        let world = try await makeWorld(pool, &random)
        let store = ClientStore(pool: pool)
        let all = try await store.clients(scope: .all, filter: ClientFilter())
            .filter { world.regions.contains($0.regionId) }
        #expect(all.count == 160)

        for _ in 0..<60 {
            let viewer = randomViewer(world, &random)
            let query = randomQuery(world, all, &random)
            let expected = reference(all, viewer, query).map(\.id)
            var got: [UUID] = []
            var page = PageRequest(limit: 1 + random.int(below: 40))
            for _ in 0..<200 {
                var q = query
                q.page = page
                let result = try await store.page(for: viewer, q)
                // Admins see the other seeds' worlds too: compare within this world.
                let mine = result.rows.filter { world.regions.contains($0.regionId) }
                if viewer != .admin {
                    #expect(mine.count == result.rows.count)
                    #expect(result.total == expected.count, "total for \(viewer) \(query.filter)")
                }
                #expect(result.rows.count <= page.limit)
                got += mine.map(\.id)
                guard let next = result.next else { break }
                page = PageRequest(limit: page.limit, after: next)
            }
            #expect(
                got == expected,
                "viewer \(viewer), filter \(query.filter), urgent \(String(describing: query.urgent)), contains \(query.postcodeContains ?? "-")"
            )
        }
    }

    /// What the route did in memory before the SQL: every row, the rules per row, then the filters.
    func reference(_ rows: [ClientRow], _ viewer: Viewer, _ query: ClientListQuery) -> [ClientRow] {
        let f = query.filter
        return rows.filter { row in
            guard row.status != .invited, let v = row.record.view(for: viewer, on: query.today) else { return false }
            if let s = f.status, row.status != s { return false }
            if let w = f.waitlistId, row.waitlistId != w { return false }
            if let d = f.dueFrom, row.dueDate < d { return false }
            if let d = f.dueTo, row.dueDate > d { return false }
            if let u = query.urgent, Pregnancy.isUrgent(status: row.status, dueDate: row.dueDate, on: query.today) != u { return false }
            if let c = query.postcodeContains {
                let visible = v.postcode?.canonical ?? v.postcodeArea?.description ?? ""
                if !visible.contains(c) { return false }
            }
            return true
        }
        .sorted { ($0.dueDate, $0.id.lowercasedString) < ($1.dueDate, $1.id.lowercasedString) }
    }

    func makeWorld(_ pool: PostgresPool, _ random: inout SplitMix64) async throws -> World {
        var world = World()
        world.parent = try await WaitlistWorld.organization("insurer", pool)
        world.independent = try await WaitlistWorld.organization("insurer", pool)
        for _ in 0..<2 {
            let label = try await WaitlistWorld.organization("insurer", pool)
            _ = try await pool.execute("UPDATE organizations SET parent_id = \(world.parent) WHERE id = \(label)")
            world.labels.append(label)
        }
        for _ in 0..<3 { world.providers.append(try await WaitlistWorld.organization("careProvider", pool)) }
        for _ in 0..<3 {
            let area = PostcodeAreas.take() + 5000
            let region: UUID = try await pool.query("INSERT INTO regions (name) VALUES (\("Regio \(UUID())")) RETURNING id")[0].decode("id")
            let waitlist: UUID = try await pool.query(
                """
                INSERT INTO waitlists (region_id, name, status, due_from, due_to)
                VALUES (\(region), \("Wachtlijst \(UUID())"), 'open', '2020-01-01', '2099-12-31') RETURNING id
                """)[0].decode("id")
            world.regions.append(region)
            world.waitlists.append(waitlist)
            world.areas.append(area)
        }
        let statuses: [ClientStatus] = [.invited, .waiting, .enrolled, .withdrawn, .birthReported]
        for n in 0..<160 {
            let r = random.int(below: 3)
            let insurer = world.insurers[random.int(below: world.insurers.count)]
            let group = world.labels.contains(insurer) ? world.parent : insurer
            let status = statuses[random.int(below: statuses.count)]
            let provider: UUID? = status == .enrolled ? world.providers[random.int(below: 3)] : nil
            // A few share a due date, so the id decides the order.
            let due = CivilDate(2026, 1, 1).adding(days: random.int(below: 60) * 7)
            let letters = ["AB", "XY", "KL"][random.int(below: 3)]
            let postcode: String? = status == .withdrawn || random.int(below: 6) == 0 ? nil : "\(world.areas[r])\(letters)"
            _ = try await pool.execute(
                """
                INSERT INTO clients (waitlist_id, region_id, insurer_id, insurer_group_id, client_number, status, due_date, postcode_area,
                                     postcode, enrolling_provider_id, enrolled_on, placed_at)
                VALUES (\(world.waitlists[r]), \(world.regions[r]), \(insurer), \(group), \("G\(UUID().uuidString.prefix(12))-\(n)"),
                        \(status.rawValue), \(due), \(world.areas[r]), \(postcode), \(provider), \(provider == nil ? nil : due), now())
                """)
        }
        return world
    }

    func subset(_ ids: [UUID], _ random: inout SplitMix64) -> Set<String> {
        Set(ids.filter { _ in random.int(below: 2) == 0 }.map(\.lowercasedString))
    }

    func randomViewer(_ w: World, _ random: inout SplitMix64) -> Viewer {
        let avg = random.int(below: 2) == 0
        switch random.int(below: 9) {
        case 0: return .admin
        case 1: return .practitioner
        case 2, 3: return .coordinator(CoordinatorViewer(regionIds: subset(w.regions, &random), avgAccess: avg))
        case 4, 5, 6:
            let org = w.insurers[random.int(below: w.insurers.count)]
            let isLabel = w.labels.contains(org)
            return .insurer(
                InsurerViewer(
                    organizationId: org.lowercasedString, parentId: isLabel ? w.parent.lowercasedString : nil,
                    labelIds: org == w.parent ? Set(w.labels.map(\.lowercasedString)) : [],
                    preferentRegionIds: subset(w.regions, &random), avgAccess: avg))
        default:
            let org = w.providers[random.int(below: w.providers.count)]
            return .careProvider(
                CareProviderViewer(organizationId: org.lowercasedString, servedRegionIds: subset(w.regions, &random), avgAccess: avg))
        }
    }

    func randomQuery(_ w: World, _ rows: [ClientRow], _ random: inout SplitMix64) -> ClientListQuery {
        var filter = ClientFilter()
        let listable: [ClientStatus] = [.waiting, .enrolled, .withdrawn, .birthReported]
        if random.int(below: 3) == 0 { filter.status = listable[random.int(below: 4)] }
        if random.int(below: 4) == 0 { filter.waitlistId = w.waitlists[random.int(below: 3)] }
        if random.int(below: 4) == 0 { filter.dueFrom = CivilDate(2026, 1, 1).adding(days: random.int(below: 400)) }
        if random.int(below: 4) == 0 { filter.dueTo = CivilDate(2026, 1, 1).adding(days: random.int(below: 400)) }
        let urgent: Bool? = [nil, nil, true, false][random.int(below: 4)]
        var contains: String?
        if random.int(below: 3) == 0 {
            let row = rows[random.int(below: rows.count)]
            let text = row.postcode?.canonical ?? row.postcodeArea.description
            let start = random.int(below: text.count), length = 1 + random.int(below: text.count - start)
            contains = String(text.dropFirst(start).prefix(length))
        }
        let today = CivilDate(2025, 10, 1).adding(days: random.int(below: 300))
        return ClientListQuery(filter: filter, urgent: urgent, postcodeContains: contains, today: today)
    }
}
