import Testing
import ZscalerEmulator

/// The reference's worked vectors (§2.2), computed there with two independent implementations.
@Suite struct ObfuscationTests {
    @Test(arguments: [
        ("0123456789ab", "1389681124480", "124480284462"),
        ("AbCdEfGhIjKl", "1700000000123", "AAAbCdCCCCId"),
        ("zY9xW8vU7tS6", "1718035200000", "9zzzzzx99999"),
        ("Qw3rTy7uIo9P", "1735689599999", "yoooooTPPPPP"),
    ])
    func workedVectors(key: String, timestamp: String, expected: String) {
        #expect(EmulatorKeyObfuscation.obfuscate(apiKey: key, timestamp: timestamp) == expected)
    }

    @Test func onlyTheFirstTwelveCharactersMatter() {
        #expect(EmulatorKeyObfuscation.obfuscate(apiKey: "0123456789abXYZ", timestamp: "1389681124480") == "124480284462")
    }

    @Test func refusesShortKeysAndBadTimestamps() {
        #expect(EmulatorKeyObfuscation.obfuscate(apiKey: "0123456789a", timestamp: "1389681124480") == nil)
        #expect(EmulatorKeyObfuscation.obfuscate(apiKey: "0123456789ab", timestamp: "12345") == nil)
        #expect(EmulatorKeyObfuscation.obfuscate(apiKey: "0123456789ab", timestamp: "13896811244x0") == nil)
        #expect(EmulatorKeyObfuscation.obfuscate(apiKey: "0123456789ab", timestamp: "١٣٨٩٦٨١١٢٤٤٨٠") == nil)
    }
}
