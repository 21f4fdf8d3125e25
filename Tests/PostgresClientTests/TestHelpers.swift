import Dispatch
import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport

/// Tests that need the shared throwaway database are skipped without one.
let needsDatabase = Testing.ConditionTrait.enabled(if: testDatabaseURL() != nil, "needs DATABASE_URL")

/// As the owner (`DATABASE_OWNER_URL`, else `DATABASE_URL`): these tests make and drop tables of their own.
func makePool(_ configure: (inout PostgresConfiguration) -> Void = { _ in }) throws -> PostgresPool {
    var configuration = try PostgresConfiguration(url: try #require(testDatabaseOwnerURL()))
    configuration.applicationName = "postgres-client-tests"
    configure(&configuration)
    return PostgresPool(configuration: configuration)
}

/// Tables are shared by tests running in parallel, so every test makes its own.
func uniqueName(_ prefix: String) -> String {
    prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
}

/// Runs blocking work (pg_ctl, initdb) on a Dispatch thread, not on one of the two cooperative threads.
func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

struct ExpectedFailure: Error, Equatable {}

extension PostgresPool {
    /// Runs `body` and closes the pool afterwards, also when it throws.
    func using<T: Sendable>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        do {
            let value = try await body(self)
            await close()
            return value
        } catch {
            await close()
            throw error
        }
    }
}

final class Counter: Sendable {
    private let atomic = Atomic<Int>(0)
    @discardableResult
    func increment() -> Int { atomic.add(1, ordering: .relaxed).newValue }
    var value: Int { atomic.load(ordering: .relaxed) }
}
