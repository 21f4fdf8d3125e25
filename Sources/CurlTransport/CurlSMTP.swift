import CLibCurl

/// How the connection to the relay is protected (`SMTP_TLS`).
public enum SMTPSecurity: String, Sendable, CaseIterable {
    /// STARTTLS on a plain connection: required when credentials are set (never a password in the clear),
    /// else used when the relay offers it (CURLUSESSL_TRY).
    case starttls
    /// Implicit TLS from the first byte (smtps://, usually port 465).
    case tls
    /// No TLS at all (a relay on the same host or network).
    case none
}

/// One SMTP submission through libcurl: EHLO, STARTTLS or implicit TLS, AUTH (PLAIN/LOGIN, whichever the
/// relay offers best), MAIL, RCPT, DATA, QUIT. Blocking: call it off the cooperative pool.
public enum CurlSMTP {
    /// Sends `message` (headers and body with CRLF line ends, not dot-stuffed: curl does that).
    public static func send(
        host: String, port: Int, heloName: String, security: SMTPSecurity, username: String?, password: String?, from: String,
        recipients: [String], message: [UInt8], connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30),
        caFile: String? = nil
    ) throws(CurlError) {
        let easy = try CurlEasy(responseLimit: 4096)
        let scheme = security == .tls ? "smtps" : "smtp"
        let name = host.contains(":") ? "[\(host)]" : host
        // The path of an smtp URL is the name given in EHLO.
        easy.set(CURLOPT_URL, "\(scheme)://\(name):\(port)/\(heloName)")
        easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        let hasCredentials = (username?.isEmpty == false)
        switch security {
        case .tls: easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .starttls: easy.set(CURLOPT_USE_SSL, Int((hasCredentials ? CURLUSESSL_ALL : CURLUSESSL_TRY).rawValue))
        case .none: easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        }
        if let username, hasCredentials {
            easy.set(CURLOPT_USERNAME, username)
            easy.set(CURLOPT_PASSWORD, password ?? "")
        }
        easy.set(CURLOPT_MAIL_FROM, "<\(from)>")
        easy.set(CURLOPT_MAIL_RCPT, list: recipients.map { "<\($0)>" })
        easy.upload(message)
        easy.timeouts(connect: connectTimeout, total: timeout)
        easy.trust(caFile: caFile)
        try easy.perform()
    }
}
