/// One parameter value as it goes over the wire.
public enum PostgresBind: Sendable, Hashable {
    case null
    /// Text format: the server parses it with the parameter type's input function.
    case text(String)
    /// Binary format; only for `bytea`, whose binary form is the raw bytes.
    case binary([UInt8])
}
