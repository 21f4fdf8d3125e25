import FoundationEssentials

/// Every problem type this API answers with: the one table. A problem's `type` is the absolute URI
/// `PUBLIC_BASE_URL/problems/<slug>`, and `GET /problems/<slug>` explains it (Dutch and English: what it
/// means, what to do). A new kind of problem gets a row here (and in openapi.yaml's `ProblemType`).
struct ProblemType: Sendable, Equatable {
    /// The last part of the URI: camelCase, like the API's field names.
    let slug: String
    /// The problem's `title` when the problem gives none of its own.
    let title: String
    /// The HTTP status it comes with.
    let status: Int
    let dutch: Explanation
    let english: Explanation

    struct Explanation: Sendable, Equatable {
        /// Short page heading.
        let heading: String
        /// What it means.
        let meaning: String
        /// What to do about it.
        let action: String
    }

    static let validation = ProblemType(
        slug: "validation", title: "Invalid request", status: 400,
        dutch: .init(
            heading: "Ongeldig verzoek",
            meaning: "Een veld van het verzoek (of de body als geheel) klopt niet: het ontbreekt, heeft de verkeerde vorm, "
                + "staat er twee keer in of bestaat niet. Er is niets veranderd.",
            action: "Lees errors in het antwoord: elk element noemt het veld (field) en wat eraan schort (message). "
                + "Verbeter die velden en stuur het verzoek opnieuw."),
        english: .init(
            heading: "Invalid request",
            meaning: "A field of the request (or the body as a whole) is wrong: missing, malformed, given twice or not a "
                + "field of this request. Nothing was changed.",
            action: "Read errors in the answer: each names the field and what is wrong with it. Correct those fields "
                + "and send the request again."))

    static let badRequest = ProblemType(
        slug: "badRequest", title: "Bad Request", status: 400,
        dutch: .init(
            heading: "Onleesbaar HTTP-verzoek",
            meaning: "Het HTTP-verzoek zelf kon niet worden gelezen (de verzoekregel, een header of de framing van de body).",
            action: "Controleer de HTTP-client of proxy die het verzoek opbouwt."),
        english: .init(
            heading: "Unreadable HTTP request",
            meaning: "The HTTP request itself could not be read (its request line, a header, or the framing of its body).",
            action: "Check the HTTP client or proxy that builds the request."))

    static let unauthorized = ProblemType(
        slug: "unauthorized", title: "Unauthorized", status: 401,
        dutch: .init(
            heading: "Niet aangemeld",
            meaning: "Het verzoek heeft geen token, of een token dat onbekend, verlopen of ingetrokken is.",
            action: "Stuur Authorization: Bearer <token> met een geldig token. Een beheerder van uw organisatie kan een nieuw "
                + "token maken."),
        english: .init(
            heading: "Not signed in",
            meaning: "The request has no token, or one that is unknown, expired or revoked.",
            action: "Send Authorization: Bearer <token> with a valid token. A manager of your organisation can make a new one."))

    static let forbidden = ProblemType(
        slug: "forbidden", title: "Forbidden", status: 403,
        dutch: .init(
            heading: "Niet toegestaan",
            meaning: "Uw rol of lidmaatschap mag dit niet doen (bijvoorbeeld zonder AVG-toegang, of voor een andere organisatie).",
            action: "Gebruik een token van een lidmaatschap dat dit mag, of vraag een beheerder om de rechten."),
        english: .init(
            heading: "Not allowed",
            meaning: "Your role or membership may not do this (for instance without AVG access, or for another organisation).",
            action: "Use a token of a membership that may, or ask a manager for the rights."))

    static let notFound = ProblemType(
        slug: "notFound", title: "Not Found", status: 404,
        dutch: .init(
            heading: "Niet gevonden",
            meaning: "Er is niets met deze verwijzing, of u mag het niet zien. Het antwoord zegt niet welk van de twee.",
            action: "Controleer het id, nummer of pad; een lijst-route toont wat u wel mag zien."),
        english: .init(
            heading: "Not found",
            meaning: "There is nothing with this reference, or you may not see it. The answer does not say which.",
            action: "Check the id, number or path; a list route shows what you may see."))

