internal import CLibXML2

/// A parsed libxml2 document with a namespace-aware XPath context, owned uniquely.
///
/// `~Copyable` so that exactly one value frees the `xmlDoc` (in `deinit`), and internal so that no
/// pointer escapes `SAMLMetadata`: ``MetadataReader`` copies what it needs into Swift values and
/// lets this go before `parse` returns. One document is only ever used by the thread that parsed
/// it, which is all libxml2 asks of a tree.
struct LibXMLDocument: ~Copyable {
    private let document: xmlDocPtr
    private let xpath: xmlXPathContextPtr

    /// Takes ownership of `document`. Fails only when libxml2 cannot allocate an XPath context.
    init(taking document: xmlDocPtr, namespaces: [(prefix: String, uri: String)]) throws(SAMLMetadataError) {
        guard let xpath = xmlXPathNewContext(document) else {
            xmlFreeDoc(document)
            throw SAMLMetadataError(code: .internal, message: "libxml2 could not create an XPath context (out of memory?)")
        }
        // XPath errors would otherwise go to libxml2's generic handler (stderr). Our expressions
        // are constants covered by tests, so an error is reported as `.internal` instead.
        xpath.pointee.error = { _, _ in }
        for (prefix, uri) in namespaces {
            let registered = prefix.withCString { p in
                uri.withCString { u in
                    xmlXPathRegisterNs(
                        xpath, UnsafeRawPointer(p).assumingMemoryBound(to: xmlChar.self),
                        UnsafeRawPointer(u).assumingMemoryBound(to: xmlChar.self))
                }
            }
            guard registered == 0 else {
                xmlXPathFreeContext(xpath)
                xmlFreeDoc(document)
                throw SAMLMetadataError(code: .internal, message: "libxml2 refused the XPath namespace prefix \(prefix)")
            }
        }
        self.document = document
        self.xpath = xpath
    }

    deinit {
        xmlXPathFreeContext(xpath)
        xmlFreeDoc(document)
    }

    var rootElement: LibXMLElement? { xmlDocGetRootElement(document).map(LibXMLElement.init) }

    /// True when the tree holds a DTD of any kind. The parser already stops at `<!DOCTYPE`; this is
    /// the second lock on the same door.
    var hasDTD: Bool { document.pointee.intSubset != nil || document.pointee.extSubset != nil }

    /// The elements `expression` selects with `context` as the context node, in document order.
    /// Prefixes are the ones registered at init, never the document's own.
    func elements(_ expression: String, in context: LibXMLElement) throws(SAMLMetadataError) -> [LibXMLElement] {
        xpath.pointee.node = context.pointer
        defer { xpath.pointee.node = nil }
        let result = expression.withCString { xmlXPathEvalExpression(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self), xpath) }
        guard let result else {
            throw SAMLMetadataError(code: .internal, message: "XPath expression failed: \(expression)")
        }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET else {
            throw SAMLMetadataError(code: .internal, message: "XPath expression is not a node set: \(expression)")
        }
        guard let set = result.pointee.nodesetval, set.pointee.nodeNr > 0, let table = set.pointee.nodeTab else { return [] }
        var nodes: [LibXMLElement] = []
        nodes.reserveCapacity(Int(set.pointee.nodeNr))
        for i in 0..<Int(set.pointee.nodeNr) {
            if let node = table[i], node.pointee.type == XML_ELEMENT_NODE { nodes.append(LibXMLElement(pointer: node)) }
        }
        return nodes
    }

    /// The first element `expression` selects, if any.
    func element(_ expression: String, in context: LibXMLElement) throws(SAMLMetadataError) -> LibXMLElement? {
        try elements(expression, in: context).first
    }
}
