/// The ZIA rules the emulator enforces, each with its source in the reference (§3–§6). Where the
/// reference is unsure the default is the stricter reading, and the field's doc says so.
public struct ZIABehaviour: Sendable, Codable, Equatable {
    /// `GET /users` page size when none is given: 100 [C2, visible in recordings].
    public var defaultPageSize: Int = 100
    /// Largest `pageSize` for `/users`: 10,000 [C2] (older docs said 1,000).
    public var usersMaxPageSize: Int = 10_000
    /// Largest `pageSize` for groups and departments: not documented; 1,000 is the stricter guess.
    public var listMaxPageSize: Int = 1_000
    /// What an over-large `pageSize` gets. Not documented; the stricter default refuses it with
    /// 400 `INVALID_INPUT_ARGUMENT` instead of clamping silently.
    public var rejectOversizedPageSize: Bool = true

    /// Groups per user: 127 via API/UI (128 on some pages); the stricter 127 [C2].
    public var maxGroupsPerUser: Int = 127
    /// User and group `name` length: 127 (API doc) vs 128 (Ranges page); the stricter 127.
    public var maxNameLength: Int = 127
    /// `email` length: 127 [C2].
    public var maxEmailLength: Int = 127
    /// `comments` size in UTF-8 bytes: 10,240 [C2].
    public var maxCommentsBytes: Int = 10_240
    /// `tempAuthEmail` length: 254 [C2].
    public var maxTempAuthEmailLength: Int = 254
    /// `password` length: 255 [C1 Ranges].
    public var maxPasswordLength: Int = 255
    /// Ids per `POST /users/bulkDelete`: 500 [C2].
    public var bulkDeleteMaxIds: Int = 500

    /// The API reference marks `password` required on create [C2]; it only matters for the hosted
    /// database. Required by default.
    public var requirePasswordOnCreate: Bool = true
    /// Password strength follows the tenant's auth settings (not documented). The default asks for
    /// 8+ characters with an upper-case letter, a lower-case letter, a digit and a symbol.
    public var passwordMinLength: Int = 8
    public var passwordRequiresMixedCharacters: Bool = true
    /// `groups` is required on create [C2]; whether it may be empty is not documented. Default:
    /// the field must be present, and may be empty.
    public var requireNonEmptyGroups: Bool = false

    /// Status for a duplicate email on create: not documented (§5.1 says 400 or 409 with
    /// `DUPLICATE_ITEM`). 409 by default, which also catches a client that retries every 409 as
    /// if it were the edit lock instead of reading the code.
    public var duplicateStatus: Int = 409
    /// Status for `DELETE /users/{id}`: docs say 200, sibling resources answer 204 on the wire.
    /// 204 (empty body) by default, so a client must not expect a body.
    public var deleteUserStatus: Int = 204
    /// Admin-linked users cannot be deleted [C2]; whether PUT is refused too is unknown. The
    /// stricter default refuses both.
    public var adminUsersUpdatable: Bool = false
    /// Refuse deleting a group or department that users still reference (400 `RESOURCE_IN_USE`).
    /// Not documented for users (only for policy rules); stricter default on.
    public var refuseDeletingReferencedGroups: Bool = true
    /// Status of the non-JSON error a group/department write gets on the legacy (JSESSIONID) API,
    /// which only OneAPI serves. The GO SDK maps that text to 401; the status itself is a guess.
    public var oneAPIOnlyStatus: Int = 401
    /// Some real 404s have an empty body [C1]; the stricter default sends none, so a client cannot
    /// rely on a code there.
    public var emptyNotFoundBodies: Bool = true
    /// A ZIdentity-enabled tenant: user/group/department writes answer 403 `INVALID_OPERATION`
    /// "Not allowed for one identity enabled tenants" (§3.5). Off by default.
    public var oneIdentityEnabled: Bool = false

    public init() {}
}

/// The ZPA rules (reference §8, §9.2).
public struct ZPABehaviour: Sendable, Codable, Equatable {
    /// mgmtconfig/userconfig paging: `pagesize` default 20, max 500 [C1 HELP].
    public var adminDefaultPageSize: Int = 20
    public var adminMaxPageSize: Int = 500
    /// SCIM `count` default 10, max 100 [C1 HELP].
    public var scimDefaultCount: Int = 10
    public var scimMaxCount: Int = 100
    /// What a SCIM `count` above the maximum gets: RFC 7644 lets a server return fewer, so the
    /// default clamps (and reports `itemsPerPage`); `true` answers 400 `tooMany` instead.
    public var scimRejectOversizedCount: Bool = false
    /// `active=false` deletes the user in ZPA [C2]; `false` here only disables (the ZIA reading).
    public var scimInactiveDeletes: Bool = true
    /// What a SCIM user PATCH answers: RFC 7644 allows 200 with the resource or 204. ZPA documents
    /// 204 for group PATCH only; the stricter default answers 204 for users too, so a client must
    /// not rely on a body. `true` returns 200 with the user.
    public var scimUserPatchReturnsBody: Bool = false
    /// Groups per SCIM user: ZIA's documented 128 is reused (ZPA publishes none).
    public var scimMaxGroupsPerUser: Int = 128

    public init() {}
}