    static let methodNotAllowed = ProblemType(
        slug: "methodNotAllowed", title: "Method Not Allowed", status: 405,
        dutch: .init(
            heading: "Methode niet toegestaan",
            meaning: "Dit pad bestaat, maar niet met deze HTTP-methode.",
            action: "De header Allow van het antwoord noemt de methoden die wel kunnen."),
        english: .init(
            heading: "Method not allowed",
            meaning: "This path exists, but not with this HTTP method.",
            action: "The answer's Allow header names the methods that do."))

    static let requestTimeout = ProblemType(
        slug: "requestTimeout", title: "Request Timeout", status: 408,
        dutch: .init(
            heading: "Verzoek te traag", meaning: "Het verzoek kwam niet op tijd volledig binnen.",
            action: "Stuur het verzoek opnieuw, in één keer."),
        english: .init(
            heading: "Request too slow", meaning: "The request did not arrive in full in time.",
            action: "Send the request again, in one go."))

    static let conflict = ProblemType(
        slug: "conflict", title: "Conflict", status: 409,
        dutch: .init(
            heading: "Conflict met de huidige toestand",
            meaning: "Het verzoek botst met wat er al is: het bestaat al, overlapt iets, of de toestand laat het niet (meer) toe.",
            action: "Haal de actuele toestand op en beslis dan opnieuw; detail zegt waarmee het botst."),
        english: .init(
            heading: "Conflicts with the current state",
            meaning: "The request clashes with what exists: it exists already, overlaps something, or the state no longer allows it.",
            action: "Fetch the current state and decide again; detail says what it clashes with."))

    static let preconditionFailed = ProblemType(
        slug: "preconditionFailed", title: "Precondition Failed", status: 412,
        dutch: .init(
            heading: "Versie klopt niet",
            meaning: "If-Match noemt een andere versie (ETag) dan de huidige: iemand anders heeft het intussen veranderd.",
            action: "Haal het opnieuw op (met de nieuwe ETag), pas uw wijziging toe en stuur die opnieuw."),
        english: .init(
            heading: "Version does not match",
            meaning: "If-Match names another version (ETag) than the current one: someone changed it in the meantime.",
            action: "Fetch it again (with its new ETag), apply your change and send it again."))

    static let payloadTooLarge = ProblemType(
        slug: "payloadTooLarge", title: "Content Too Large", status: 413,
        dutch: .init(
            heading: "Body te groot",
            meaning: "De body is groter dan deze route aanneemt.",
            action: "Stuur minder (bijvoorbeeld een batch in delen, of een kleiner bestand)."),
        english: .init(
            heading: "Body too large",
            meaning: "The body is larger than this route takes.",
            action: "Send less (a batch in parts, or a smaller file)."))

    static let uriTooLong = ProblemType(
        slug: "uriTooLong", title: "URI Too Long", status: 414,
        dutch: .init(
            heading: "Adres te lang", meaning: "Het pad met de query is langer dan de server aanneemt.",
            action: "Gebruik kortere filters, of een batch-route met een body."),
        english: .init(
            heading: "Address too long", meaning: "The path with its query is longer than the server takes.",
            action: "Use shorter filters, or a batch route with a body."))

    static let expectationFailed = ProblemType(
        slug: "expectationFailed", title: "Expectation Failed", status: 417,
        dutch: .init(
            heading: "Expect niet ondersteund", meaning: "De server kent alleen Expect: 100-continue.",
            action: "Laat de header Expect weg, of gebruik 100-continue."),
        english: .init(
            heading: "Expect not supported", meaning: "The server knows only Expect: 100-continue.",
            action: "Leave out the Expect header, or use 100-continue."))

