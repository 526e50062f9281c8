import FuzzSupport
import SCIMCore

/// The PATCH engine on fixed resources: the input is a PatchOp body, applied to the fullest fixture
/// user and group under the strict and the lenient profile. Any body applies or fails with a 4xx
/// SCIM error; a success keeps the resource's `id`, renders to JSON that parses back equal, and
/// applying the same body again gives the same result (no hidden state).
let user = Fuzz.fixtures("users.json").first { $0["id"] == "u1" }!
let group = Fuzz.fixtures("groups.json").first { $0["id"] == "g1" }!
let engines: [(PatchEngine, JSONObject)] = [CompatibilityProfile.strict, .lenient].flatMap { profile in
    [(PatchEngine(definition: Fuzz.user, profile: profile), user), (PatchEngine(definition: Fuzz.group, profile: profile), group)]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPatch(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let body = try? JSONParser().parse(Fuzz.bytes(start, count)) else { return 0 }
    for (engine, resource) in engines {
        let after: JSONObject
        do {
            after = try engine.apply(body: body, to: resource)
        } catch {
            Fuzz.requireClientError(error, "PATCH \(Fuzz.excerpt(body))")
            continue
        }
        Fuzz.require(after["id"] == resource["id"], "PATCH changed the id: \(Fuzz.excerpt(body))")
        let rendered = JSONValue.object(after).serializedBytes()
        Fuzz.require((try? JSONParser().parse(rendered)) == .object(after), "patched resource does not render: \(Fuzz.excerpt(body))")
        Fuzz.require((try? engine.apply(body: body, to: resource)) == after, "PATCH is not deterministic: \(Fuzz.excerpt(body))")
    }
    return 0
}

/// The `main` SwiftPM links (it renames an executable's entry point to `<Module>_main`).
@_cdecl("FuzzPatch_main")
public func fuzzPatchMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.main(argc, argv, fuzzPatch)
}
