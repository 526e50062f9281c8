import Foundation
import SAMLMetadata

/// What ZIA's SAML SP metadata says about the connection (`tenant connect --from-metadata`): the
/// cloud, the org id and the legacy API base, each with its evidence, so the operator sees why.
/// Built on ``ZscalerInference``, the same reading `zscim metadata inspect` prints.
public struct MetadataConnectionHints: Sendable, Hashable {
    /// The ZIA cloud name (`zscalertwo`).
    public var cloud: String
    public var orgID: Int64?
    /// The legacy API base (`https://zsapi.zscalertwo.net/api/v1`).
    public var legacyBaseURL: String
    /// The OneAPI gateway's ZIA base the reference assumes for this cloud, when it does.
    public var oneAPIBaseURL: String?
    /// One line per inferred value: `cloud zscalertwo: entityID https://… (line 10) matches …`.
    public var evidence: [String]
    /// What the metadata could not tell, and why.
    public var notInferred: [String]

    /// Reads `file` (hardened parse: no network, no entities, bounded) and infers from its first
    /// entity that names a ZIA cloud.
    /// - Throws: ``ConnectionError/Kind/metadata`` when the file does not parse, names no ZIA cloud,
    ///   or its entities disagree.
    public static func read(file: String, inference: ZscalerInference = ZscalerInference()) throws(ConnectionError)
        -> MetadataConnectionHints
    {
        let inspection: MetadataInspection
        do {
            inspection = try MetadataInspection.inspect(file: URL(fileURLWithPath: file), source: file, inference: inference)
        } catch {
            throw ConnectionError(.metadata, "cannot read the SAML metadata: " + MetadataInspection.errorLine(source: file, error))
        }
        let zia = inspection.entities.filter { $0.zscaler.ziaCloud != nil }
        guard let first = zia.first, let cloud = first.zscaler.ziaCloud else {
            let reasons = inspection.entities.flatMap(\.zscaler.notInferred).filter { $0.item == "ZIA cloud" }.map(\.reason)
            throw ConnectionError(
                .metadata,
                "\(file) names no ZIA cloud\(reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")). "
                    + "Use the SP metadata from ZIA (Administration > Authentication Settings), or give --zia-cloud")
        }
        let clouds = Set(zia.compactMap { $0.zscaler.ziaCloud?.value.name })
        guard clouds.count == 1 else {
            throw ConnectionError(.metadata, "\(file) has entities on different ZIA clouds (\(clouds.sorted().joined(separator: ", ")))")
        }
        let hints = first.zscaler
        var evidence = cloud.evidence.map { "cloud \(cloud.value.name): \($0)" }
        let orgID = hints.ziaOrgID.flatMap { Int64($0.value) }
        if let org = hints.ziaOrgID { evidence += org.evidence.map { "org id \(org.value): \($0)" } }
        let legacy = hints.ziaAPIBase?.value ?? cloud.value.apiBase
        if let base = hints.ziaAPIBase { evidence += base.evidence.map { "API base \(base.value): \($0)" } }
        let notInferred = hints.notInferred.filter { $0.item.hasPrefix("ZIA") || $0.item == "OneAPI base" }.map(\.description)
        return MetadataConnectionHints(
            cloud: cloud.value.name, orgID: orgID, legacyBaseURL: legacy,
            oneAPIBaseURL: hints.oneAPIBase.map { $0.value + "/zia/api/v1" }, evidence: evidence, notInferred: notInferred)
    }
}
