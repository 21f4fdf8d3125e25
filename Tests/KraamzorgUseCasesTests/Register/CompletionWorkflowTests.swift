import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import KraamzorgTestFixtures
import KraamzorgUseCases
import PostgresClient
import Testing

/// Pushing completions, on a fixed clock.
@Suite struct CompletionWorkflowTests {
    typealias Fx = RegisterFixtures

    @Test func aPushDatedInTheFutureIsRefusedWithTheReasonFromMessagesAndBooksNothing() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let (p, _) = try await Fx.practitioner(store, start: CivilDate(2023, 6, 1))
        let course = try await Fx.course(
            store, provider: try await Fx.provider(pool), title: "Reanimatie", lines: [("2023", "A", "reanimatie-theorie", 10)])
        let tomorrow = CivilDate(2024, 3, 2)
        let item = PushItem(courseId: course.id, externalId: nil, registrationNumber: p.registrationNumber, completedOn: tomorrow)
        let completions = CompletionWorkflows(store: store, clock: Fx.clock(CivilDate(2024, 3, 1)))

        for dryRun in [true, false] {
            let outcome = try #require(try await completions.push([item], caller: .admin, dryRun: dryRun, by: Fx.admin()).first ?? nil)
            let reason = RegisterRefusals.push(.futureDate, completedOn: tomorrow, registrationNumber: p.registrationNumber)
            #expect(outcome.kind == .refused && outcome.status == 422)
            #expect(outcome.problem?.field == "completedOn" && outcome.problem?.message == reason.message)
            #expect(reason.message == "the completion date 2024-03-02 is in the future")
        }
        #expect(try await Fx.count(pool, "SELECT count(*)::bigint AS n FROM accreditations WHERE practitioner_id = \(p.id)") == 0)

        // The next day it is booked.
        let booked = try await CompletionWorkflows(store: store, clock: Fx.clock(tomorrow)).push(
            [item], caller: .admin, dryRun: false, by: Fx.admin())
        #expect(booked.first??.status == 201)
    }

    @Test func withdrawingACompletionKeepsItMarkedAndPushingItAgainRestoresIt() async throws {
        let pool = try await Fx.shared.value
        let store = RegisterStore(pool: pool)
        let (p, _) = try await Fx.practitioner(store, start: CivilDate(2023, 6, 1))
        let course = try await Fx.course(
            store, provider: try await Fx.provider(pool), title: "Borstvoeding", lines: [("2023", "B", "borstvoeding", 15)])
        let item = PushItem(
            courseId: course.id, externalId: nil, registrationNumber: p.registrationNumber, completedOn: CivilDate(2024, 2, 1))
        let completions = CompletionWorkflows(store: store, clock: Fx.clock(CivilDate(2024, 3, 1)))
        let view = try #require(try await completions.push([item], caller: .admin, dryRun: false, by: Fx.admin()).first??.view)
        #expect(view.record.late && view.period?.normCode == "2023")

        let withdrawn = try await completions.withdraw(accreditationId: view.record.id, by: Fx.admin())
        #expect(withdrawn.record.withdrawnAt != nil)
        let again = try await completions.withdraw(accreditationId: view.record.id, by: Fx.admin())
        #expect(again.record.withdrawnAt == withdrawn.record.withdrawnAt)
        let restored = try #require(try await completions.push([item], caller: .admin, dryRun: false, by: Fx.admin()).first ?? nil)
        #expect(restored.kind == .restored && restored.status == 200 && restored.view?.record.id == view.record.id)
    }
}
