public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Archives built for a test by the tools people make them with (GNU tar, gzip, Python's zipfile), so that the
/// reader is checked against archives it did not write.
public enum TestArchive {
    public enum Format: String, CaseIterable, Sendable, CustomStringConvertible {
        case tar, tarGzip = "tar.gz", zip
        public var description: String { rawValue }
    }

    /// Writes `files` (paths with folders, in order) under a new folder of `directory`, archives them as
    /// `name.<format>` in `directory`, and returns the archive's path. Directory entries go in the archive too.
    public static func make(
        _ format: Format,
        name: String,
        files: [(path: String, bytes: [UInt8])],
        in directory: URL
    ) throws -> String {
        let root = directory.appendingPathComponent("\(name)-\(format.rawValue)-content")
        for file in files {
            let url = root.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(file.bytes).write(to: url)
        }
        let archive = directory.appendingPathComponent("\(name).\(format.rawValue)").path
        let paths = files.map(\.path)
        switch format {
        case .tar:
            try run("/usr/bin/tar", ["-cf", archive, "-C", root.path] + paths)
        case .tarGzip:
            try run("/usr/bin/tar", ["-czf", archive, "-C", root.path] + paths)
        case .zip:
            let script = """
                import sys, zipfile
                with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                    z.writestr(zipfile.ZipInfo("folder/"), b"")
                    for path in sys.argv[3:]:
                        z.write(sys.argv[2] + "/" + path, path)
                """
            try run("/usr/bin/env", ["python3", "-c", script, archive, root.path] + paths)
        }
        return archive
    }

    /// `bytes` compressed by gzip into `directory/name`.
    public static func gzip(_ bytes: [UInt8], name: String, in directory: URL) throws -> String {
        let plain = directory.appendingPathComponent(String(name.dropLast(3)))
        try Data(bytes).write(to: plain)
        try run("/usr/bin/gzip", ["-f", plain.path])
        return directory.appendingPathComponent(name).path
    }

    /// Cuts the file at `path` to `fraction` of its length.
    public static func truncate(_ path: String, to fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }

    /// `count` bytes that do not compress, fixed by `seed`.
    public static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    /// Runs `tool` and waits for it, its output discarded.
    private static func run(_ tool: String, _ arguments: [String]) throws {
        let termination = try ChildProcess(tool, arguments).wait()
        guard termination == .exited(0) else {
            throw ProcessTestError(
                description: "\(tool) \(arguments.prefix(3).joined(separator: " ")) failed: \(termination)"
            )
        }
    }
}
