#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPServer
import KraamzorgJobs
import KraamzorgRules
import KraamzorgStore

/// `POST /v1/jobs/{name}/run` (admin): runs a job now, once per period (a second call in the same
/// period answers `"ran": false` with the earlier run).
struct JobRoutes {
    let scheduler: JobScheduler

    struct RunJSON: Encodable {
        let job: String
        let period: String
        let ran: Bool
        let startedAt: Date
        let finishedAt: Date?
        let result: [String: String]
    }

    func register(_ routes: inout RouteBuilder) {
        let scheduler = self.scheduler
        routes.authed(.GET, "/v1/jobs", roles: [.admin]) { _, _ in
            try APIJSON.response(["items": scheduler.names])
        }
        routes.authed(.POST, "/v1/jobs/:name/run", roles: [.admin]) { request, _ in
            let name = request.pathParameters["name"] ?? ""
            guard let o = try await scheduler.run(name, now: Date(), trigger: "manual") else { throw Problem.notFound("job") }
            return try APIJSON.response(RunJSON(job: o.job, period: o.periodKey, ran: o.ran, startedAt: o.startedAt, finishedAt: o.finishedAt, result: o.result))
        }
    }
}
