import FoundationEssentials
import HTTPServer

/// The page behind a problem type's URI: what the problem means and what to do, in Dutch and in English.
enum ProblemPage {
    static func html(_ type: ProblemType) -> HTML {
        func section(_ lang: String, _ e: ProblemType.Explanation, _ meaning: String, _ action: String) -> HTML {
            """
            <section lang="\(lang)">
            <h2>\(e.heading)</h2>
            <h3>\(meaning)</h3>
            <p>\(e.meaning)</p>
            <h3>\(action)</h3>
            <p>\(e.action)</p>
            </section>

            """
        }
        return """
            <!doctype html>
            <html lang="nl">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(type.dutch.heading) · \(type.english.heading)</title>
            <link rel="stylesheet" href="/assets/site.css">
            </head>
            <body>
            <main>
            <h1>\(type.title) <small>(HTTP \(type.status), type <code>\(type.slug)</code>)</small></h1>
            \(section("nl", type.dutch, "Wat het betekent", "Wat u kunt doen"))
            \(section("en", type.english, "What it means", "What to do"))
            </main>
            </body>
            </html>

            """
    }

    static func response(_ type: ProblemType) -> HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": "text/html; charset=utf-8"]
        PageHeaders.apply(to: &headers, cacheable: true)
        return HTTPResponse(status: .ok, headers: headers, body: Array(html(type).description.utf8))
    }
}
