// A minimal server over HTTPServer for scripts/bench-http.sh: GET /healthz → {"status":"ok"}.
// Environment: HOST (127.0.0.1), PORT (8080), LOG_LEVEL (debug|info|warn|error; default info),
// INLINE (1 = run /healthz on the event loop thread, the default; 0 = as a task on the cooperative pool).
import Glibc
import Dispatch
import HTTPServer
import JSONOutput
import Logging

func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

let level: Logger.Level =
    switch env("LOG_LEVEL") {
    case "debug": .debug
    case "warn": .warn
    case "error": .error
    default: .info
    }
var configuration = ServerConfiguration(host: env("HOST") ?? "127.0.0.1", port: Int(env("PORT") ?? "") ?? 8080)
if let loops = env("EVENT_LOOPS").flatMap(Int.init) { configuration.eventLoopCount = loops }
var router = Router()
struct Health: Encodable { let status: String }
router.add(.GET, "/healthz", options: RouteOptions(inline: env("INLINE") != "0")) { _ in
    .json(bytes: (try? JSONOutputEncoder().encode(Health(status: "ok"))) ?? [])
}
let server = Server(configuration: configuration, router: router, logger: Logger(level: level))

signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let done = DispatchSemaphore(value: 0)
var sources: [any DispatchSourceSignal] = []
for sig in [SIGTERM, SIGINT] {
    let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
    source.setEventHandler {
        Task {
            await server.shutdown()
            done.signal()
        }
    }
    source.resume()
    sources.append(source)
}
do {
    _ = try server.start()
} catch {
    print("start failed: \(error)")
    exit(1)
}
done.wait()
