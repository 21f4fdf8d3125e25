import DatesAndIDs
import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgStore
import Synchronization

/// `ETag`, `If-None-Match` and `If-Match` (API.md, integrator conventions).
///
/// A resource's entity tag is strong: the first 128 bits of the SHA-256 of the bytes its `GET` answers, in hex,
/// quoted. Every 200 answer to a `GET` carries it; `If-None-Match` with it answers 304. It names the representation
/// before any `Content-Encoding` (a gzip'd answer keeps the tag of its JSON).
///
/// `PATCH`, `PUT` and `DELETE` honour `If-Match`: the current representation is what the `GET` route of the same
/// pattern answers this caller; the write runs only when one of the listed tags is its tag (`*`: when it exists),
/// else 412 and nothing changes. A write route with no `GET` of its own pattern accepts only `*`. Check and write
/// are atomic: both run under the resource's lock (`ResourceLocks`), which every write to that resource takes.
enum Preconditions {
    static func entityTag(of body: [UInt8]) -> String {
        "\"" + Hex.encode(Array(SHA256.hash(body).prefix(16))) + "\""
    }

    /// The tags of an `If-Match`/`If-None-Match` value; nil for `*`.
    static func tags(_ value: String) -> [String]? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return nil }
        return trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Adds the entity tag to a 200 answer of a GET, or answers 304 when the request's `If-None-Match` names it.
    static func tagged(_ response: HTTPResponse, for request: HTTPRequest) -> HTTPResponse {
        guard response.status.code == 200 else { return response }
        var response = response
        let tag = response.headers["ETag"] ?? entityTag(of: response.body)
        response.headers["ETag"] = tag
        if let value = request.headers["If-None-Match"] {
            // Weak comparison: W/"x" matches "x".
            let matches = tags(value).map { $0.contains { weakless($0) == tag } } ?? true
            if matches {
                var notModified = HTTPResponse(status: .notModified, headers: ["ETag": tag])
                for name in ["Cache-Control", "Content-Location", "Vary"] {
                    if let v = response.headers[name] { notModified.headers[name] = v }
                }
                return notModified
            }
        }
        return response
    }

    private static func weakless(_ tag: String) -> String { tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }

    static func failed(_ detail: String) -> APIProblem {
        APIProblem(
            status: .preconditionFailed, title: "Precondition failed", detail: detail, kind: .preconditionFailed,
            errors: [.init(field: "If-Match", message: "does not match the current representation")])
    }

    /// Checks `If-Match` against `current` (the GET answer; nil: the route has no GET representation).
    /// Strong comparison: a weak tag never matches.
    static func check(ifMatch value: String, current: HTTPResponse?) throws {
        let exists = current.map { $0.status.code == 200 }
        guard let listed = tags(value) else {
            if exists == false { throw failed("the resource does not exist") }
            return
        }
        guard let current, current.status.code == 200 else {
            throw failed(current == nil ? "this resource has no entity tag; only If-Match: * applies" : "the resource does not exist")
        }
        let tag = current.headers["ETag"] ?? entityTag(of: current.body)
        guard listed.contains(tag) else { throw failed("the resource has changed since you read it (its ETag is \(tag))") }
    }
}

/// The GET handler of each route pattern, so a write can find its resource's current representation.
final class Representations: Sendable {
    typealias Handler = @Sendable (HTTPRequest, Principal) async throws -> HTTPResponse
    private let handlers = Mutex<[String: Handler]>([:])

    func set(_ pattern: String, _ handler: @escaping Handler) { handlers.withLock { $0[pattern] = handler } }
    func get(_ pattern: String) -> Handler? { handlers.withLock { $0[pattern] } }
}
