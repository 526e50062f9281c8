import Foundation

/// The resource version as an HTTP entity tag, and the one comparison `If-Match` and
/// `If-None-Match` both use.
enum EntityTag {
    /// Weak (`W/"3"`): the JSON a version renders to can differ byte for byte (attribute
    /// projection, key order) while meaning the same resource.
    static func of(version: Int) -> String { "W/\"\(version)\"" }

    /// Whether a conditional header (`If-Match` / `If-None-Match`: `*` or a comma-separated
    /// list of tags) names `version`. Weak comparison (RFC 9110 §8.8.3.2) for both: the tags
    /// zscim hands out are weak, and clients echo them with or without the `W/` prefix.
    static func matches(_ header: String, version: Int) -> Bool {
        let opaque = "\"\(version)\""
        for raw in header.split(separator: ",") {
            let tag = raw.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            let bare = tag.hasPrefix("W/") ? tag.dropFirst(2) : Substring(tag)
            if bare == opaque { return true }
        }
        return false
    }
}
