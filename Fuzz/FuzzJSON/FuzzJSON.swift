import FuzzSupport
import SCIMCore

/// The JSON parser: every request body goes through it first. Any input gives a value or a
/// positioned error; a value serializes to text that parses back to an equal value and
/// serializes to the same bytes again (what clients rely on when they compare what they read
/// back with what they wrote).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    let value: JSONValue
    do {
        value = try JSONParser().parse(bytes)
    } catch {
        Fuzz.require(error.line >= 1 && error.column >= 1 && !error.message.isEmpty, "error without a position: \(error)")
        let scim = SCIMError(error)
        Fuzz.requireClientError(scim, "JSON error")
        return 0
    }
    let text = value.serializedBytes()
    let again: JSONValue
    do {
        again = try JSONParser().parse(text)
    } catch {
        fatalError("serialized JSON does not parse: \(error) in \(Fuzz.excerpt(value))")
    }
    Fuzz.require(again == value, "value changed through serialize and parse: \(Fuzz.excerpt(value))")
    Fuzz.require(again.hashValue == value.hashValue, "equal values hash differently: \(Fuzz.excerpt(value))")
    Fuzz.require(again.serializedBytes() == text, "serialization is not stable: \(Fuzz.excerpt(value))")
    return 0
}

/// The `main` SwiftPM links (it renames an executable's entry point to `<Module>_main`).
@_cdecl("FuzzJSON_main")
public func fuzzJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.main(argc, argv, fuzzJSON)
}
