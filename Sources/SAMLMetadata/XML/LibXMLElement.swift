internal import CLibXML2

/// A borrowed element of an ``LibXMLDocument``; valid only while that document is alive, which is why
/// neither type leaves this module (the reader turns everything into Swift values before the
/// document is freed).
///
/// Text and attribute values are read straight from libxml2's tree (no `xmlGetProp`/
/// `xmlNodeGetContent`), so nothing here allocates C memory that would need freeing.
struct LibXMLElement {
    let pointer: xmlNodePtr

    var localName: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }

    var namespaceURI: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }

    /// The prefix as written in the document, for messages only (matching is by namespace URI).
    var qualifiedName: String {
        guard let prefix = pointer.pointee.ns?.pointee.prefix else { return localName }
        return "\(String(cString: prefix)):\(localName)"
    }

    /// 1-based line of the start tag (the parser runs with `XML_PARSE_BIG_LINES`, so lines past
    /// 65,535 are right too).
    var line: Int { Int(xmlGetLineNo(pointer)) }

    /// An attribute without a namespace (SAML's own attributes: `entityID`, `Binding`, …).
    func attribute(_ name: String) -> String? { attribute(name, namespaceURI: nil) }

    /// An attribute in a namespace (`xml:lang`, `xsi:type`), or without one when `namespaceURI`
    /// is nil.
    func attribute(_ name: String, namespaceURI: String?) -> String? {
        var attr = pointer.pointee.properties
        while let current = attr {
            defer { attr = current.pointee.next }
            guard let rawName = current.pointee.name, String(cString: rawName) == name else { continue }
            let href = current.pointee.ns?.pointee.href.map { String(cString: $0) }
            guard href == namespaceURI else { continue }
            return Self.text(of: current.pointee.children)
        }
        return nil
    }

    /// The XPath string value: all descendant text and CDATA, comments and processing
    /// instructions skipped.
    var text: String {
        Self.text(of: pointer.pointee.children)
    }

    /// ``text`` with leading and trailing whitespace removed, nil when nothing is left.
    var trimmedText: String? {
        let trimmed = text.trimmingXMLWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func text(of first: xmlNodePtr?) -> String {
        var result = ""
        var node = first
        while let current = node {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { result += String(cString: content) }
            case XML_ELEMENT_NODE:
                // Depth is bounded by the parser's limit, so this recursion is too.
                result += text(of: current.pointee.children)
            default:
                break
            }
            node = current.pointee.next
        }
        return result
    }
}

extension String {
    /// Trims XML's four whitespace characters (XML 1.0 §2.3 `S`), not Unicode's wider set, so a
    /// value is trimmed exactly as a schema-aware SAML library would.
    func trimmingXMLWhitespace() -> String {
        guard let start = firstIndex(where: { !$0.isXMLWhitespace }), let end = lastIndex(where: { !$0.isXMLWhitespace }) else { return "" }
        return String(self[start...end])
    }
}

extension Character {
    /// XML 1.0 §2.3 `S` (a CRLF pair is one `Character` in Swift).
    var isXMLWhitespace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\r\n" }
}
