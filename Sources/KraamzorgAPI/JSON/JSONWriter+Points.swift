import JSONOutput
import KraamzorgRules

extension JSONWriter {
    /// `12` or `2.5`, as `Points` encodes.
    mutating func points(_ p: Points) {
        int(p.tenths / 10)
        if p.tenths % 10 != 0 { raw("."); int(p.tenths % 10) }
    }
}
