import FoundationEssentials
import HTTPServer
import KraamzorgRules
import KraamzorgStore
import KraamzorgUseCases
import DatesAndIDs

// The second round's page actions (DOMAIN §7a): her corrections, the undoing of her birth report, the privacy
// statement. The workflows are those of `PATCH /v1/client-links/{token}` and `DELETE .../birth`.
extension PageHandlers {
    /// `POST /aanmelding/{token}/geboorte/intrekken`: her birth report taken back, within 24 hours (else 409 with the reason).
    func undoBirth(_ request: HTTPRequest, _ s: PageStrings) async throws -> Outcome {
        let hash = tokenHash(request)
        let id: UUID
        switch try await clientLink(hash, s, request) {
        case .failure(let f): return f.outcome
        case .success(let i): id = i
        }
        let base = path("/aanmelding/", request)
        if case .failure(let f) = try await postedForm(request, hash: hash!, s, switchPath: base) { return f.outcome }
        do {
            _ = try await workflows.undoBirth(clientId: id, by: .client, actor: WaitlistRoutes.clientActor(request))
            return .redirect("\(base)?lang=\(s.code)&klaar=ingetrokken")
        } catch StoreError.conflict(let reason) {
            let text = reason == WaitlistRefusals.birthUndoWindowPassed ? s.more.birthUndoLate : s.notPossibleNow
            return try await statusPage(request, s, id: id, hash: hash!, values: .init(notice: text), status: .conflict)
        }
    }

    /// `POST /aanmelding/{token}/wijzigen`: her phone number and due date; a due date outside the waitlist → 422 with
    /// the reason at the field (her coordinator is told by the workflow).
    func correct(_ request: HTTPRequest, _ s: PageStrings) async throws -> Outcome {
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
        var values = PageTemplates.StatusInput()
        let phone = (form["phone"] ?? "").trimmingSpaces()
        let typed = DateFields.read(form, "dueDate")
        values.phone = phone
        values.dueDate = typed
        if phone.isEmpty {
            values.phoneError = s.required
        } else if !WaitlistRoutes.isPhone(phone) {
            values.phoneError = s.phoneInvalid
        }
        if typed.isEmpty {
            values.dueDateError = s.required
        } else if typed.date == nil {
            values.dueDateError = s.dateInvalid
        }
        if values.errors.isEmpty, let dueDate = typed.date {
            do {
                _ = try await workflows.correct(clientId: id, phone: phone, dueDate: dueDate, by: WaitlistRoutes.clientActor(request))
                return .redirect("\(base)?lang=\(s.code)&klaar=gewijzigd")
            } catch StoreError.refused(let reasons) where reasons.contains(where: { $0.field == "dueDate" }) {
                let range = try await pages.waitlistRange(clientId: id)
                values.dueDateError = s.more.dueDateOutsideCorrection(
                    range.map { s.date($0.dueFrom) } ?? "", range.map { s.date($0.dueTo) } ?? "")
            } catch StoreError.conflict {
                return try await statusPage(request, s, id: id, hash: hash!, values: .init(notice: s.notPossibleNow), status: .conflict)
            }
        }
        return try await statusPage(request, s, id: id, hash: hash!, values: values, status: .unprocessableEntity)
    }
}
