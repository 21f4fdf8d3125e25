import CCurlShims
import CLibCurl

/// A libcurl failure: the CURLcode, the server's last reply code (HTTP status or SMTP reply, 0 when none)
/// and curl's own message (its error buffer, else the code's text). Never carries message content.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let responseCode: Int
    public let message: String
    /// The connection was to go to an address that was not the checked one (DNS rebinding, a redirect).
    public let refusedAddress: Bool

    public init(code: Int32, responseCode: Int, message: String, refusedAddress: Bool = false) {
        self.code = code
        self.responseCode = responseCode
        self.message = message
        self.refusedAddress = refusedAddress
    }

    public var description: String {
        responseCode > 0 ? "\(message) (curl \(code), reply \(responseCode))" : "\(message) (curl \(code))"
    }

    /// The server was not reached or did not answer: resolving, connecting or waiting failed before any reply.
    public var unreachable: Bool {
        let codes: [CURLcode] = [CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_GOT_NOTHING]
        return responseCode == 0 && codes.contains { Int32($0.rawValue) == code }
    }

    /// The TLS handshake or the certificate check failed.
    public var tls: Bool {
        let codes: [CURLcode] = [CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_USE_SSL_FAILED]
        return codes.contains { Int32($0.rawValue) == code }
    }
}

/// One easy handle and its transfer context (callbacks' state), used for one transfer on one thread and
/// then freed. Every call blocks: run transfers off the cooperative pool (`BlockingIO`).
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let transfer: OpaquePointer
    private var lists: [UnsafeMutableRawPointer] = []

    init(responseLimit: Int) throws(CurlError) {
        let initCode = kz_curl_global_init()
        guard initCode == 0, let handle = kz_curl_easy_init() else {
            throw CurlError(code: initCode, responseCode: 0, message: "libcurl could not be initialised")
        }
        self.handle = handle
        guard let transfer = kz_transfer_new(handle, responseLimit) else {
            kz_curl_easy_cleanup(handle)
            throw CurlError(code: -1, responseCode: 0, message: "out of memory")
        }
        self.transfer = transfer
        // Never signals (threads), no proxy from the environment (it would bypass the address check),
        // certificates always verified.
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_PROXY, "")
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        set(CURLOPT_FOLLOWLOCATION, 0)
    }

    deinit {
        kz_curl_easy_cleanup(handle)
        for list in lists { kz_curl_slist_free(list) }
        kz_transfer_free(transfer)
    }

    func set(_ option: CURLoption, _ value: Int) { _ = kz_curl_setopt_long(handle, Int32(option.rawValue), value) }
    func set(_ option: CURLoption, _ value: String) { _ = kz_curl_setopt_string(handle, Int32(option.rawValue), value) }
    func setLarge(_ option: CURLoption, _ value: Int64) { _ = kz_curl_setopt_off(handle, Int32(option.rawValue), value) }

    /// An option whose bytes curl copies at once (CURLOPT_COPYPOSTFIELDS).
    func copy(_ option: CURLoption, _ bytes: [UInt8]) {
        let nonEmpty = bytes.isEmpty ? [0] : bytes
        _ = nonEmpty.withUnsafeBufferPointer {
            kz_curl_setopt_pointer(handle, Int32(option.rawValue), UnsafeMutableRawPointer(mutating: $0.baseAddress))
        }
    }

    /// A string list option (headers, recipients, resolve entries); the list lives as long as the handle.
    func set(_ option: CURLoption, list items: [String]) {
        var list: UnsafeMutableRawPointer?
        for item in items { list = kz_curl_slist_append(list, item) }
        guard let list else { return }
        lists.append(list)
        _ = kz_curl_setopt_pointer(handle, Int32(option.rawValue), list)
    }

    func timeouts(connect: Duration, total: Duration) {
        set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connect))
        set(CURLOPT_TIMEOUT_MS, Self.milliseconds(total))
    }

    static func milliseconds(_ d: Duration) -> Int {
        Int(clamping: d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }

    /// The CA bundle to trust instead of the system store (`SSL_CERT_FILE`).
    func trust(caFile: String?) {
        if let caFile, !caFile.isEmpty { set(CURLOPT_CAINFO, caFile) }
    }

    func upload(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { kz_transfer_set_upload(handle, transfer, $0.baseAddress, $0.count) }
    }

    /// Only these addresses may be connected to (family, raw bytes).
    func allow(family: Int32, bytes: [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { kz_transfer_allow_address(transfer, family, $0.baseAddress) }
    }

    var responseCode: Int { kz_curl_response_code(handle) }
    var primaryIP: String { String(cString: kz_curl_primary_ip(handle)) }

    var responseBody: [UInt8] {
        var length = 0
        guard let bytes = kz_transfer_response(transfer, &length), length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    func perform() throws(CurlError) {
        let code = kz_curl_perform(handle)
        guard code != 0 else { return }
        let buffer = String(cString: kz_transfer_error(transfer))
        let message = buffer.isEmpty ? String(cString: kz_curl_strerror(code)) : buffer
        throw CurlError(
            code: code, responseCode: responseCode, message: message, refusedAddress: kz_transfer_refused_address(transfer) != 0)
    }
}
