import ArgumentParser

/// `zscim metadata …`: SAML metadata tools.
struct MetadataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadata",
        abstract: "Read SAML metadata (Zscaler SP metadata, IdP metadata).",
        subcommands: [InspectMetadataCommand.self]
    )
}
