import SCIMCore

/// Builds the SCIM representation of a stored resource: attributes, `id`, `meta`, and the
/// membership attributes that live apart (group `members`, user `groups`).
struct ResourceRenderer: Sendable {
    let baseURL: String
    /// Show the sync extension: only for tenants connected to Zscaler (without a connection
    /// nothing is synced, so "pending" would say nothing true).
    var showSync: Bool = false

    func location(_ kind: ResourceKind, _ id: String) -> String {
        "\(baseURL)/\(kind.endpoint)/\(id)"
    }

    /// The full resource. `members` / `groups` are included when given.
    func render(_ resource: StoredResource, members: [MemberRecord]? = nil, groups: [GroupReference]? = nil) -> JSONObject {
        var out = JSONObject()
        out["schemas"] = resource.attributes["schemas"] ?? .array([])
        out["id"] = .string(resource.id)
        for member in resource.attributes where member.key != "schemas" {
            out[member.key] = member.value
        }
        if showSync, let sync = resource.sync { renderSync(sync, kind: resource.kind, into: &out) }
        if let members, !members.isEmpty {
            out["members"] = .array(
                members.map { m in
                    var o = JSONObject()
                    o["value"] = .string(m.id)
                    o["$ref"] = .string(location(m.kind, m.id))
                    o["type"] = .string(m.kind.rawValue)
                    if let display = m.display { o["display"] = .string(display) }
                    return .object(o)
                })
        }
        if let groups, !groups.isEmpty {
            out["groups"] = .array(
                groups.map { g in
                    var o = JSONObject()
                    o["value"] = .string(g.id)
                    o["$ref"] = .string(location(.group, g.id))
                    if let display = g.display { o["display"] = .string(display) }
                    o["type"] = "direct"
                    return .object(o)
                })
        }
        var meta = JSONObject()
        meta["resourceType"] = .string(resource.kind.rawValue)
        meta["created"] = .string(resource.created.description)
        meta["lastModified"] = .string(resource.lastModified.description)
        meta["location"] = .string(location(resource.kind, resource.id))
        meta["version"] = .string(EntityTag.of(version: resource.version))
        out["meta"] = .object(meta)
        return out
    }

    /// The readOnly sync attributes of the zscim extension (`ziaUserId`/`ziaGroupId`, `syncState`,
    /// `syncError`, `lastSyncedAt`, declared in `schemas/extensions/`), merged with what the client
    /// wrote there (`department`, `ziaGroupName`).
    func renderSync(_ sync: SyncStatus, kind: ResourceKind, into out: inout JSONObject) {
        let urn = kind == .user ? SyncAttributes.userExtension : SyncAttributes.groupExtension
        var ext = out[urn]?.objectValue ?? JSONObject()
        if let id = sync.zscalerID { ext[kind == .user ? "ziaUserId" : "ziaGroupId"] = .number(JSONNumber(Int(id))) }
        ext["syncState"] = .string(sync.state.rawValue)
        if sync.state == .failed, let error = sync.lastError { ext["syncError"] = .string(error) }
        if let at = sync.lastSyncedAt { ext["lastSyncedAt"] = .string(at.description) }
        out[urn] = .object(ext)
        var schemas = out["schemas"]?.arrayValue ?? []
        if !schemas.contains(where: { $0.stringValue.map { CaseFolding.equal($0, urn) } ?? false }) {
            schemas.append(.string(urn))
            out["schemas"] = .array(schemas)
        }
    }
}

/// Names of the zscim extension schemas that carry sync state.
public enum SyncAttributes {
    public static let userExtension = "urn:zscim:params:scim:schemas:extension:zscaler:2.0:User"
    public static let groupExtension = "urn:zscim:params:scim:schemas:extension:zscaler:2.0:Group"
}
