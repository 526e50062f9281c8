import Foundation
import FuzzSupport
import SAMLMetadata

/// The SAML metadata reader as `zscim metadata inspect` and `tenant connect --from-metadata` use it:
/// hardened libxml2 parse, the metadata model with its certificates, the Zscaler inference, and
/// both renderings. Any bytes give an inspection or a `SAMLMetadataError`, never a crash, and the
/// JSON rendering is JSON.
let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01, fixed so runs reproduce
let parser = SAMLMetadataParser(limits: .init(maxBytes: 1 << 20, maxDepth: 64))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSAML(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let metadata: SAMLMetadata
    do {
        metadata = try parser.parse(Fuzz.bytes(start, count), now: now)
    } catch {
        Fuzz.require(!MetadataInspection.errorLine(source: "fuzz", error).isEmpty, "error without a message")
        return 0
    }
    let inspection = MetadataInspection(source: "fuzz", metadata: metadata, inspectedAt: now)
    Fuzz.require(!inspection.renderText().isEmpty, "empty text report")
    let rendered = inspection.renderJSON()
    // renderJSON falls back to an error object if encoding throws, which it says cannot happen.
    Fuzz.require(!rendered.hasPrefix(#"{"error":"#), "the inspection could not be encoded as JSON")
    Fuzz.require((try? JSONSerialization.jsonObject(with: Data(rendered.utf8))) != nil, "JSON report is not JSON")
    return 0
}

/// The `main` SwiftPM links (it renames an executable's entry point to `<Module>_main`).
@_cdecl("FuzzSAML_main")
public func fuzzSAMLMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.main(argc, argv, fuzzSAML)
}
