import FoundationEssentials
import HTTPServer

/// `GET /problems/{slug}`: every problem type's URI answers with a short explanation page (`ProblemTypes.swift`);
/// an unknown slug is a 404. No database, no token, not rate-limited: the pages are constants.
struct ProblemRoutes {
    func register(_ routes: inout RouteBuilder) {
        let pages = Dictionary(uniqueKeysWithValues: ProblemType.all.map { ($0.slug, ProblemPage.response($0)) })
        let typeBase = routes.problemTypeBase
        routes.router.add(.GET, "/problems/:slug") { request in
            if let page = pages[request.pathParameters["slug"] ?? ""] { return page }
            return APIProblem.notFound("problem type").response(requestId: request.requestId, typeBase: typeBase)
        }
    }
}
