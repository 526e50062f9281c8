/// Which client quirks a tenant's requests are forgiven (see `shared/reference/scim-clients.md`).
///
/// Each quirk is one named, unambiguous rewrite into RFC form, applied at the edge so that the
/// rest of the engine only sees RFC 7644. `strict` forgives nothing; `lenient` (the default)
/// forgives every unambiguous quirk; the client profiles forgive what that client is known to send.
public struct CompatibilityProfile: Sendable, Hashable {
    public enum Quirk: String, Sendable, Hashable, CaseIterable {
        /// PATCH `op` in any case (`"Add"`, `"Replace"`: Entra's default job).
        case caseInsensitivePatchOps
        /// `"True"`/`"False"` strings (any case) for boolean attributes, in bodies and filters (Entra).
        case booleanStrings
        /// Path-less add/replace whose value keys are paths (`name.givenName`, URN-qualified) (Entra).
        case pathKeysInPatchValue
        /// `remove` of `members` with a `value` list removes just those members (Entra, JumpCloud, ssosync).
        case removeMembersByValueList
        /// `manager` given as a bare id string (Entra).
        case managerAsString
        /// `id` echoed inside a path-less replace value, equal to the resource's own id (Okta).
        case ownIDInPatchValue
        /// Filter `emails[type eq "work"].value eq "x"` (Entra).
        case valuePathSubAttributeInFilter
        /// `TRUE`/`False`/`NULL` in filters (JSON, and so RFC 7644, has them lower case only).
        case filterLiteralCase
        /// `add`/`replace` on `emails[type eq "work"].value` with no such value creates it (Entra).
        case createMissingFilteredValue
        /// Values of multi-valued complex attributes that carry only `type`/`primary` are dropped
        /// (`addresses:[{"type":"work"}]`, ssosync).
        case typeOnlyValues
        /// A lone value given for a multi-valued attribute is taken as a one-element list.
        case singleValueForMultiValued
        /// A path-less PATCH value that carries `schemas` (copied from the resource) is fine.
        case schemasInPatchValue
        /// A POST/PUT body without `schemas`, or with extension data whose URN is not listed.
        case missingResourceSchemas
        /// Unknown schema URNs that carry no data (Entra's ADSCIM Group URN), and SCIM 1.x URNs
        /// (OneLogin), are tolerated in `schemas`.
        case foreignSchemaURNs
        /// A PatchOp body without `schemas`.
        case missingPatchSchemas
        /// Attributes the schemas do not define are dropped from POST/PUT bodies instead of refused.
        case unknownAttributes
    }

    public var name: String
    public var quirks: Set<Quirk>

    public init(name: String, quirks: Set<Quirk>) {
        self.name = name
        self.quirks = quirks
    }

    public func allows(_ quirk: Quirk) -> Bool { quirks.contains(quirk) }

    /// The RFC and nothing else. What the RFC itself prescribes is not a quirk and holds in every
    /// profile: read-only input is ignored (RFC 7643 §2.2), `null` means unassigned (§2.5, so
    /// `"$ref": null` is dropped).
    public static let strict = CompatibilityProfile(name: "strict", quirks: [])
    /// Every unambiguous quirk: the default for a new tenant.
    public static let lenient = CompatibilityProfile(name: "lenient", quirks: Set(Quirk.allCases))
    public static let entra = CompatibilityProfile(
        name: "entra",
        quirks: [
            .caseInsensitivePatchOps, .booleanStrings, .pathKeysInPatchValue, .removeMembersByValueList, .managerAsString,
            .valuePathSubAttributeInFilter, .createMissingFilteredValue, .foreignSchemaURNs,
            .filterLiteralCase, .schemasInPatchValue,
        ])
    public static let okta = CompatibilityProfile(
        name: "okta", quirks: [.ownIDInPatchValue, .unknownAttributes])
    public static let onelogin = CompatibilityProfile(
        name: "onelogin", quirks: [.foreignSchemaURNs, .removeMembersByValueList, .unknownAttributes])
    public static let sailpoint = CompatibilityProfile(name: "sailpoint", quirks: [.removeMembersByValueList])
    public static let jumpcloud = CompatibilityProfile(name: "jumpcloud", quirks: [.removeMembersByValueList])
    public static let ping = CompatibilityProfile(name: "ping", quirks: [.unknownAttributes])
    public static let ssosync = CompatibilityProfile(
        name: "ssosync", quirks: [.removeMembersByValueList, .typeOnlyValues])

    public static let all: [CompatibilityProfile] = [.strict, .lenient, .entra, .okta, .onelogin, .sailpoint, .jumpcloud, .ping, .ssosync]

    /// A profile by name (case-insensitive), for tenant configuration.
    public static func named(_ name: String) -> CompatibilityProfile? {
        all.first { CaseFolding.equal($0.name, name) }
    }

    /// How filters are parsed under this profile.
    public var filterOptions: FilterParser.Options {
        var o = FilterParser.Options.strict
        o.allowValuePathSubAttribute = allows(.valuePathSubAttributeInFilter)
        o.allowLiteralKeywordsInAnyCase = allows(.filterLiteralCase)
        return o
    }
}