    static let unsupportedMediaType = ProblemType(
        slug: "unsupportedMediaType", title: "Unsupported Media Type", status: 415,
        dutch: .init(
            heading: "Verkeerd soort body",
            meaning: "De Content-Type van de body is niet wat deze route leest (meestal application/json).",
            action: "Stuur de body met Content-Type: application/json (of het bestandstype dat de route noemt)."),
        english: .init(
            heading: "Wrong kind of body",
            meaning: "The body's Content-Type is not what this route reads (usually application/json).",
            action: "Send the body with Content-Type: application/json (or the file type the route names)."))

    static let refused = ProblemType(
        slug: "refused", title: "Refused by a rule", status: 422,
        dutch: .init(
            heading: "Geweigerd door een regel",
            meaning: "Het verzoek is goed gevormd, maar een regel van het register of de wachtlijst staat het niet toe. Er is "
                + "niets veranderd.",
            action: "errors noemt elke reden met het veld waar die over gaat; los die op, of neem contact op met het register."),
        english: .init(
            heading: "Refused by a rule",
            meaning: "The request is well-formed, but a rule of the register or the waitlists does not allow it. Nothing was changed.",
            action: "errors lists every reason with the field it concerns; resolve them, or contact the register."))

    static let rateLimited = ProblemType(
        slug: "rateLimited", title: "Too Many Requests", status: 429,
        dutch: .init(
            heading: "Te veel verzoeken",
            meaning: "U heeft in korte tijd meer verzoeken gedaan dan deze route toestaat.",
            action: "Wacht het aantal seconden uit Retry-After en probeer het dan opnieuw; verspreid verzoeken in de tijd."),
        english: .init(
            heading: "Too many requests",
            meaning: "You made more requests in a short time than this route allows.",
            action: "Wait the seconds in Retry-After, then try again; spread your requests over time."))

    static let headersTooLarge = ProblemType(
        slug: "headersTooLarge", title: "Request Header Fields Too Large", status: 431,
        dutch: .init(
            heading: "Headers te groot", meaning: "Een header, of alle headers samen, is groter dan de server aanneemt.",
            action: "Stuur minder of kortere headers (bijvoorbeeld minder cookies)."),
        english: .init(
            heading: "Headers too large", meaning: "A header, or the headers together, are larger than the server takes.",
            action: "Send fewer or shorter headers (fewer cookies, say)."))

    static let internalError = ProblemType(
        slug: "internalError", title: "Internal Server Error", status: 500,
        dutch: .init(
            heading: "Interne fout",
            meaning: "Er ging in de dienst iets mis dat niet aan uw verzoek lag.",
            action: "Probeer het later opnieuw. Blijft het, meld dan de X-Request-Id uit het antwoord aan het register."),
        english: .init(
            heading: "Internal error",
            meaning: "Something went wrong in the service that was not your request's fault.",
            action: "Try again later. If it persists, report the X-Request-Id of the answer to the register."))

    static let unavailable = ProblemType(
        slug: "unavailable", title: "Service Unavailable", status: 503,
        dutch: .init(
            heading: "Tijdelijk niet beschikbaar",
            meaning: "De database antwoordt niet, of is nu te druk voor dit soort verzoek. Er is niets veranderd.",
            action: "Wacht het aantal seconden uit Retry-After en stuur het verzoek dan opnieuw."),
        english: .init(
            heading: "Temporarily unavailable",
            meaning: "The database does not answer, or is too busy for this kind of request right now. Nothing was changed.",
            action: "Wait the seconds in Retry-After, then send the request again."))

    static let httpVersionNotSupported = ProblemType(
        slug: "httpVersionNotSupported", title: "HTTP Version Not Supported", status: 505,
        dutch: .init(
            heading: "HTTP-versie niet ondersteund", meaning: "De server spreekt HTTP/1.1 (en 1.0).",
            action: "Gebruik HTTP/1.1."),
        english: .init(
            heading: "HTTP version not supported", meaning: "The server speaks HTTP/1.1 (and 1.0).", action: "Use HTTP/1.1."))

    // Specific kinds, after the generic ones of their status (`forStatus` takes the first of a status).

