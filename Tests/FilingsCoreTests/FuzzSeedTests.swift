import FilingsFuzzChecks
import Foundation
import Testing

/// The fuzzers' properties hold on every committed seed (dev/fuzz/corpus), so a seed that would fail is caught
/// before anyone fuzzes.
@Suite struct FuzzSeedTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("dev/fuzz/corpus")

    @Test(arguments: ["fuzz-frames", "fuzz-messages", "fuzz-parser", "fuzz-search"])
    func seedsPassTheirChecks(target: String) throws {
        let directory = Self.corpus.appendingPathComponent(target)
        let seeds = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(seeds.count >= 4, "\(target) has \(seeds.count) seeds")
        let check: (UnsafeRawBufferPointer) -> Void =
            switch target {
            case "fuzz-frames": FuzzChecks.frames
            case "fuzz-messages": FuzzChecks.messages
            case "fuzz-parser": FuzzChecks.parser
            default: FuzzChecks.search
            }
        for seed in seeds {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(seed)))
            bytes.withUnsafeBytes { check($0) }
        }
    }
}
