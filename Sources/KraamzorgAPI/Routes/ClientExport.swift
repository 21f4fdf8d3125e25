import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

/// `GET /v1/clients` with `Accept: text/csv`: the list as a spreadsheet for Dutch Excel (API.md, second round).
/// The same rows and fields as the JSON list (the same filters and visibility), but the whole filtered list,
/// not one page: `limit` and `after` do not apply. More than `maxRows` rows are refused (narrow the filters).
/// Column headers are the manual's (Wachtlijst, Wachtlijstnr. cliënt, Postcode, Uitgerekend, …); the personal
/// columns exist only for group-2 callers, and a cell of a field the caller may not see for that client is empty.
enum ClientExport {
    static let maxRows = 10_000

    static let groupOneHeader = [
        "Wachtlijst", "Wachtlijstnr. cliënt", "Postcode", "Uitgerekend", "Zwangerschapsweek", "Urgent", "Status", "Kraamzorgaanbieder",
    ]
    static let groupTwoHeader = ["Voornaam", "Achternaam", "E-mailadres", "Telefoonnummer"]

    static func response(
        _ views: [ClientView], total: Int, viewer: Viewer, today: CivilDate, principal: Principal, request: HTTPRequest,
        clients: ClientStore
    ) async throws -> HTTPResponse {
        guard total <= maxRows else {
            throw APIProblem.refused([
                .init(field: "(query)", message: "an export holds at most \(maxRows) clients (this one \(total)); narrow the filters")
            ])
        }
        let personal = viewer.avgAccess
        let rows = views.map { v -> [String] in
            // Postcode: the full postcode where she may see it, else the area (PC4), as in the manual's tables.
            var row = [
                v.waitlistName ?? "", v.clientNumber ?? "", v.postcode?.display ?? v.postcodeArea?.description ?? "",
                v.dueDate.map(DutchNames.date) ?? "", v.pregnancyWeek.map(String.init) ?? "", v.urgent.map { $0 ? "ja" : "nee" } ?? "",
                v.status.map(statusText) ?? "", v.providerName ?? "",
            ]
            if personal { row += [v.firstName ?? "", v.lastName ?? "", v.email ?? "", v.phone ?? ""] }
            return row
        }
        // NEN 7513: an export of client data, one event per client in it (as the JSON list records a search).
        try await clients.audit(
            .export, clientIds: views.compactMap { UUID(uuidString: $0.id) }, details: ["route": "GET /v1/clients", "format": "text/csv"],
            by: principal.actor(request))
        return SpreadsheetCSV.response(
            filename: "wachtlijst-clienten-\(today.iso).csv", header: groupOneHeader + (personal ? groupTwoHeader : []), rows: rows)
    }

    static func statusText(_ s: ClientStatus) -> String {
        switch s {
        case .invited: "uitgenodigd"
        case .waiting: "wachtend"
        case .enrolled: "ingeschreven"
        case .birthReported: "bevallen"
        case .withdrawn: "afgemeld"
        }
    }
}
