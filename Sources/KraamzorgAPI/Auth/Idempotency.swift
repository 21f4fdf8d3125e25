import FoundationEssentials
import Hashing
import HTTPServer
import KraamzorgStore
import KraamzorgUseCases

/// `Idempotency-Key` on authenticated POSTs (API.md, integrator conventions).
///
/// The first request with a key (per membership) runs; its answer, when final, is stored for 24 hours and
/// replayed to every later request with the same key and the same method, target and body, with
/// `Idempotent-Replayed: true` and no second effect. The same key with another request → 422; while the
/// first request still runs → 409 with `Retry-After: 1` (the retry then replays). Answers that are not final
/// are not stored, so a retry runs again: 5xx, 408, 409, 412, 423, 425, 429. An answer that shows a credential once
/// (`Cache-Control: no-store`: a new token, a webhook secret) is not stored either: its replay is a 409 saying the
/// request was done, with its `Location`. Public POSTs (no token: a client's link pages, accepting an invitation,
/// the quality-data check) ignore the header: each is one-shot by itself.
struct Idempotency: Sendable {
    static let header = "Idempotency-Key"
    static let replayedHeader = "Idempotent-Replayed"
    let keys: IdempotencyKeys
    let clock: DutchClock

    /// The key of `request`, nil when it has none; a malformed one is a 400 naming the header.
    static func key(of request: HTTPRequest) throws -> String? {
        guard let key = request.headers[header] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIProblem.validation([.init(field: header, message: "must be 1 to 255 visible ASCII characters")])
        }
        return key
    }

    /// SHA-256 of method, target (path and query) and body.
    static func requestHash(_ request: HTTPRequest) -> [UInt8] {
        var hash = SHA256()
        hash.update(Array(request.method.rawValue.utf8))
        hash.update([0x20])
        hash.update(Array(request.target.utf8))
        hash.update([0x0A])
        hash.update(request.body)
        return hash.finalize()
    }

    /// Whether an answer is final, and so stored and replayed.
    static func isFinal(_ status: Int) -> Bool {
        (200..<300).contains(status) || ((400..<500).contains(status) && ![401, 408, 409, 412, 423, 425, 429].contains(status))
    }

    /// Headers that describe the request rather than the answer, so a replay gets its own.
    static let unstoredHeaders: Set<String> = ["x-request-id", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "date"]

    func perform(
        key: String, _ request: HTTPRequest, _ principal: Principal, _ run: () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let membership = principal.membership.id
        switch try await keys.claim(membershipId: membership, key: key, requestHash: Self.requestHash(request), now: clock.now()) {
        case .mismatch:
            throw APIProblem(
                status: .unprocessableEntity, title: "Idempotency key reused",
                detail: "this Idempotency-Key was used for another request (method, path or body differ); use a new key",
                kind: .idempotencyKeyReused,
                errors: [.init(field: Self.header, message: "was used for another request")])
        case .inProgress:
            throw APIProblem(
                status: .conflict, title: "Request in progress",
                detail: "a request with this Idempotency-Key is still running; retry shortly to get its answer",
                kind: .idempotencyKeyInProgress, headers: ["Retry-After": "1"])
        case .replay(let stored):
            guard let body = stored.body else {
                // The first answer showed a credential once (`Cache-Control: no-store`): it was not kept.
                var headers: HTTPHeaders = [Self.replayedHeader: "true"]
                if let location = stored.headers.first(where: { $0.name.lowercased() == "location" }) {
                    headers["Location"] = location.value
                }
                throw APIProblem(
                    status: .conflict, title: "Answer withheld",
                    detail:
                        "the request with this Idempotency-Key was done (\(stored.status)), but its answer showed a secret only once and was not kept; the resource is at Location (revoke it if the secret was lost)",
                    kind: .idempotencyAnswerWithheld, headers: headers)
            }
            var response = HTTPResponse(status: HTTPStatus(code: stored.status), body: body)
            for field in stored.headers { response.headers.add(name: field.name, value: field.value) }
            response.headers[Self.replayedHeader] = "true"
            return response
        case .claimed:
            let response: HTTPResponse
            do {
                response = try await run()
            } catch {
                try? await keys.release(membershipId: membership, key: key)
                throw error
            }
            if Self.isFinal(response.status.code) {
                let headers = response.headers.filter { !Self.unstoredHeaders.contains($0.name.lowercased()) }
                // A credential shown once is never stored: only that the request was done, and where.
                let secret = response.headers["Cache-Control"]?.lowercased().contains("no-store") == true
                try await keys.complete(
                    membershipId: membership, key: key,
                    response: .init(
                        status: response.status.code, headers: headers.map { ($0.name, $0.value) }, body: secret ? nil : response.body))
            } else {
                try? await keys.release(membershipId: membership, key: key)
            }
            return response
        }
    }
}
