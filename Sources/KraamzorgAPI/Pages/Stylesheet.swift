import FoundationEssentials

/// The one stylesheet of the client pages, served at `/assets/site.css`. No fixed widths: the layout
/// flows from 320 px up and at 200% zoom; text contrast is at least 7:1, focus is always visible.
enum Stylesheet {
    static let path = "/assets/site.css"
    static let css = """
        *, *::before, *::after { box-sizing: border-box; }
        html { font-size: 100%; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 1.125rem;
               line-height: 1.5; color: #1a1a1a; background: #ffffff; overflow-wrap: anywhere; -webkit-hyphens: auto; hyphens: auto; }
        header.site { background: #0b3d6b; color: #ffffff; padding: 0.75rem 1rem; display: flex; flex-wrap: wrap;
                      gap: 0.5rem 1rem; justify-content: space-between; align-items: center; }
        header.site p { margin: 0; font-weight: 700; }
        header.site p.sender { font-weight: 400; font-size: 1rem; }
        header.site a { color: #ffffff; }
        main { max-width: 42rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
        h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
        h2 { font-size: 1.375rem; line-height: 1.3; margin: 2rem 0 0.75rem; }
        a { color: #0b4f8a; text-decoration: underline; text-underline-offset: 0.15em; }
        a:hover { color: #062c4d; text-decoration-thickness: 0.15em; }
        :focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; box-shadow: 0 0 0 6px #ffd23f; }
        a:focus, button:focus, input:focus, textarea:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }
        fieldset { border: 0; padding: 0; margin: 1.5rem 0; min-width: 0; }
        legend { font-weight: 700; font-size: 1.25rem; padding: 0; margin-bottom: 0.5rem; }
        .field { margin: 0 0 1.25rem; }
        label { display: block; font-weight: 700; margin-bottom: 0.25rem; }
        .hint { color: #3d3d3d; margin: 0 0 0.25rem; }
        input[type=text], input[type=tel], input[type=date], input[type=email], textarea {
            display: block; width: 100%; max-width: 100%; font: inherit; padding: 0.5rem; border: 2px solid #1a1a1a;
            border-radius: 0; background: #ffffff; color: #1a1a1a; }
        input.short { max-width: 12em; }
        textarea { min-height: 6rem; }
        .choice { display: flex; align-items: flex-start; gap: 0.5rem; margin: 0.5rem 0; }
        .choice input { width: 1.5rem; height: 1.5rem; margin: 0.15rem 0 0; flex: none; }
        .choice label { font-weight: 400; margin: 0; }
        button, .button { display: inline-block; font: inherit; font-weight: 700; padding: 0.6rem 1.2rem; border: 2px solid #0a5c2e;
                 background: #0a5c2e; color: #ffffff; cursor: pointer; text-decoration: none; margin: 0.25rem 0.5rem 0.25rem 0; }
        button:hover { background: #06401f; }
        button.warning { background: #8a1c1c; border-color: #8a1c1c; }
        button.warning:hover { background: #5e1010; }
        .has-error { border-left: 5px solid #b00020; padding-left: 0.75rem; }
        .has-error input, .has-error textarea { border-color: #b00020; }
        .error { color: #b00020; font-weight: 700; margin: 0 0 0.25rem; }
        .error-summary { border: 4px solid #b00020; padding: 0.75rem 1rem; margin: 0 0 1.5rem; }
        .error-summary h2 { margin-top: 0; font-size: 1.25rem; }
        .error-summary a { color: #b00020; font-weight: 700; }
        .notice { border-left: 6px solid #0a5c2e; background: #eef7f1; padding: 0.75rem 1rem; margin: 0 0 1.5rem; }
        .status { border: 3px solid #0b3d6b; padding: 0.75rem 1rem; margin: 0 0 1rem; }
        .status.urgent { border-color: #b00020; background: #fdf0f2; }
        .status strong { display: block; font-size: 1.25rem; }
        .consent { border-left: 4px solid #0b3d6b; background: #f1f5f9; padding: 0.75rem 1rem; margin: 0 0 1rem; }
        .personal-link { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 1rem; background: #f1f5f9; padding: 0.5rem; word-break: break-all; }
        dl.facts { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: 0.25rem 1rem; margin: 0; }
        dl.facts dt { font-weight: 700; }
        dl.facts dd { margin: 0; }
        .date-parts { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
        .date-part label { font-weight: 400; }
        .date-part input.w2 { width: 3.5em; }
        .date-part input.w4 { width: 5.5em; }
        .cancel { display: inline-block; margin: 0.5rem 0; }
        footer.site { border-top: 4px solid #0b3d6b; background: #f1f5f9; padding: 1rem 1rem 2rem; }
        footer.site > * { max-width: 42rem; margin-left: auto; margin-right: auto; }
        footer.site h2 { margin-top: 0; }
        ul.contacts, ul.contact { padding-left: 1.25rem; }
        ul.contacts li { margin-bottom: 0.5rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem 0.4rem 0; border-bottom: 1px solid #6b6b6b; }
        @media (max-width: 36em) {
            dl.facts { grid-template-columns: minmax(0, 1fr); }
            dl.facts dd { margin-bottom: 0.5rem; }
            table.log thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
            table.log, table.log tbody, table.log tr, table.log td { display: block; width: 100%; }
            table.log tr { border-bottom: 1px solid #6b6b6b; padding: 0.5rem 0; }
            table.log td { border: 0; padding: 0.1rem 0; }
            table.log td::before { content: attr(data-label) ": "; font-weight: 700; }
        }
        """
}
