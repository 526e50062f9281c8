import ArgumentParser
import Foundation
import SAMLMetadata

/// `zscim metadata inspect FILE [--json]`: what a SAML metadata file says, and what it tells about
/// the Zscaler tenant. Thin on purpose: ``MetadataInspection`` does the work.
struct InspectMetadataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the entities, endpoints, certificates and Zscaler cloud / org / base URLs in a SAML metadata file.",
        discussion: """
            Parses with network access, DTDs and entities off, and bounded size and depth. Problems inside a \
            readable file are listed as diagnostics; a file that cannot be read prints one line saying what is \
            wrong and where, and exits with status 1.
            """
    )

    @Argument(help: "The metadata XML file (Zscaler SP metadata, or IdP metadata from Entra ID, Okta, …).")
    var file: String

    @Flag(name: .long, help: "Print machine-readable JSON instead of the report.")
    var json = false

    @Option(name: .long, help: "Largest file accepted, in bytes.")
    var maxBytes = SAMLMetadataParser.Limits().maxBytes

    func run() async throws {
        let parser = SAMLMetadataParser(limits: .init(maxBytes: maxBytes))
        let inspection: MetadataInspection
        do {
            inspection = try MetadataInspection.inspect(file: URL(fileURLWithPath: file), source: file, parser: parser)
        } catch {
            FileHandle.standardError.write(Data(("zscim: " + MetadataInspection.errorLine(source: file, error) + "\n").utf8))
            throw ExitCode.failure
        }
        print(json ? inspection.renderJSON() : inspection.renderText(), terminator: json ? "\n" : "")
    }
}
