import FoundationEssentials
import HTTPServer
import KraamzorgRules

/// A piece of HTML. Interpolating a `String` (or anything `CustomStringConvertible`) escapes it;
/// only another `HTML` value is inserted as is. So every value that reaches a page is escaped by
/// construction, and markup can only come from the templates in this folder.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(stringLiteral value: String) { text = value }
    init(stringInterpolation: Interpolation) { text = stringInterpolation.text }
    private init(raw: String) { text = raw }

    static let empty = HTML(raw: "")

    var description: String { text }

    struct Interpolation: StringInterpolationProtocol {
        var text = ""
        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }
        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ html: HTML) { text += html.text }
        mutating func appendInterpolation(_ html: [HTML]) { for h in html { text += h.text } }
        mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        mutating func appendInterpolation(_ value: some CustomStringConvertible) { text += HTML.escape(value.description) }
        mutating func appendInterpolation(_ value: String?) { text += HTML.escape(value ?? "") }
    }

    /// Escapes the five characters that matter in text and in quoted attribute values.
    static func escape(_ s: String) -> String {
        guard s.contains(where: { "&<>\"'".contains($0) }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func + (a: HTML, b: HTML) -> HTML { HTML(raw: a.text + b.text) }

    static func join(_ parts: [HTML]) -> HTML { HTML(raw: parts.map(\.text).joined()) }

    /// ` attr="value"` when `condition`, else nothing (boolean and optional attributes).
    static func attribute(_ name: String, _ value: String, if condition: Bool = true) -> HTML {
        condition ? HTML(raw: " \(name)=\"\(escape(value))\"") : .empty
    }

    /// Plain text with line breaks kept (the region's Q&A): escaped, paragraphs on blank lines.
    static func paragraphs(_ text: String) -> HTML {
        let blocks = text.replacingAll("\r\n", with: "\n").split(separator: "\n\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return join(
            blocks.map { block in
                HTML(
                    raw: "<p>"
                        + block.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(
                            separator: "<br>") + "</p>\n")
            })
    }
}

/// The response headers every page and the stylesheet carry (issue 14, safety).
enum PageHeaders {
    static func apply(to headers: inout HTTPHeaders, cacheable: Bool = false) {
        headers["Content-Security-Policy"] = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Cache-Control"] = cacheable ? "public, max-age=3600" : "no-store"
    }
}
