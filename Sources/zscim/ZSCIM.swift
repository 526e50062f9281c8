import ArgumentParser

/// The `zscim` command: the SCIM bridge and its operator tools. Each feature adds its command
/// group to `subcommands`.
@main
struct ZSCIM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zscim",
        abstract: "A SCIM 2.0 bridge for Zscaler.",
        subcommands: [ServeCommand.self, DemoCommand.self, TenantCommand.self, MetadataCommand.self]
    )
}
