import FoundationEssentials
import HTTPServer
import JSONOutput
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// Capacity, the weekly report, the audit log, the outbox, and the quality-data obligation.
struct WaitlistReportRoutes {
    let waitlists: WaitlistStore
    let clients: ClientStore
    let clock: DutchClock

    struct CapacityBody: Decodable { let places: Int }

    func register(_ routes: inout RouteBuilder) {
        let clock = self.clock
        let waitlists = self.waitlists, clients = self.clients

        // MARK: capacity

        routes.authed(.PUT, "/v1/regions/:id/capacity/:week", roles: [.careProvider]) { request, principal in
            let regionId = try request.uuidParameter("id", "region")
            let week = try WaitlistReportRoutes.week(request.pathParameters["week"] ?? "", "week")
            let body = try APIJSON.decode(CapacityBody.self, from: request)
            guard (0...100_000).contains(body.places) else {
                throw APIProblem.validation([.init(field: "places", message: "must be 0 to 100000")])
            }
            guard try await waitlists.region(id: regionId) != nil else { throw APIProblem.notFound("region") }
            guard try await waitlists.serves(providerId: principal.organization.id, regionId: regionId) else {
                throw APIProblem.forbidden("your organisation does not serve this region")
            }
            try await waitlists.setCapacity(
                providerId: principal.organization.id, regionId: regionId, week: week, places: body.places,
                by: principal.actor(request))
            return try APIJSON.response(["regionId": regionId.lowercasedString, "week": week.description, "places": String(body.places)])
        }

        routes.authed(.GET, "/v1/regions/:id/capacity", roles: [.coordinator, .admin, .careProvider]) { request, principal in
            let regionId = try request.uuidParameter("id", "region")
            guard try await waitlists.region(id: regionId) != nil else { throw APIProblem.notFound("region") }
            if principal.role == .coordinator && !principal.membership.regionIds.contains(regionId) { throw APIProblem.notFound("region") }
            if principal.role == .careProvider, !(try await waitlists.serves(providerId: principal.organization.id, regionId: regionId)) {
                throw APIProblem.forbidden("your organisation does not serve this region")
            }
            let today = clock.today
            let from = try request.query("from").map { try WaitlistReportRoutes.week($0, "from") } ?? ISOWeek(containing: today)
            let to = try request.query("to").map { try WaitlistReportRoutes.week($0, "to") } ?? ISOWeek(containing: today.adding(weeks: 12))
            guard from <= to, from.monday.days(until: to.monday) <= 7 * 60 else {
                throw APIProblem.validation([.init(field: "to", message: "must be on or after from, at most 60 weeks later")])
            }
            let own: UUID? = principal.role == .careProvider ? principal.organization.id : nil
            let places = try await waitlists.capacity(regionId: regionId, from: from, to: to, providerId: own)
            let rows = try await clients.clients(scope: .regions([regionId]), filter: ClientFilter(dueFrom: from.monday, dueTo: to.sunday))
            var weeks: [CapacityWeekJSON] = []
            var w = from.monday
            while w <= to.monday {
                let iso = ISOWeek(containing: w)
                let inWeek = rows.filter { ISOWeek(containing: $0.dueDate) == iso }
                weeks.append(
                    CapacityWeekJSON(
                        week: iso.description,
                        waiting: inWeek.filter { $0.status == .waiting || $0.status == .birthReported }.count,
                        urgent: inWeek.filter { Pregnancy.isUrgent(status: $0.status, dueDate: $0.dueDate, on: today) }.count,
                        enrolled: inWeek.filter { $0.status == .enrolled }.count,
                        places: places.filter { $0.week == iso.description }.map {
                            CapacityWeekJSON.Places(
                                providerId: $0.providerId.lowercasedString, providerName: $0.providerName, places: $0.places)
                        }))
                w = w.adding(weeks: 1)
            }
            return try APIJSON.response(["regionId": AnyEncodable(regionId.lowercasedString), "weeks": AnyEncodable(weeks)])
        }

        // MARK: weekly report

        routes.authed(.GET, "/v1/waitlists/:id/report", roles: [.coordinator, .insurer, .admin]) { request, principal in
            let id = try request.uuidParameter("id", "waitlist")
            guard let waitlist = try await waitlists.waitlist(id: id) else { throw APIProblem.notFound("waitlist") }
            if principal.role == .coordinator && !principal.membership.regionIds.contains(waitlist.regionId) {
                throw APIProblem.notFound("waitlist")
            }
            let today = clock.today
            let week = try request.query("week").map { try WaitlistReportRoutes.week($0, "week") } ?? ISOWeek(containing: today)
            let viewer = try await waitlists.viewer(for: principal)
            let rows = try await clients.clients(scope: ClientScope(viewer), filter: ClientFilter(waitlistId: id))
            // Counts only of the clients this caller may see.
            let weekStart = WaitlistReportRoutes.date(week.monday), weekEnd = WaitlistReportRoutes.date(week.sunday.adding(days: 1))
            let report = WaitlistReport(rows: rows, viewer: viewer, week: week, today: today, weekStart: weekStart, weekEnd: weekEnd)
            let lines = report.lines, total = report.total
            let handBacks = HandBackCount.counts(
                try await clients.releases(waitlistId: id, from: weekStart, to: weekEnd), rows: rows, viewer: viewer)
            try await waitlists.recordExport(waitlistId: id, week: week.description, by: principal.actor(request))
            if SpreadsheetCSV.wanted(request) {
                // The same conventions as the client export (Dutch Excel: BOM, `;`, CRLF, Dutch headers).
                let rows = (lines + [total]).map { l in
                    [
                        l.dueWeek == "total" ? "Totaal" : l.dueWeek, String(l.waiting), String(l.urgent), String(l.enrolled),
                        String(l.newPlacements),
                    ]
                }
                return SpreadsheetCSV.response(
                    filename: "wachtlijst-rapport-\(week.description).csv",
                    header: ["Uitgerekend (week)", "Wachtend", "Urgent", "Ingeschreven", "Nieuw geplaatst"], rows: rows)
            }
            return try APIJSON.response(
                ReportJSON(
                    waitlistId: id.lowercasedString, waitlistName: waitlist.name, week: week.description,
                    totals: total, byDueWeek: lines, handBacks: handBacks))
        }

        // MARK: audit log and outbox

        routes.authed(.GET, "/v1/audit-events", roles: [.admin]) { request, principal in
            var errors: [APIProblem.FieldError] = []
            func uuid(_ name: String) -> UUID? {
                guard let t = request.query(name) else { return nil }
                if let id = UUID(uuidString: t) { return id }
                errors.append(.init(field: name, message: "must be an id")); return nil
            }
            func time(_ name: String) -> Date? {
                guard let t = request.query(name) else { return nil }
                // ISO8601DateFormatter (not in FoundationEssentials) took no fractional seconds.
                if !t.contains("."), let d = try? Date.ISO8601FormatStyle().parse(t) { return d }
                if let c = CivilDate(iso: t) { return WaitlistReportRoutes.date(c) }
                errors.append(.init(field: name, message: "must be a date YYYY-MM-DD or an RFC 3339 time")); return nil
            }
            let clientId = uuid("clientId"), userId = uuid("userId"), from = time("from"), to = time("to")
            let page = try request.pageRequest()
            guard errors.isEmpty else { throw APIProblem.validation(errors) }
            var details: [String: String] = [:]
            if let clientId { details["clientId"] = clientId.lowercasedString }
            if let userId { details["userId"] = userId.lowercasedString }
            // Reading the log is itself logged (before the read, so it shows in its own result).
            try await waitlists.recordAuditRead(details: details, by: principal.actor(request))
            let result = try await waitlists.auditEvents(clientId: clientId, userId: userId, from: from, to: to, page: page)
            return try APIJSON.response(
                ListBody(items: result.items.map(AuditEventJSON.init), total: result.total, nextCursor: result.nextCursor))
        }

        routes.authed(.GET, "/v1/notifications", roles: [.admin]) { request, principal in
            let kind = request.query("kind")
            if let kind, Outbox.Kind(rawValue: kind) == nil {
                throw APIProblem.validation([
                    .init(field: "kind", message: "must be one of \(Outbox.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                ])
            }
            let status = request.query("status")
            if let status, !["pending", "sent", "failed"].contains(status) {
                throw APIProblem.validation([.init(field: "status", message: "must be pending, sent or failed")])
            }
            let result = try await waitlists.notifications(
                to: request.query("to"), kind: kind, status: status, page: try request.pageRequest())
            // Messages to and about clients carry their personal data: reading them is audited per client.
            try await clients.audit(
                .read, clientIds: Array(Set(result.items.compactMap(\.clientId))),
                details: ["route": "GET /v1/notifications"], by: principal.actor(request))
            return try APIJSON.response(
                ListBody(items: result.items.map(NotificationJSON.init), total: result.total, nextCursor: result.nextCursor))
        }

        // MARK: quality-data obligation (public)

        routes.open(.POST, "/v1/quality-data-obligation") { request in
            let situation = try APIJSON.decode(QualityDataSituation.self, from: request)
            if let bad = situation.yearProblem(currentYear: clock.today.year) {
                throw APIProblem.validation([.init(field: bad.field, message: bad.message)])
            }
            switch QualityDataObligation.evaluate(situation) {
            case .success(let o): return try APIJSON.response(o)
            case .failure(let e): throw APIProblem.refused(e.problems.map { StoreError.Reason(field: $0.field, message: $0.message) })
            }
        }
    }

    /// An ISO week of the years dates may have (`CivilDate.acceptedYears`, as every date in the API).
    static func week(_ text: String, _ field: String) throws -> ISOWeek {
        guard let w = ISOWeek(text), CivilDate.acceptedYears.contains(w.year) else {
            throw APIProblem.validation([.init(field: field, message: "must be an ISO week YYYY-Www from 1900 to 2200")])
        }
        return w
    }

    /// Midnight in the Netherlands at the start of `d`.
    static func date(_ d: CivilDate) -> Date { DutchTime.startOfDay(d) }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    /// Kept by hand: type erasure, so one dictionary holds values of different types; it writes the value as is.
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

struct CapacityWeekJSON: Encodable {
    struct Places: Encodable { let providerId: String; let providerName: String; let places: Int }
    let week: String
    let waiting: Int
    let urgent: Int
    let enrolled: Int
    let places: [Places]
}

typealias ReportLineJSON = WaitlistReport.Line

struct ReportJSON: Encodable {
    let waitlistId: String
    let waitlistName: String
    let week: String
    let totals: ReportLineJSON
    let byDueWeek: [ReportLineJSON]
    /// The week's hand-backs per provider, of the clients the caller may see (DOMAIN §7a).
    let handBacks: [HandBackCount]
}

struct AuditEventJSON: Encodable {
    let id: String
    let at: Date
    let action: String
    let outcome: String
    let userId: String?
    let userName: String?
    let organizationId: String?
    let role: String?
    let membershipId: String?
    let objectType: String
    let objectId: String?
    let clientId: String?
    let requestId: String?
    let details: [String: String]

    init(_ e: AuditEventRow) {
        id = e.id.lowercasedString
        at = e.at
        action = e.action
        outcome = e.outcome
        userId = e.userId?.lowercasedString
        userName = e.userName
        organizationId = e.organizationId?.lowercasedString
        role = e.role
        membershipId = e.membershipId?.lowercasedString
        objectType = e.objectType
        objectId = e.objectId?.lowercasedString
        clientId = e.clientId?.lowercasedString
        requestId = e.requestId
        details = (try? JSONDecoder().decode([String: String].self, from: Data(e.details.utf8))) ?? [:]
    }
}

struct NotificationJSON: Encodable {
    let id: String
    let kind: String
    let to: String
    let subject: String
    let body: String
    let link: String?
    let status: String
    let attempts: Int
    let lastError: String?
    let createdAt: Date
    @ExplicitNull var sentAt: Date?

    /// Link tokens are credentials of the client: the outbox shows where a link led, never the token. Only a
    /// pending message still has its link (the store clears it once the message is sent or failed).
    init(_ n: NotificationRow) {
        id = n.id.lowercasedString
        kind = n.kind
        to = n.to
        subject = n.subject
        var body = n.body, link = n.link
        if let full = n.link, let slash = full.lastIndex(of: "/"), full.index(after: slash) < full.endIndex {
            let token = String(full[full.index(after: slash)...])
            link = String(full[...slash]) + "…"
            body = body.replacingAll(token, with: "…")
        } else if let token = n.link, !token.isEmpty {
            // A bare credential (a membership's token, koppelen): nothing of it is shown.
            link = "…"
            body = body.replacingAll(token, with: "…")
        }
        self.body = body
        self.link = link
        status = n.status
        attempts = n.attempts
        lastError = n.lastError
        createdAt = n.createdAt
        sentAt = n.sentAt
    }
}
