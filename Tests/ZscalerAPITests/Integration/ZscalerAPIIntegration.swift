import Testing

/// The integration suites (client against the in-process emulator over loopback), run one test at a
/// time: each runs flat out against rate limits on purpose, and several at once would starve the
/// other timing-sensitive suites of the package on a 2-core CI machine.
@Suite("ZscalerAPI against the emulator", .serialized)
enum ZscalerAPIIntegration {}
