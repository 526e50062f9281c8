import SCIMCore

/// The one place the RFC 7644 §3.4.2 ListResponse envelope is built: resource lists, root
/// `.search` and the discovery endpoints all answer with it.
public enum ListResponse {
    /// `startIndex` is omitted for cursor paging (RFC 9865), which has `nextCursor` instead.
    public static func envelope(_ resources: [JSONValue], totalResults: Int, startIndex: Int?, nextCursor: String? = nil) -> JSONObject {
        var out = JSONObject()
        out["schemas"] = .array([.string(SchemaURN.listResponse)])
        out["totalResults"] = .number(JSONNumber(totalResults))
        out["itemsPerPage"] = .number(JSONNumber(resources.count))
        if let startIndex { out["startIndex"] = .number(JSONNumber(startIndex)) }
        if let nextCursor { out["nextCursor"] = .string(nextCursor) }
        out["Resources"] = .array(resources)
        return out
    }
}
