import FoundationEssentials
import Hashing
import HTTPServer
import Logging
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import PostgresClient
import DatesAndIDs

/// What each page does. The workflows and reads are those of the JSON routes, with the same client actor.
struct PageHandlers: Sendable {
    let waitlists: WaitlistStore
    let clients: ClientStore
    let workflows: ClientWorkflows
    let pages: LinkPageStore
    let base: String
    let formTokens: FormTokens
    let clock: DutchClock

    typealias Outcome = PageRoutes.Outcome

    // MARK: shared steps

    /// The token's hash, or nil for something that cannot be a token (then: the unknown-link page).
    func tokenHash(_ request: HTTPRequest) -> [UInt8]? {
        guard let token = request.pathParameters["token"], !token.isEmpty, token.utf8.count <= 256 else { return nil }
        return SecretToken.hash(token)
    }

    /// Only tokens this service made reach a URL we print; they are URL-safe, but encode anyway.
    func path(_ prefix: String, _ request: HTTPRequest) -> String {
        let token = request.pathParameters["token"] ?? ""
        return prefix + percentEncodedSegment(token)
    }

    /// Foundation's `addingPercentEncoding(withAllowedCharacters: .urlPathAllowed` minus `/?#)` by hand
    /// (not in FoundationEssentials): every other byte of the UTF-8 as `%XX`.
    func percentEncodedSegment(_ text: String) -> String {
        let allowed = Set("!$&'()*+,-.0123456789:=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~".utf8)
        let hex = Hex.upperDigits
        var out: [UInt8] = []
        for b in text.utf8 {
            if allowed.contains(b) { out.append(b) } else { out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func unknownLink(_ s: PageStrings, _ request: HTTPRequest) -> Outcome {
        .page(PageTemplates.message(s, title: s.linkUnknownTitle, text: s.linkUnknownText, switchPath: request.path), .notFound)
    }

    /// Nil when the invitation is live; else the page that says why not.
    func invitationProblem(_ hash: [UInt8]?, _ s: PageStrings, _ request: HTTPRequest) async throws -> Outcome? {
        guard let hash else { return unknownLink(s, request) }
        switch try await pages.invitationState(tokenHash: hash) {
        case .live: return nil
        case .unknown: return unknownLink(s, request)
        case .expired:
            return .page(
                PageTemplates.message(s, title: s.invitationExpiredTitle, text: s.invitationExpiredText, switchPath: request.path), .gone)
        case .used:
            return .page(
                PageTemplates.message(s, title: s.invitationUsedTitle, text: s.invitationUsedText, switchPath: request.path), .gone)
        }
    }

    /// Her client id when the link is live; else the page that says why not.
    func clientLink(_ hash: [UInt8]?, _ s: PageStrings, _ request: HTTPRequest) async throws -> Result<UUID, PageFailure> {
        guard let hash else { return .failure(PageFailure(unknownLink(s, request))) }
        if let id = try await clients.clientId(linkTokenHash: hash) { return .success(id) }
        switch try await pages.clientLinkState(tokenHash: hash) {
        case .unknown: return .failure(PageFailure(unknownLink(s, request)))
        default:
            let switchPath = path("/aanmelding/", request)
            return .failure(
                PageFailure(
                    .page(
                        PageTemplates.message(
                            s, title: s.clientLinkExpiredTitle, text: s.clientLinkExpiredText,
                            switchPath: switchPath), .gone)))
        }
    }

    /// The posted form when it is a form and carries this link's form token; else the refusal page (nothing changes).
    func postedForm(_ request: HTTPRequest, hash: [UInt8], _ s: PageStrings, switchPath: String) async throws -> Result<
        FormData, PageFailure
    > {
        let type = request.headers["Content-Type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/x-www-form-urlencoded", let form = FormData.parse(request.body) else {
            return .failure(
                PageFailure(
                    .page(
                        PageTemplates.message(
                            s, title: s.unsupportedFormTitle, text: s.unsupportedFormText,
                            switchPath: switchPath), .unsupportedMediaType)))
        }
        guard try await formTokens.isValid(form[FormTokens.fieldName], linkHash: hash) else {
            return .failure(
                PageFailure(
                    .page(PageTemplates.message(s, title: s.formTokenTitle, text: s.formTokenText, switchPath: switchPath), .forbidden)))
        }
        return .success(form)
    }

    // MARK: invitation

    func invitation(_ request: HTTPRequest, _ s: PageStrings) async throws -> Outcome {
        let hash = tokenHash(request)
        if let problem = try await invitationProblem(hash, s, request) { return problem }
        guard let hash, let view = try await workflows.invitation(tokenHash: hash, actor: WaitlistRoutes.clientActor(request)) else {
            return unknownLink(s, request)
        }
        var values = PageTemplates.InvitationInput()
        values.dueDate = DateFields(view.dueDate)
        return try await invitationForm(request, s, hash: hash, view: view, values: values, errors: [], status: .ok)
    }

    func invitationForm(
        _ request: HTTPRequest, _ s: PageStrings, hash: [UInt8], view: InvitationView, values: PageTemplates.InvitationInput,
        errors: [(field: String, message: String)], status: HTTPStatus
    ) async throws -> Outcome {
        let providers = try await pages.careProviders(regionId: view.region.id)
        let html = PageTemplates.invitationForm(
            s, view: view, providers: providers, values: values, errors: errors,
            action: path("/uitnodiging/", request) + "?lang=\(s.code)", switchPath: path("/uitnodiging/", request),
            formToken: try await formTokens.token(linkHash: hash), sender: try await pages.sender(clientId: view.clientId))
        return .page(html, status)
    }

    func accept(_ request: HTTPRequest, _ s: PageStrings) async throws -> Outcome {
        let hash = tokenHash(request)
        if let problem = try await invitationProblem(hash, s, request) { return problem }
        guard let hash else { return unknownLink(s, request) }
        let form: FormData
        switch try await postedForm(request, hash: hash, s, switchPath: path("/uitnodiging/", request)) {
        case .failure(let f): return f.outcome
        case .success(let f): form = f
        }

        // The checks of POST /v1/invitations/{token}/accept, with her own words for each field.
        var values = PageTemplates.InvitationInput()
        values.firstName = (form["firstName"] ?? "").trimmingSpaces()
        values.lastName = (form["lastName"] ?? "").trimmingSpaces()
        values.phone = (form["phone"] ?? "").trimmingSpaces()
        values.postcode = (form["postcode"] ?? "").trimmingSpaces()
        values.dueDate = DateFields.read(form, "dueDate")
        values.providerIds = Set(form.values("preferredProviderIds"))
        values.consent = form["consent"] == "ja"
        var errors: [(field: String, message: String)] = []
        for (field, value) in [("firstName", values.firstName), ("lastName", values.lastName)] {
            if value.isEmpty {
                errors.append((field, s.required))
            } else if !Validate.name(value, field: field).isEmpty {
                errors.append((field, s.nameInvalid))
            }
        }
        if values.phone.isEmpty {
            errors.append(("phone", s.required))
        } else if !WaitlistRoutes.isPhone(values.phone) {
            errors.append(("phone", s.phoneInvalid))
        }
        var postcode: Postcode?
        if values.postcode.isEmpty {
            errors.append(("postcode", s.required))
        } else {
            do throws(PostcodeError) { postcode = try Postcode(parsing: values.postcode) } catch {
                errors.append(("postcode", s.postcodeInvalid))
            }
        }
        let dueDate = values.dueDate.date
        if values.dueDate.isEmpty {
            errors.append(("dueDate", s.required))
        } else if dueDate == nil {
            errors.append(("dueDate", s.dateInvalid))
        }
        let providerIds = values.providerIds.compactMap(UUID.init(uuidString:))
        if providerIds.count != values.providerIds.count { errors.append(("preferredProviderIds", s.providersInvalid)) }
        if !values.consent { errors.append(("consent", s.consentMissing)) }
        if (form["consentVersion"] ?? Consent.currentVersion) != Consent.currentVersion {
            values.consent = false
            errors.append(("consent", s.consentChanged))
        }

        if errors.isEmpty, let postcode, let dueDate {
            let linkToken = SecretToken.generate()
            let personalLink = "\(base)/aanmelding/\(linkToken)"
            do {
                let placed = try await workflows.accept(
                    tokenHash: hash,
                    Acceptance(
                        firstName: values.firstName, lastName: values.lastName, phone: values.phone, postcode: postcode, dueDate: dueDate,
                        preferredProviderIds: providerIds.sorted { $0.uuidString < $1.uuidString }, consentVersion: Consent.currentVersion,
                        linkTokenHash: SecretToken.hash(linkToken), linkURL: personalLink),
                    actor: WaitlistRoutes.clientActor(request))
                let region = try await waitlists.region(id: placed.regionId)
                return .page(
                    PageTemplates.confirmation(
                        s, row: placed, region: region, personalLink: personalLink + "?lang=\(s.code)",
                        switchPath: path("/uitnodiging/", request), sender: try await pages.sender(clientId: placed.id)), .ok)
            } catch StoreError.refused(let reasons) {
                for r in reasons {
                    switch r.field {
                    case "waitlist": errors.append(("form", s.waitlistClosed))
                    case "dueDate": errors.append(("dueDate", s.dueDateOutside))
                    case "postcode": errors.append(("postcode", s.postcodeOutside))
                    case "preferredProviderIds": errors.append(("preferredProviderIds", s.providersInvalid))
                    default: errors.append(("form", r.message))
                    }
                }
            } catch StoreError.notFound, StoreError.conflict {
                // Accepted or cancelled meanwhile (a second tab, a double click).
                return .page(
                    PageTemplates.message(
                        s, title: s.invitationUsedTitle, text: s.invitationUsedText,
                        switchPath: path("/uitnodiging/", request)), .gone)
            }
        }
        // Her input kept, each message at its field. Showing the form again reads her invitation (logged, as GET does).
        guard let view = try await workflows.invitation(tokenHash: hash, actor: WaitlistRoutes.clientActor(request)) else {
            return .page(
                PageTemplates.message(
                    s, title: s.invitationUsedTitle, text: s.invitationUsedText,
                    switchPath: path("/uitnodiging/", request)), .gone)
        }
        return try await invitationForm(request, s, hash: hash, view: view, values: values, errors: errors, status: .unprocessableEntity)
    }

    // MARK: her placement

    func placement(_ request: HTTPRequest, _ s: PageStrings) async throws -> Outcome {
        let hash = tokenHash(request)
        let id: UUID
        switch try await clientLink(hash, s, request) {
        case .failure(let f): return f.outcome
        case .success(let i): id = i
        }
        let notice: String? =
            switch request.query("klaar") {
            case "geboorte": s.birthSaved
            case "afgemeld": s.withdrawSaved
            case "ingetrokken": s.more.birthUndone
            case "gewijzigd": s.more.correctSaved
            default: nil
            }
        return try await statusPage(request, s, id: id, hash: hash!, values: .init(notice: notice), status: .ok)
    }

    /// Her placement and who accessed her data: `ownView` and `accessLog`, as the two JSON GETs.
    func statusPage(
        _ request: HTTPRequest, _ s: PageStrings, id: UUID, hash: [UInt8], values: PageTemplates.StatusInput,
        status: HTTPStatus
    ) async throws -> Outcome {
        let actor = WaitlistRoutes.clientActor(request)
        let (row, region) = try await workflows.ownView(clientId: id, actor: actor)
        let log = try await workflows.accessLog(clientId: id, actor: actor)
        let base = path("/aanmelding/", request)
        let sender = try await pages.sender(clientId: id)
        var values = values
        if let at = sender?.birthReportedAt, BirthReport.clientMayUndo(reportedAt: at, now: clock.now()) {
            values.undoDeadline = BirthReport.undoDeadline(reportedAt: at)
        }
        let html = PageTemplates.status(
            s, row: row, region: region, log: log, today: clock.today, values: values, base: base, switchPath: base,
            formToken: try await formTokens.token(linkHash: hash), sender: sender)
        return .page(html, status)
    }

    func reportBirth(_ request: HTTPRequest, _ s: PageStrings) async throws -> Outcome {
        let hash = tokenHash(request)
        let id: UUID
        switch try await clientLink(hash, s, request) {
        case .failure(let f): return f.outcome
        case .success(let i): id = i
        }
        let base = path("/aanmelding/", request)
        let form: FormData
        switch try await postedForm(request, hash: hash!, s, switchPath: base) {
        case .failure(let f): return f.outcome
        case .success(let f): form = f
        }
        // Step 1: the date she typed (never prefilled), checked → "Klopt dit?". Step 2 (`bevestigd=ja`): reported.
        let typed = DateFields.read(form, "bornOn")
        let bornOn = typed.date
        var error: String?
        if typed.isEmpty {
            error = s.required
        } else if bornOn == nil {
            error = s.dateInvalid
        } else if let b = bornOn, b > clock.today {
            error = s.bornOnFuture
        }
        if error == nil, let bornOn {
            guard form["bevestigd"] == "ja" else {
                return .page(
                    PageTemplates.birthConfirm(
                        s, bornOn: bornOn, base: base, formToken: try await formTokens.token(linkHash: hash!),
                        sender: try await pages.sender(clientId: id)), .ok)
            }
            do {
                _ = try await workflows.reportBirth(clientId: id, bornOn: bornOn, by: WaitlistRoutes.clientActor(request))
                return .redirect("\(base)?lang=\(s.code)&klaar=geboorte")
            } catch StoreError.conflict {
                return try await statusPage(request, s, id: id, hash: hash!, values: .init(notice: s.notPossibleNow), status: .conflict)
            }
        }
        return try await statusPage(
            request, s, id: id, hash: hash!, values: .init(bornOn: typed, bornOnError: error), status: .unprocessableEntity)
    }

    func withdrawalConfirmation(_ request: HTTPRequest, _ s: PageStrings) async throws -> Outcome {
        let hash = tokenHash(request)
        let id: UUID
        switch try await clientLink(hash, s, request) {
        case .failure(let f): return f.outcome
        case .success(let i): id = i
        }
        let base = path("/aanmelding/", request)
        return .page(
            PageTemplates.withdrawConfirm(
                s, reason: "", error: nil, base: base, switchPath: base + "/afmelden",
                formToken: try await formTokens.token(linkHash: hash!), sender: try await pages.sender(clientId: id)), .ok)
    }

    func withdraw(_ request: HTTPRequest, _ s: PageStrings) async throws -> Outcome {
        let hash = tokenHash(request)
        let id: UUID
        switch try await clientLink(hash, s, request) {
        case .failure(let f): return f.outcome
        case .success(let i): id = i
        }
        let base = path("/aanmelding/", request)
        let form: FormData
        switch try await postedForm(request, hash: hash!, s, switchPath: base) {
        case .failure(let f): return f.outcome
        case .success(let f): form = f
        }
        let reason = (form["reason"] ?? "").trimmingSpaces()
        guard reason.count <= 1000 else {
            return .page(
                PageTemplates.withdrawConfirm(
                    s, reason: reason, error: s.reasonTooLong, base: base, switchPath: base + "/afmelden",
                    formToken: try await formTokens.token(linkHash: hash!), sender: try await pages.sender(clientId: id)),
                .unprocessableEntity)
        }
        do {
            _ = try await workflows.withdraw(
                clientId: id, reason: reason.isEmpty ? "withdrawn by the client" : reason, consentWithdrawn: true,
                by: WaitlistRoutes.clientActor(request))
            return .redirect("\(base)?lang=\(s.code)&klaar=afgemeld")
        } catch StoreError.conflict {
            return try await statusPage(request, s, id: id, hash: hash!, values: .init(notice: s.notPossibleNow), status: .conflict)
        }
    }
}

/// A page instead of the usual result (a link that does not work, a refused form).
struct PageFailure: Error {
    let outcome: PageRoutes.Outcome
    init(_ outcome: PageRoutes.Outcome) { self.outcome = outcome }
}
