import Testing
@testable import HTTPServer

@Suite("Router")
struct RouterTests {
    static func makeRouter() -> Router {
        var router = Router()
        let ok: HTTPHandler = { _ in HTTPResponse() }
        router.add(.GET, "/v1/users", ok)
        router.add(.POST, "/v1/users", ok)
        router.add(.GET, "/v1/users/:id", ok)
        router.add(.DELETE, "/v1/users/:id", ok)
        router.add(.GET, "/v1/users/me", ok)
        router.add(.GET, "/v1/users/:userId/posts/:postId", ok)
        return router
    }

    /// The literal table (raw paths) answers exactly as the tree does, including where a literal route lacks
    /// the method and a parameter route has it (405: the literal path wins outright).
    @Test func theLiteralTableAgreesWithTheTree() {
        let router = Self.makeRouter()
        func describe(_ m: RouteMatch) -> String {
            switch m {
            case .matched(let route, let parameters): return "\(route.method) \(route.pattern) \(parameters.sorted { $0.key < $1.key })"
            case .methodNotAllowed(let allowed): return "405 \(allowed)"
            case .options(let allowed): return "options \(allowed)"
            case .notFound: return "404"
            }
        }
        let methods: [HTTPMethod] = [.GET, .HEAD, .POST, .DELETE, .PUT, .OPTIONS]
        let paths = ["/", "/v1/users", "/v1/users/", "/v1//users", "/v1/users/me", "/v1/users/7", "/v1/users/7/posts/9", "/v1/nothing"]
        for method in methods {
            for path in paths {
                #expect(
                    describe(router.match(method: method, rawPath: path[...])) == describe(router.match(method: method, path: path)),
                    "\(method) \(path)")
            }
        }
        guard case .methodNotAllowed(let allowed) = router.match(method: .DELETE, rawPath: "/v1/users/me") else {
            Issue.record("expected 405"); return
        }
        #expect(allowed == [.GET, .HEAD, .OPTIONS])
    }

    @Test func matchesLiteralPaths() {
        guard case .matched(let route, let parameters) = Self.makeRouter().match(method: .GET, path: "/v1/users") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/v1/users")
        #expect(parameters.isEmpty)
    }

    @Test func capturesParameters() {
        guard case .matched(let route, let parameters) = Self.makeRouter().match(method: .GET, path: "/v1/users/7/posts/9") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/v1/users/:userId/posts/:postId")
        #expect(parameters == ["userId": "7", "postId": "9"])
    }

    @Test func prefersALiteralOverAParameter() {
        guard case .matched(let route, _) = Self.makeRouter().match(method: .GET, path: "/v1/users/me") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/v1/users/me")
    }

    @Test func aLiteralWithRoutesOfItsOwnNeverFallsBackToAParameter() {
        // `/v1/users/me` has a GET of its own: DELETE there is not the DELETE of `/v1/users/:id` with id "me".
        guard case .methodNotAllowed(let allowed) = Self.makeRouter().match(method: .DELETE, path: "/v1/users/me") else {
            Issue.record("expected 405"); return
        }
        #expect(allowed == [.GET, .HEAD, .OPTIONS])
        guard case .options(let options) = Self.makeRouter().match(method: .OPTIONS, path: "/v1/users/me") else {
            Issue.record("expected options"); return
        }
        #expect(options == [.GET, .HEAD, .OPTIONS])
        // Another value of the parameter still reaches the parameter's routes.
        guard case .matched(let route, let parameters) = Self.makeRouter().match(method: .DELETE, path: "/v1/users/you") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/v1/users/:id")
        #expect(parameters == ["id": "you"])
    }

    @Test func answersNotFoundForAnUnknownPath() {
        guard case .notFound = Self.makeRouter().match(method: .GET, path: "/v2/nothing") else {
            Issue.record("expected notFound"); return
        }
        guard case .notFound = Self.makeRouter().match(method: .GET, path: "/v1/users/1/posts") else {
            Issue.record("expected notFound for a prefix"); return
        }
    }

    @Test func answersMethodNotAllowedWithAllow() {
        guard case .methodNotAllowed(let allowed) = Self.makeRouter().match(method: .PUT, path: "/v1/users") else {
            Issue.record("expected 405"); return
        }
        #expect(allowed == [.GET, .HEAD, .POST, .OPTIONS])
    }

    @Test func servesHEADWithTheGETRoute() {
        guard case .matched(let route, _) = Self.makeRouter().match(method: .HEAD, path: "/v1/users/3") else {
            Issue.record("no match"); return
        }
        #expect(route.method == .GET)
    }

    @Test func answersOPTIONSWithAllow() {
        guard case .options(let allowed) = Self.makeRouter().match(method: .OPTIONS, path: "/v1/users/3") else {
            Issue.record("expected options"); return
        }
        #expect(allowed == [.GET, .HEAD, .DELETE, .OPTIONS])
    }

    @Test func ignoresEmptySegmentsAndDecodesParametersPerSegment() {
        let router = Self.makeRouter()
        guard case .matched(_, let parameters) = router.match(method: .GET, rawPath: "/v1//users/a%2Fb/") else {
            Issue.record("no match"); return
        }
        #expect(parameters == ["id": "a/b"])
    }

    @Test func clampsTheBodyLimitTo10MiB() {
        #expect(RouteOptions(bodyLimit: 100 << 20).bodyLimit == 10 << 20)
    }
}
