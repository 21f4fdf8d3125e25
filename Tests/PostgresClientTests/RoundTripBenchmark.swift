import Foundation
import PostgresClient
import Testing
import TestSupport

/// Not a correctness test: run with `PG_BENCH=1` to print per-query latency.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PG_BENCH"] == "1" && testDatabaseURL() != nil))
struct RoundTripBenchmark {
    @Test func sequentialPreparedSelectOnOneConnection() async throws {
        let iterations = Int(ProcessInfo.processInfo.environment["PG_BENCH_N"] ?? "") ?? 10_000
        try await makePool { $0.poolSize = 1 }.using { pool in
            try await pool.withConnection { connection in
                for value in 0..<500 { _ = try await connection.query("SELECT \(value)::int AS v") }
                let clock = ContinuousClock()
                var samples: [Duration] = []
                samples.reserveCapacity(iterations)
                var checksum = 0
                let start = clock.now
                for value in 0..<iterations {
                    let before = clock.now
                    let rows = try await connection.query("SELECT \(value)::int AS v")
                    checksum &+= try rows[0].decode(0, as: Int.self)
                    samples.append(clock.now - before)
                }
                let total = clock.now - start
                samples.sort()
                func micros(_ duration: Duration) -> Double {
                    Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6
                }
                let median = micros(samples[samples.count / 2])
                let p99 = micros(samples[samples.count * 99 / 100])
                let perSecond = Double(iterations) / (micros(total) / 1e6)
                print(
                    String(
                        format: "PG_BENCH %d × SELECT $1::int, one connection: median %.1f µs, p99 %.1f µs, %.0f queries/s",
                        iterations, median, p99, perSecond))
                #expect(checksum == (0..<iterations).reduce(0, +))
            }
        }
    }

    @Test func concurrentPreparedSelectOnTheDefaultPool() async throws {
        let iterations = Int(ProcessInfo.processInfo.environment["PG_BENCH_N"] ?? "") ?? 10_000
        try await makePool().using { pool in
            let clock = ContinuousClock()
            let start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<32 {
                    group.addTask {
                        for value in stride(from: worker, to: iterations, by: 32) {
                            _ = try await pool.query("SELECT \(value)::int AS v")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seconds =
                Double((clock.now - start).components.attoseconds) / 1e18
                + Double((clock.now - start).components.seconds)
            print(
                String(
                    format: "PG_BENCH %d × SELECT $1::int, 32 tasks over a pool of 10: %.0f queries/s",
                    iterations, Double(iterations) / seconds))
        }
    }
}
