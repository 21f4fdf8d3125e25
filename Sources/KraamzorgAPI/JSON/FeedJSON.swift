import JSONOutput
import KraamzorgUseCases

/// The event feed's page written by hand: a page holds up to 200 events, and going through `Encodable` member by
/// member was its largest cost in user space (issue 23). The bytes are exactly what `JSONOutputEncoder` writes for
/// the page (keys in UTF-8 order, absent optionals left out); `FeedJSONTests` holds both to that. A client's view
/// (only on client events, and shaped by what the reader may see) still goes through the encoder.
enum FeedJSON {
    static func bytes(items: [EventJSON], nextCursor: String) throws -> [UInt8] {
        var w = JSONWriter()
        w.raw("{"); w.key("items"); w.raw("[")
        for (i, e) in items.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{")
            if let client = e.client { w.key("client"); w.json(try APIJSON.encoder.encode(client)); w.raw(",") }
            w.key("data"); w.object(e.data)
            w.raw(","); w.key("id"); w.string(e.id)
            w.raw(","); w.key("occurredAt"); w.timestamp(e.occurredAt)
            if let v = e.organizationId { w.raw(","); w.key("organizationId"); w.string(v) }
            if let v = e.practitionerId { w.raw(","); w.key("practitionerId"); w.string(v) }
            w.raw(","); w.key("type"); w.string(e.type)
            w.raw("}")
        }
        w.raw("],"); w.key("nextCursor"); w.string(nextCursor)
        w.raw("}")
        return w.bytes
    }
}
