import Foundation
import HTTPServer
import Logging
import KraamzorgAPI
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import Testing

/// openapi.yaml is the contract integrators generate clients from: every route the server has is
/// documented there, and every documented operation exists.
@Suite struct OpenAPIContractTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// "GET /v1/users/:id" for each operation in the document (path templates become :name).
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var operations: Set<String> = []
        var currentPath: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("#") { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                let template = String(line.dropFirst(2).dropLast())
                currentPath = template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                    segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
                }.joined(separator: "/")
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(String(key)) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    static func servedOperations() throws -> Set<String> {
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: "postgresql://nobody@127.0.0.1:1/none"))
        let app = KraamzorgApp(
            pool: pool, logger: Logger(level: .error), jobs: standardScheduler(pool),
            configuration: .init(openAPIDocument: [], httpMetrics: { "" }, webhookSecretKey: .random()))
        return Set(
            app.router().routes.map { route in
                // Parameter names may differ between the two; compare the shapes.
                "\(route.method.rawValue) \(route.pattern)"
            })
    }

    static func shape(_ operation: String) -> String {
        operation.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? ":" : String($0) }.joined(
            separator: "/")
    }

    /// Generated clients name their methods after operationIds: every operation has one, and no two are alike.
    @Test func everyOperationHasAnOperationId() throws {
        let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var missing: [String] = [], ids: [String] = []
        for (i, line) in lines.enumerated() where ["    get:", "    post:", "    put:", "    patch:", "    delete:"].contains(line) {
            let next = i + 1 < lines.count ? lines[i + 1] : ""
            if next.hasPrefix("      operationId: ") {
                ids.append(String(next.dropFirst("      operationId: ".count)))
            } else {
                missing.append("line \(i + 1)")
            }
        }
        #expect(missing.isEmpty, "operations without operationId (on the line after the method): \(missing)")
        #expect(
            Set(ids).count == ids.count,
            "operationIds used twice: \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        #expect(ids.count >= 100, "\(ids.count)")
    }

    /// The values of the `enum:` of components schema `name` (its first `enum: [...]`, which may span lines).
    static func enumValues(of name: String) throws -> [String] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let block = try #require(text.components(separatedBy: "\n    \(name):\n").dropFirst().first)
        let list = try #require(block.components(separatedBy: "enum: [").dropFirst().first?.components(separatedBy: "]").first)
        return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Every list a client is generated from is the code's own list: a value added in code and not here would fail
    /// to parse in a generated client (the feed's event types once lacked three).
    @Test func theEnumsAreTheListsInCode() throws {
        let lists: [(String, [String])] = [
            ("WebhookEventType", DomainEvents.typeNames),
            ("NotificationKind", Outbox.Kind.allCases.map(\.rawValue)),
            ("ClientStatus", ClientStatus.allCases.map(\.rawValue)),
            ("Role", Role.allCases.map(\.rawValue)),
            ("OrganizationKind", OrganizationKind.allCases.map(\.rawValue)),
        ]
        for (schema, code) in lists {
            #expect(Set(try Self.enumValues(of: schema)) == Set(code), "\(schema)")
        }
    }

    @Test func everyServedRouteIsDocumented() throws {
        let documented = Set(try Self.documentedOperations().map(Self.shape))
        let undocumented = try Self.servedOperations().filter { !documented.contains(Self.shape($0)) }
        #expect(undocumented.isEmpty, "not in openapi.yaml: \(undocumented.sorted())")
    }

    @Test func everyDocumentedOperationIsServed() throws {
        let served = Set(try Self.servedOperations().map(Self.shape))
        let missing = try Self.documentedOperations().filter { !served.contains(Self.shape($0)) }
        #expect(missing.isEmpty, "documented but not served: \(missing.sorted())")
    }
}
