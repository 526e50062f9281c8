import ArgumentParser
@main struct ZSCIM: AsyncParsableCommand {}
