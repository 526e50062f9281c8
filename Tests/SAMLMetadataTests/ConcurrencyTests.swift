import Foundation
import SAMLMetadata
import Testing

/// Many parses at once, good and hostile mixed: each gets its own result and its own error, since
/// the parser keeps no shared state (per-context libxml2 errors, thread-local handlers restored).
@Suite("Concurrent parsing")
struct ConcurrencyTests {
    @Test("400 parses from a TaskGroup: samples give their entity ids, hostile files their own errors")
    func taskGroup() async throws {
        enum Outcome: Equatable, Sendable {
            case entity(String)
            case refused(SAMLMetadataError.Code)
        }
        var inputs: [(String, Outcome)] = []
        for (name, entityID) in [
            ("zia-sp-metadata.xml", "https://login.zscalertwo.net/sfc_sso/45193562"),
            ("zpa-sp-metadata.xml", "https://samlsp.private.zscaler.com/auth/metadata/216196257331291347"),
            ("entra-idp-metadata.xml", "https://sts.windows.net/8b7c2f4e-1d3a-4c5b-9e6f-0a1b2c3d4e5f/"),
            ("okta-idp-metadata.xml", "http://www.okta.com/exk9q2v7hdTzR4xYb5d7"),
        ] {
            inputs.append((try TestFiles.text(TestFiles.sample(name)), .entity(entityID)))
        }
        for (name, code) in [
            ("billion-laughs.xml", SAMLMetadataError.Code.doctypeRefused), ("truncated.xml", .malformedXML),
            ("not-saml.xml", .notSAMLMetadata),
            ("deep-nesting.xml", .tooDeep),
        ] {
            inputs.append((try TestFiles.text(TestFiles.fixture(name)), .refused(code)))
        }
        let work = (0..<400).map { inputs[$0 % inputs.count] }
        let mismatches = await withTaskGroup(of: String?.self) { group in
            for (index, (text, expected)) in work.enumerated() {
                group.addTask {
                    let outcome: Outcome
                    do throws(SAMLMetadataError) {
                        let metadata = try SAMLMetadataParser().parse(text, now: TestFiles.now)
                        outcome = .entity(metadata.entities.first?.entityID ?? "")
                    } catch {
                        outcome = .refused(error.code)
                    }
                    return outcome == expected ? nil : "task \(index): expected \(expected), got \(outcome)"
                }
            }
            var mismatches: [String] = []
            for await mismatch in group { if let mismatch { mismatches.append(mismatch) } }
            return mismatches
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
