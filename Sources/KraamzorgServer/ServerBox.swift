import HTTPServer
import Synchronization

/// Lets the metrics route reach the server that is created after the routes.
final class ServerBox: Sendable {
    private let value = Mutex<Server?>(nil)

    var server: Server? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
