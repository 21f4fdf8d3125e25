import FoundationEssentials
import HTTPServer
import KraamzorgStore
import PostgresClient

/// Problems this API raises often, named after what went wrong.
extension APIProblem {
    static func validation(_ errors: [APIProblem.FieldError]) -> APIProblem {
        APIProblem(
            status: .badRequest, title: "Invalid request", detail: errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "),
            kind: .validation, errors: errors)
    }

    static func notFound(_ what: String) -> APIProblem {
        APIProblem(status: .notFound, detail: "no \(what) with this reference (or you may not see it)")
    }

    static let unauthorized = APIProblem(status: .unauthorized, detail: "send a valid token: Authorization: Bearer <token>")

    static func forbidden(_ why: String) -> APIProblem { APIProblem(status: .forbidden, detail: why) }

    static func conflict(_ why: String) -> APIProblem { APIProblem(status: .conflict, detail: why) }

    static func refused(_ reasons: [StoreError.Reason]) -> APIProblem {
        APIProblem(
            status: .unprocessableEntity, title: "Refused by a rule", detail: reasons.map(\.message).joined(separator: "; "),
            kind: .refused, errors: reasons.map { .init(field: $0.field, message: $0.message, code: $0.code) })
    }

    /// Every 503 says when to come back.
    static let databaseUnavailable = APIProblem(
        status: .serviceUnavailable, detail: "the database is not answering; try again shortly",
        headers: ["Retry-After": "2"])

    /// No database connection of the request's class became free in time (others may be stuck behind a lock).
    static let databaseBusy = APIProblem(
        status: .serviceUnavailable, detail: "the service is busy; try again shortly",
        headers: ["Retry-After": "2"])
}

/// Maps what the layers below throw to problems; anything unknown stays a 500 (which shows only the request id).
enum ProblemMapping {
    static func problem(for error: any Error) -> APIProblem? {
        switch error {
        case let p as APIProblem:
            return p
        case let e as StoreError:
            switch e {
            case .notFound(let what): return .notFound(what)
            case .conflict(let why): return .conflict(why)
            case .refused(let reasons): return .refused(reasons)
            }
        case let e as PostgresError:
            switch e.kind {
            case .connection, .poolClosed: return .databaseUnavailable
            case .timeout: return .databaseBusy
            case .server, .decoding:
                // Constraint names stay in the log: they are internals, and can confirm what exists.
                if e.sqlState == .uniqueViolation { return .conflict("this already exists") }
                if e.sqlState == .exclusionViolation { return .conflict("this overlaps an existing one") }
                if e.sqlState == .characterNotInRepertoire || e.sqlState?.rawValue == "22P05" {
                    return .validation([.init(field: "(body)", message: "contains a character that cannot be stored (such as NUL)")])
                }
                // A date or time the database cannot read: only a forged page cursor gets this far (dates in
                // bodies and queries are parsed before any SQL), so it is the caller's 400, not our 500.
                if e.sqlState?.rawValue == "22007" || e.sqlState?.rawValue == "22008" {
                    return .validation([.init(field: "cursor", message: "is not a cursor this API gave out")])
                }
                if e.sqlState == .foreignKeyViolation {
                    return .refused([.init(field: e.column ?? "(body)", message: "refers to something that does not exist")])
                }
                if e.sqlState == .checkViolation {
                    return .validation([.init(field: e.constraint ?? "(body)", message: "is not an allowed value")])
                }
                if e.sqlState == .queryCanceled {
                    return APIProblem(
                        status: .serviceUnavailable, detail: "the database took too long; try again", headers: ["Retry-After": "2"])
                }
                if e.sqlState?.isConnectionError == true { return .databaseUnavailable }
                return nil
            }
        default:
            return nil
        }
    }
}
