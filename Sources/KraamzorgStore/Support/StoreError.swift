/// Domain outcomes the API turns into problem responses; database errors stay `PostgresError`.
public enum StoreError: Error, Sendable, Equatable {
    /// The object does not exist (or the caller may not know that it does).
    case notFound(String)
    /// The request conflicts with the current state (duplicate, already done).
    case conflict(String)
    /// A valid request refused by a rule; every reason listed, each with the field it concerns.
    case refused([Reason])

    public struct Reason: Sendable, Equatable {
        public let field: String
        public let message: String
        /// A stable machine code for the reason (e.g. `courseNotAccredited`), where a client acts on it.
        public let code: String?
        public init(field: String, message: String, code: String? = nil) { self.field = field; self.message = message; self.code = code }
    }
}
