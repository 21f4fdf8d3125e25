/// A text a person reads in an email: its subject and plain-text body. Every such text of the service is
/// written in this folder, so its wording is found in one place (not in SQL or route code).
public struct Message: Sendable, Equatable {
    public let subject: String
    public let body: String

    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }
}
