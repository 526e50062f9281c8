import AsyncHTTPClient
import Testing
import ZscalerEmulator
@Test func placeholder() { #expect(Bool(true)) }
