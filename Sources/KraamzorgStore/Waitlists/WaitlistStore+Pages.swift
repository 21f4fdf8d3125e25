import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// `GET /v1/regions` and `GET /v1/waitlists` one page at a time, in SQL: keyset paging (the cursor is the last row's
/// sort key and id), `LIMIT` one more than the page to know whether another follows, the filters in the `WHERE`, and
/// the total counted by the same filters (without the cursor, so every page reports the same total).
extension WaitlistStore {
    /// Regions by name, then id.
    public func regions(page: PageRequest) async throws -> Page<RegionRecord> {
        let afterKey = page.after?.key, afterId = page.after?.id
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: WaitlistStore.regionColumns) FROM regions r
            WHERE (\(afterKey)::text IS NULL OR (r.name, r.id) > (\(afterKey)::text, \(afterId)::uuid))
            ORDER BY r.name, r.id
            LIMIT \(page.limit + 1)
            """)
        let total: Int = try await pool.query("SELECT count(*) AS n FROM regions")[0].decode("n")
        return Self.page(try rows.map(WaitlistStore.region), limit: page.limit, total: total) { PageCursor(key: $0.name, id: $0.id) }
    }

    /// Waitlists by the first due date they take, then id; optionally of one region and of one status. `after`: the
    /// position of the previous page's last row (`waitlistCursorPosition`).
    public func waitlists(
        regionId: UUID?, status: WaitlistStatus?, limit: Int, after: (dueFrom: CivilDate, id: UUID)?
    ) async throws -> Page<WaitlistRecord> {
        let afterDate = after?.dueFrom, afterId = after?.id, statusText = status?.rawValue
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: WaitlistStore.waitlistColumns) FROM waitlists w
            WHERE (\(regionId)::uuid IS NULL OR w.region_id = \(regionId)::uuid)
              AND (\(statusText)::text IS NULL OR w.status = \(statusText)::text)
              AND (\(afterDate)::date IS NULL OR (w.due_from, w.id) > (\(afterDate)::date, \(afterId)::uuid))
            ORDER BY w.due_from, w.id
            LIMIT \(limit + 1)
            """)
        let total: Int = try await pool.query(
            """
            SELECT count(*) AS n FROM waitlists w
            WHERE (\(regionId)::uuid IS NULL OR w.region_id = \(regionId)::uuid)
              AND (\(statusText)::text IS NULL OR w.status = \(statusText)::text)
            """)[0].decode("n")
        return Self.page(try rows.map(WaitlistStore.waitlist), limit: limit, total: total) {
            PageCursor(key: $0.dueDates.dueFrom.description, id: $0.id)
        }
    }

    /// A waitlists cursor's position, or nil when the cursor was not one of a waitlists page.
    public static func waitlistCursorPosition(_ cursor: PageCursor) -> (dueFrom: CivilDate, id: UUID)? {
        CivilDate(iso: cursor.key).map { ($0, cursor.id) }
    }

    /// The first `limit` of `rows` (which holds up to one more) and the cursor after the last, if more follow.
    static func page<Item>(_ rows: [Item], limit: Int, total: Int, cursor: (Item) -> PageCursor) -> Page<Item> {
        guard rows.count > limit else { return Page(items: rows, total: total, nextCursor: nil) }
        let items = Array(rows.prefix(limit))
        return Page(items: items, total: total, nextCursor: cursor(items[items.count - 1]).encoded)
    }
}
