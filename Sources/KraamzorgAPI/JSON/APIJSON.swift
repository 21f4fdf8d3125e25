import FoundationEssentials
import HTTPServer
import JSONInput
import JSONOutput

/// JSON in and out, with the API's conventions: camelCase fields, RFC 3339 UTC timestamps,
/// 415 for a body that is not JSON, 400 with the field path for a body that does not decode.
///
/// Bodies are read strictly (`StrictJSONDecoder`): a key twice in one object, or a key the body's type has no
/// field for, is a 400 naming it, instead of one of the values winning or the key being ignored.
enum APIJSON {
    /// Sorted keys, unescaped slashes, ISO 8601 dates: the output of JSONEncoder, written without its detour.
    static let encoder = JSONOutputEncoder()

    static let decoder: StrictJSONDecoder = {
        var d = StrictJSONDecoder()
        d.dateDecodingStrategy = .iso8601
        // A field that may be left out is not thereby nullable (`{"expiresInDays": null}` is a 400); fields that
        // take null on purpose (to clear a value) read it with `decodeNil(forKey:)`.
        d.refusesNullForAbsentableKeys = true
        return d
    }()

    /// At most this many unknown fields are listed in one answer.
    static let maxUnknownFieldsListed = 50

    /// `showsASecret`: the answer carries a credential shown only this once (a token, a signing secret): it says
    /// `Cache-Control: no-store`, so no cache keeps it, and an `Idempotency-Key` replay withholds it.
    static func response(
        _ value: some Encodable, status: HTTPStatus = .ok, location: String? = nil, showsASecret: Bool = false
    ) throws -> HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]
        if let location { headers["Location"] = location }
        if showsASecret { headers["Cache-Control"] = "no-store" }
        return HTTPResponse(status: status, headers: headers, body: try encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: HTTPRequest) throws -> T {
        let contentType = (request.headers["Content-Type"] ?? "").lowercased()
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw APIProblem(status: .unsupportedMediaType, detail: "send the body as application/json")
        }
        guard !request.body.isEmpty else {
            throw APIProblem(status: .badRequest, detail: "the request needs a JSON body")
        }
        do {
            return try decoder.decode(T.self, from: request.body)
        } catch let error as JSONInputError {
            throw APIProblem.strictJSON(error)
        } catch let error as DecodingError {
            throw APIProblem.malformedJSON(error)
        } catch let problem as APIProblem {
            throw problem
        } catch {
            throw APIProblem(status: .badRequest, detail: "the body is not valid JSON")
        }
    }
}

extension APIProblem {
    static let unknownFieldMessage = "is not a field of this request"

    /// Not JSON, a key twice, or fields the request does not have (with what else was wrong, if anything).
    static func strictJSON(_ error: JSONInputError) -> APIProblem {
        func field(_ path: JSONPath) -> String { path.components.isEmpty ? "(body)" : path.description }
        switch error {
        case .syntax(let offset, let reason):
            let message = "the body is not valid JSON (\(reason) at byte \(offset))"
            return APIProblem(
                status: .badRequest, title: "Invalid request body", detail: "(body) \(message)",
                kind: .validation, errors: [.init(field: "(body)", message: message)])
        case .duplicateKey(let path):
            return .validation([.init(field: field(path), message: "is given more than once")])
        case .unknownKeys(let paths, let decodingError):
            var errors = paths.prefix(APIJSON.maxUnknownFieldsListed).map { FieldError(field: field($0), message: unknownFieldMessage) }
            if let decodingError { errors += malformedJSON(decodingError).errors ?? [] }
            return .validation(errors)
        }
    }

    /// Says which field is wrong and how, without echoing the value (it may be personal data).
    static func malformedJSON(_ error: DecodingError) -> APIProblem {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            var keys = codingPath
            if let last { keys.append(last) }
            var out = ""
            for key in keys {
                if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out.isEmpty ? "(body)" : out
        }
        let field: String, message: String
        switch error {
        case .keyNotFound(let key, let ctx):
            field = path(ctx.codingPath, key); message = "is required"
        case .valueNotFound(let type, let ctx):
            field = path(ctx.codingPath); message = "must not be null (expected \(APIJSON.typeName(type)))"
        case .typeMismatch(let type, let ctx):
            field = path(ctx.codingPath); message = "must be \(APIJSON.typeName(type))"
        case .dataCorrupted(let ctx):
            field = path(ctx.codingPath)
            message = ctx.codingPath.isEmpty ? "the body is not valid JSON" : ctx.debugDescription
        @unknown default:
            field = "(body)"; message = "cannot be read"
        }
        return APIProblem(
            status: .badRequest, title: "Invalid request body", detail: "\(field) \(message)",
            kind: .validation, errors: [.init(field: field, message: message)])
    }
}

extension APIJSON {
    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a valid value"
        }
    }
}
