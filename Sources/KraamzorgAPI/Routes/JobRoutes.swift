import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases

/// `POST /v1/jobs/{name}/run` (admin): runs a job now, once per period (a second call in the same
/// period answers `"ran": false` with the earlier run).
struct JobRoutes {
    let jobs: any JobRunning

    struct RunJSON: Encodable {
        let job: String
        let period: String
        let ran: Bool
        let startedAt: Date
        let finishedAt: Date?
        let result: [String: String]
    }

    func register(_ routes: inout RouteBuilder) {
        let jobs = self.jobs
        routes.authed(.GET, "/v1/jobs", roles: [.admin]) { _, _ in
            try APIJSON.response(["items": jobs.names])
        }
        routes.authed(.POST, "/v1/jobs/:name/run", roles: [.admin]) { request, _ in
            let name = request.pathParameters["name"] ?? ""
            guard let o = try await jobs.run(name, now: Date(), trigger: "manual") else { throw APIProblem.notFound("job") }
            return try APIJSON.response(
                RunJSON(job: o.job, period: o.periodKey, ran: o.ran, startedAt: o.startedAt, finishedAt: o.finishedAt, result: o.result))
        }
    }
}
