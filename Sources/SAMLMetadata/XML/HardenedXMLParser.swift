internal import CLibXML2

/// libxml2 set up for untrusted XML: a tree from memory, with nothing fetched, nothing expanded
/// and nothing unbounded.
///
/// What keeps a hostile file harmless, and why each piece is there:
/// - **No DTD at all.** A SAX hook on `internalSubset` stops the parser the moment it meets
///   `<!DOCTYPE`, before one declaration inside it is read. SAML metadata never needs a DTD, and
///   every XML entity attack (XXE to `file://` or `http://`, billion laughs, parameter entities,
///   external DTD fetches) needs one. The tree is checked again for a DTD afterwards.
/// - **No network, no entity substitution, no DTD loading:** `XML_PARSE_NONET`, and
///   `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD`, `XML_PARSE_DTDATTR`, `XML_PARSE_DTDVALID`,
///   `XML_PARSE_XINCLUDE` and `XML_PARSE_HUGE` all left off; `resolveEntity`/`externalSubset`
///   hooks that do nothing, in case a future libxml2 reaches them another way.
/// - **Bounded:** input size is checked before libxml2 sees a byte; element depth is counted in
///   the `startElementNs` hook and the parser stopped past the limit (libxml2's own limit is 256,
///   too deep for a recursive reader and far deeper than metadata goes).
/// - **Errors per parse:** libxml2's structured errors go to this parse's own collector (the
///   context's `serror`, plus the thread's fallback handlers, saved and restored around the call),
///   so concurrent parses never see each other's errors and nothing is printed to stderr.
struct HardenedXMLParser {
    var maxBytes: Int
    var maxDepth: Int

    /// `XML_PARSE_NONET` (no network), `XML_PARSE_NOCDATA` (CDATA read as text), `XML_PARSE_BIG_LINES`
    /// (right line numbers past 65,535), `XML_PARSE_NOERROR`/`NOWARNING` (no stderr; errors are
    /// collected structurally instead). Deliberately absent: `NOENT`, `DTDLOAD`, `DTDATTR`,
    /// `DTDVALID`, `XINCLUDE`, `HUGE`, `RECOVER`, and `NOBLANKS` (its heuristics can drop
    /// whitespace that is data; the reader never walks text nodes by position, so blanks cost
    /// nothing).
    static let options: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    func parse(_ bytes: [UInt8], namespaces: [(prefix: String, uri: String)]) throws(SAMLMetadataError) -> LibXMLDocument {
        guard bytes.count <= maxBytes else {
            throw SAMLMetadataError(
                code: .tooLarge,
                message: "document is \(bytes.count) bytes, more than the limit of \(maxBytes) bytes (metadata for one tenant is a few KiB)"
            )
        }
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw SAMLMetadataError(code: .empty, message: "document is empty", line: 1)
        }
        _ = LibXML2.initialized
        guard let context = xmlNewParserCtxt() else {
            throw SAMLMetadataError(code: .internal, message: "libxml2 could not create a parser context (out of memory?)")
        }
        defer { xmlFreeParserCtxt(context) }
        guard let sax = context.pointee.sax else {
            throw SAMLMetadataError(code: .internal, message: "libxml2 parser context has no SAX handler")
        }
        Self.installHooks(sax)

        let state = ParseState(maxDepth: maxDepth)
        let opaqueState = Unmanaged.passUnretained(state).toOpaque()
        context.pointee._private = opaqueState

