public import Foundation

/// The dev corpus in `../shared`, when it is beside the repository.
public enum DevCorpus {
    /// Its documents' folder, or nil when `../shared` is not beside the repository.
    public static let directory: URL? = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let docs = url.deletingLastPathComponent().appendingPathComponent("shared/corpus/dev/docs")
        return FileManager.default.fileExists(atPath: docs.path) ? docs : nil
    }()

    /// Its documents, sorted by name; none when it is absent.
    public static var files: [URL] {
        guard let directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }
}
