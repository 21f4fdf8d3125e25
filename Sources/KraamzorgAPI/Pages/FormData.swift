import FoundationEssentials
import DatesAndIDs

/// An `application/x-www-form-urlencoded` body (what an HTML form posts): `name=value&…`, `+` is a
/// space, `%XX` a byte, the whole decoded as UTF-8. Repeated names (checkboxes) keep every value.
struct FormData: Sendable {
    let fields: [(name: String, value: String)]

    /// Nil when a name or value is not valid: a broken `%XX`, or bytes that are not UTF-8.
    static func parse(_ body: [UInt8]) -> FormData? {
        var fields: [(String, String)] = []
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : []) else { return nil }
            fields.append((name, value))
        }
        return FormData(fields: fields)
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(0x20)
            } else if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) else { return nil }
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hex(_ b: UInt8) -> UInt8? { Hex.value(of: b) }

    /// The first value of `name`.
    subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

    func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }
}
