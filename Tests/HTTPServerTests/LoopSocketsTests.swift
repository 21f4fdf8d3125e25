import Dispatch
import Glibc
import Synchronization
import Testing
import TestSupport

@testable import HTTPServer

/// `LoopSockets`: code on an event loop's thread (an inline route) has the loop watch a socket of its own; the
/// callback runs on that thread, again while it asks for more; elsewhere the caller is told to wait its own way.
@Suite struct LoopSocketsTests {
    @Test func offALoopThreadTheCallerWaitsItsOwnWay() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        #expect(!LoopSockets.whenReadable(fd: fds[0]) { _ in true })
        close(fds[0])
        close(fds[1])
    }

    @Test func anInlineRouteHasTheLoopWatchItsSocketUntilTheCallbackIsDone() async throws {
        try await withServer(routes: { router in
            router.add(.GET, "/watch", options: RouteOptions(inline: true)) { _ in
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { return .text("no pipe") }
                let readEnd = fds[0], writeEnd = fds[1]
                defer {
                    close(readEnd)
                    close(writeEnd)
                }
                let loopThread = pthread_self()
                let outcome: String = await withCheckedContinuation { continuation in
                    let calls = Mutex(0)
                    let watched = LoopSockets.whenReadable(fd: readEnd) { canWaitAgain in
                        var byte: UInt8 = 0
                        _ = read(readEnd, &byte, 1)
                        let n = calls.withLock { calls in
                            calls += 1
                            return calls
                        }
                        let onLoop = pthread_equal(pthread_self(), loopThread) != 0
                        if n == 1 && canWaitAgain {
                            // Not done yet: the next byte comes later, from another thread.
                            DispatchQueue.global().async {
                                var two: UInt8 = 2
                                _ = write(writeEnd, &two, 1)
                            }
                            return false
                        }
                        continuation.resume(returning: "calls \(n) on the loop \(onLoop) byte \(byte)")
                        return true
                    }
                    guard watched else { return continuation.resume(returning: "not watched") }
                    DispatchQueue.global().async {
                        var one: UInt8 = 1
                        _ = write(writeEnd, &one, 1)
                    }
                }
                return .text(outcome)
            }
        }) { client, _ in
            let answer = try await client.request("GET", "/watch")
            #expect(answer.text == "calls 2 on the loop true byte 2")
        }
    }
}
