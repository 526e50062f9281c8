internal import CLibXML2

/// Process-wide libxml2 facts, kept in one place.
enum LibXML2 {
    /// `xmlInitParser()` must run once before libxml2 is used from several threads (its docs:
    /// "call once before processing in case of use in multithreaded programs"). A Swift global
    /// `let` is initialised exactly once, thread-safely, on first use.
    static let initialized: Void = { xmlInitParser() }()

    /// The version libxml2 reports at run time (e.g. `2.9.14`), which may differ from the headers
    /// the package was built against.
    static var runtimeVersion: String {
        guard let raw = __xmlParserVersion()?.pointee else { return "unknown" }
        // xmlParserVersion is "20914" for 2.9.14: major * 10000 + minor * 100 + patch.
        guard let number = Int(String(cString: raw)) else { return String(cString: raw) }
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }
}
