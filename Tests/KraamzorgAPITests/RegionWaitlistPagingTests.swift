import Foundation
import Testing
import TestSupport

/// `GET /v1/regions` and `GET /v1/waitlists` page like every other list (API.md): `?limit=`, an opaque `?cursor=`,
/// `{"items", "total", "nextCursor"}`, in SQL (keyset on the list's order).
@Suite struct RegionWaitlistPagingTests {
    /// Every page of `path` at `limit` per page: the items in order, and each page's total.
    func walk(_ app: TestApp, _ path: String, limit: Int) async throws -> (items: [[String: Any]], totals: Set<Int>, pages: Int) {
        var items: [[String: Any]] = [], totals = Set<Int>(), cursor: String?, pages = 0
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            var url = "\(path)\(separator)limit=\(limit)"
            if let cursor { url += "&cursor=\(cursor)" }
            let r = try await app.admin("GET", url)
            #expect(r.status == 200, "\(url): \(r.text)")
            let body = try r.object()
            let page = try #require(body["items"] as? [[String: Any]])
            #expect(page.count <= limit)
            items += page
            totals.insert(try #require(body["total"] as? Int))
            cursor = body["nextCursor"] as? String
            pages += 1
        } while cursor != nil && pages < 1_000
        return (items, totals, pages)
    }

    @Test func regionsComeByNameAPageAtATimeAndTheWalkIsComplete() async throws {
        let app = try await TestApp.shared.value
        // Three regions of this test's own (others' regions are on the same database; the walk sees them all).
        let worlds = [try await WaitlistWorld.make(app: app, providers: 0), try await WaitlistWorld.make(app: app, providers: 0)]
        let (items, totals, pages) = try await walk(app, "/v1/regions", limit: 1)
        let ids = items.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == ids.count, "a region came twice")
        #expect(totals.count == 1 || totals.max()! - totals.min()! <= 10, "totals \(totals)")  // other suites add regions meanwhile
        #expect(pages == ids.count || pages == ids.count + 1)
        for world in worlds { #expect(ids.contains(world.regionId)) }
        let names = items.compactMap { $0["name"] as? String }
        #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } || names == names.sorted())

        let first = try await app.admin("GET", "/v1/regions?limit=1").object()
        #expect((first["items"] as? [Any])?.count == 1)
        #expect(first["nextCursor"] as? String != nil)
        #expect(try await app.admin("GET", "/v1/regions?limit=0").status == 400)
        #expect(try await app.admin("GET", "/v1/regions?limit=501").status == 400)
        #expect(try await app.admin("GET", "/v1/regions?cursor=bm90LWEtY3Vyc29y").status == 400)
    }

    @Test func aRegionsWaitlistsComeByDueDateAPageAtATimeFilteredInSQL() async throws {
        let app = try await TestApp.shared.value
        let world = try await WaitlistWorld.make(app: app, providers: 0)
        // The world's own list takes due dates from day 0; three more later, one of them closed.
        var made = [world.waitlistId]
        for (offset, status) in [(300, "open"), (600, "closed"), (900, "open")] {
            let r = try await app.admin(
                "POST", "/v1/waitlists",
                json: [
                    "regionId": world.regionId, "name": "Later \(offset)", "status": status, "dueFrom": day(offset),
                    "dueTo": day(offset + 200),
                ])
            #expect(r.status == 201, "\(r.text)")
            made.append(try #require(try r.object()["id"] as? String))
        }
        let all = try await walk(app, "/v1/waitlists?regionId=\(world.regionId)", limit: 2)
        #expect(all.items.compactMap { $0["id"] as? String } == made)
        #expect(all.totals == [4])
        #expect(all.pages == 2)
        let open = try await walk(app, "/v1/waitlists?regionId=\(world.regionId)&status=open", limit: 1)
        #expect(open.items.compactMap { $0["id"] as? String } == [made[0], made[1], made[3]])
        #expect(open.totals == [3])
        let closed = try await app.admin("GET", "/v1/waitlists?regionId=\(world.regionId)&status=closed").object()
        #expect((closed["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [made[2]])
        #expect(closed["nextCursor"] is NSNull)

        // A regions cursor is no waitlists cursor.
        let regionsCursor = try #require(try await app.admin("GET", "/v1/regions?limit=1").object()["nextCursor"] as? String)
        #expect(try await app.admin("GET", "/v1/waitlists?cursor=\(regionsCursor)").status == 400)
        #expect(try await app.admin("GET", "/v1/waitlists?limit=abc").status == 400)
    }
}
