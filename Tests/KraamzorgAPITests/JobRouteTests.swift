import Foundation
import KraamzorgRules
import Testing
import TestSupport

/// `/v1/jobs`: an admin runs a job now, once per period. (The jobs themselves are KraamzorgJobsTests.)
@Suite struct JobRouteTests {
    @Test func anAdminRunsAJobOncePerPeriodThroughTheRouteAndUnknownJobsAndOtherRolesAreRefused() async throws {
        let app = try await IsolatedDatabase.app()
        let world = try await WaitlistWorld.make(app: app, providers: 1)
        _ = try await world.placedClient()

        let run = try await app.admin("POST", "/v1/jobs/weekly-update/run")
        #expect(run.status == 200)
        let o = try run.object()
        #expect(o["job"] as? String == "weekly-update")
        #expect(o["ran"] as? Bool == true)
        #expect(o["period"] as? String == ISOWeek(containing: CivilDate.todayForTests()).description)
        let again = try await app.admin("POST", "/v1/jobs/weekly-update/run").object()
        #expect(again["ran"] as? Bool == false)
        #expect((again["result"] as? [String: Any])?["messages"] as? String == (o["result"] as? [String: Any])?["messages"] as? String)

        #expect(try await app.admin("POST", "/v1/jobs/nope/run").status == 404)
        #expect(try await app.call("POST", "/v1/jobs/weekly-update/run", token: world.coordinator).status == 403)
        let names = try await app.admin("GET", "/v1/jobs").object()["items"] as? [String]
        #expect(names?.contains("retention") == true)
        await app.stop()
    }
}