        let parsed: xmlDocPtr? = withExtendedLifetime(state) {
            Self.withThreadErrorHandlers(routedTo: opaqueState) {
                bytes.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), nil, nil, Self.options)
                    }
                }
            }
        }
        // Our own refusals (DOCTYPE, depth) explain the stop better than libxml2's "user stop".
        if let refusal = state.refusal {
            if let parsed { xmlFreeDoc(parsed) }
            throw refusal
        }
        guard let parsed else {
            throw state.firstError
                ?? SAMLMetadataError(code: .malformedXML, message: "libxml2 could not parse the document (no reason given)")
        }
        let document = try LibXMLDocument(taking: parsed, namespaces: namespaces)
        guard !document.hasDTD else {
            throw SAMLMetadataError(code: .doctypeRefused, message: "document carries a DTD, which is refused")
        }
        return document
    }

    /// Replaces the handlers that matter for safety; everything else stays libxml2's SAX2 tree
    /// builder.
    private static func installHooks(_ sax: UnsafeMutablePointer<xmlSAXHandler>) {
        sax.pointee.internalSubset = { ctx, name, _, _ in
            guard let (context, state) = ParseState.from(ctx) else { return }
            let element = name.map { String(cString: $0) } ?? "?"
            state.refuse(
                SAMLMetadataError(
                    code: .doctypeRefused,
                    message:
                        "DOCTYPE declaration (<!DOCTYPE \(element) …>) refused: DTDs and entity declarations are never read, "
                        + "since SAML metadata needs none and XML entity attacks (XXE, billion laughs) need them",
                    line: Int(xmlSAX2GetLineNumber(ctx))),
                context)
        }
        sax.pointee.externalSubset = { _, _, _, _ in }
        sax.pointee.resolveEntity = { _, _, _ in nil }
        sax.pointee.startElementNs = { ctx, localName, prefix, uri, nbNamespaces, namespaces, nbAttributes, nbDefaulted, attributes in
            guard let (context, state) = ParseState.from(ctx) else { return }
            state.depth += 1
            if state.depth > state.maxDepth {
                let name = localName.map { String(cString: $0) } ?? "?"
                state.refuse(
                    SAMLMetadataError(
                        code: .tooDeep,
                        message:
                            "elements nest deeper than the limit of \(state.maxDepth) (at <\(name)>); SAML metadata nests about 8 deep",
                        line: Int(xmlSAX2GetLineNumber(ctx))),
                    context)
                return
            }
            xmlSAX2StartElementNs(ctx, localName, prefix, uri, nbNamespaces, namespaces, nbAttributes, nbDefaulted, attributes)
        }
        sax.pointee.endElementNs = { ctx, localName, prefix, uri in
            guard let (_, state) = ParseState.from(ctx) else { return }
            state.depth -= 1
            xmlSAX2EndElementNs(ctx, localName, prefix, uri)
        }
        sax.pointee.serror = { userData, error in
            guard let (_, state) = ParseState.from(userData), let error else { return }
            state.record(error.pointee)
        }
    }

    /// Routes libxml2's per-thread structured handler (used for the few errors raised without a
    /// parser context, such as encoding errors) to this parse, and puts the previous one back
    /// afterwards. It is thread-local in a threaded libxml2 and the parse runs synchronously on
    /// this thread, so no other parse can observe the swap. libxml2 prefers a structured handler
    /// over its generic (stderr) one, so nothing is printed.
    private static func withThreadErrorHandlers<R>(routedTo state: UnsafeMutableRawPointer, _ body: () -> R) -> R {
        let handler = __xmlStructuredError()
        let handlerContext = __xmlStructuredErrorContext()
        let saved = (handler?.pointee, handlerContext?.pointee)
        defer {
            handler?.pointee = saved.0
            handlerContext?.pointee = saved.1
        }
        handler?.pointee = { userData, error in
            guard let userData, let error else { return }
            Unmanaged<ParseState>.fromOpaque(userData).takeUnretainedValue().record(error.pointee)
        }
        handlerContext?.pointee = state
        return body()
    }
}

/// What one parse collects, reachable from the C callbacks through the context's `_private`.
/// Confined to the thread running the parse.
private final class ParseState {
    let maxDepth: Int
    var depth = 0
    /// Set by our own hooks; wins over whatever libxml2 says after the stop.
    var refusal: SAMLMetadataError?
    /// libxml2's first error (not warning): later ones are usually consequences of it.
    var firstError: SAMLMetadataError?

    init(maxDepth: Int) { self.maxDepth = maxDepth }

    /// The context and state behind a SAX `ctx`/`userData` pointer (libxml2 passes the parser
    /// context itself, since `userData` is left at its default).
    static func from(_ raw: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, ParseState)? {
        guard let raw else { return nil }
        let context = raw.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let state = context.pointee._private else { return nil }
        return (context, Unmanaged<ParseState>.fromOpaque(state).takeUnretainedValue())
    }

    func refuse(_ error: SAMLMetadataError, _ context: xmlParserCtxtPtr) {
        if refusal == nil { refusal = error }
        xmlStopParser(context)
    }

    func record(_ error: xmlError) {
        guard firstError == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) }?.trimmingXMLWhitespace() ?? "libxml2 error \(error.code)"
        firstError = SAMLMetadataError(
            code: .malformedXML,
            message: "not well-formed XML: \(message)",
            line: error.line > 0 ? Int(error.line) : nil,
            column: error.int2 > 0 ? Int(error.int2) : nil)
    }
}
