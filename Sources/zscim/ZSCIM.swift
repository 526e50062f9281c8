import ArgumentParser

/// The `zscim` command line. Each feature adds its command group to `subcommands`.
@main
struct ZSCIM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zscim",
        abstract: "A SCIM 2.0 bridge for Zscaler.",
        subcommands: [
            MetadataCommand.self
        ]
    )
}