    static let idempotencyKeyReused = ProblemType(
        slug: "idempotencyKeyReused", title: "Idempotency key reused", status: 422,
        dutch: .init(
            heading: "Idempotency-Key al gebruikt",
            meaning: "Deze Idempotency-Key hoorde bij een ander verzoek (andere methode, pad of body). Er is niets veranderd.",
            action: "Gebruik voor elk nieuw verzoek een nieuwe sleutel; dezelfde sleutel alleen om precies hetzelfde verzoek te herhalen."),
        english: .init(
            heading: "Idempotency-Key already used",
            meaning: "This Idempotency-Key belonged to another request (method, path or body differ). Nothing was changed.",
            action: "Use a new key for every new request; the same key only to repeat exactly the same request."))

    static let idempotencyKeyInProgress = ProblemType(
        slug: "idempotencyKeyInProgress", title: "Request in progress", status: 409,
        dutch: .init(
            heading: "Verzoek loopt nog",
            meaning: "Een verzoek met deze Idempotency-Key wordt nog uitgevoerd.",
            action: "Wacht Retry-After seconden en herhaal het verzoek: dan krijgt u het antwoord van het eerste."),
        english: .init(
            heading: "Request still running",
            meaning: "A request with this Idempotency-Key is still being carried out.",
            action: "Wait Retry-After seconds and repeat the request: you then get the first one's answer."))

    static let idempotencyAnswerWithheld = ProblemType(
        slug: "idempotencyAnswerWithheld", title: "Answer withheld", status: 409,
        dutch: .init(
            heading: "Antwoord niet bewaard",
            meaning: "Het verzoek met deze sleutel is uitgevoerd, maar het antwoord toonde eenmalig een geheim en is niet bewaard.",
            action: "Het aangemaakte staat op Location; trek het in en maak een nieuw als het geheim verloren is."),
        english: .init(
            heading: "Answer not kept",
            meaning: "The request with this key was carried out, but its answer showed a secret once and was not kept.",
            action: "What was created is at Location; revoke it and make a new one if the secret was lost."))

    static let tooManyHandBacks = ProblemType(
        slug: "tooManyHandBacks", title: "Too many hand-backs", status: 429,
        dutch: .init(
            heading: "Te veel cliënten teruggegeven",
            meaning: "Een kraamzorgaanbieder geeft in 24 uur hoogstens RELEASES_PER_DAY (standaard 5) cliënten terug.",
            action: "Probeer het na Retry-After seconden opnieuw, of neem contact op met de coördinator van de regio."),
        english: .init(
            heading: "Too many clients handed back",
            meaning: "A care provider hands back at most RELEASES_PER_DAY (default 5) clients in 24 hours.",
            action: "Try again after Retry-After seconds, or contact the region's coordinator."))

    /// Every type, in the order of their statuses.
    static let all: [ProblemType] = [
        validation, badRequest, unauthorized, forbidden, notFound, methodNotAllowed, requestTimeout, conflict, preconditionFailed,
        payloadTooLarge, uriTooLong, unsupportedMediaType, expectationFailed, refused, rateLimited, headersTooLarge, internalError,
        unavailable, httpVersionNotSupported, idempotencyKeyReused, idempotencyKeyInProgress, idempotencyAnswerWithheld,
        tooManyHandBacks,
    ]

    static func named(_ slug: String) -> ProblemType? { all.first { $0.slug == slug } }

    /// The type a problem of this status has when it names none (400 → validation: the API's 400s are about fields).
    static func forStatus(_ status: Int) -> ProblemType? {
        if status == 400 { return validation }
        return all.first { $0.status == status }
    }

    /// The type of the server's own answers (parser errors, unknown paths, rate limits), which know no fields.
    static func forServerStatus(_ status: Int) -> ProblemType? {
        status == 400 ? badRequest : forStatus(status)
    }

    /// `<base>/problems/<slug>`; `base` is `PUBLIC_BASE_URL` without its trailing slash.
    func uri(base: String) -> String { base + "/problems/" + slug }
}
