import FuzzSupport
import SCIMCore

/// The filter pipeline a list request runs: parse (strict and lenient grammar), compile against
/// the User schema, evaluate against the fixture users. Any text gives a result or a 400
/// `invalidFilter`; a parsed filter prints to text that parses back to the same tree; and `not`
/// is exactly the negation when evaluated.
let users = Fuzz.fixtures("users.json")
let profiles: [CompatibilityProfile] = [.strict, .lenient]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFilter(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: Fuzz.bytes(start, count), as: UTF8.self)
    for profile in profiles {
        let parser = FilterParser(options: profile.filterOptions)
        let filter: Filter
        do {
            filter = try parser.parse(text)
        } catch {
            Fuzz.require(error.scimType == .invalidFilter && error.status == 400, "parse error is not invalidFilter: \(error)")
            continue
        }
        // Printing gives every and/or its own parentheses, so a long chain prints deeper (and
        // longer) than the limits a client's text must keep: parse it back without them.
        let printed = filter.description
        var unbounded = profile.filterOptions
        unbounded.maxLength = .max
        unbounded.maxDepth = .max
        Fuzz.require(
            (try? FilterParser(options: unbounded).parse(printed)) == filter,
            "printed filter does not parse back to the same tree: \(printed)")

        let compiler = FilterCompiler(definition: Fuzz.user, profile: profile)
        let compiled: CompiledFilter
        do {
            compiled = try compiler.compile(filter)
        } catch {
            Fuzz.require(error.scimType == .invalidFilter && error.status == 400, "compile error is not invalidFilter: \(error)")
            continue
        }
        // The normalised tree (what a store pushes down) compiles again to the same tree.
        let normalized = try? compiler.compile(compiled.filter)
        Fuzz.require(normalized?.filter == compiled.filter, "normalised filter does not compile to itself: \(compiled.filter)")
        guard let negated = try? compiler.compile(.not(filter)) else {
            fatalError("not (\(printed)) does not compile though \(printed) does")
        }
        let matched = Set(compiled.matchingIndices(in: users))
        for (i, user) in users.enumerated() {
            let hit = compiled.matches(user)
            Fuzz.require(hit == matched.contains(i), "matches and matchingIndices disagree on user \(i): \(printed)")
            Fuzz.require(negated.matches(user) == !hit, "not is not the negation on user \(i): \(printed)")
        }
    }
    return 0
}

/// The `main` SwiftPM links (it renames an executable's entry point to `<Module>_main`).
@_cdecl("FuzzFilter_main")
public func fuzzFilterMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.main(argc, argv, fuzzFilter)
}
