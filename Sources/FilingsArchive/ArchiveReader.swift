internal import CArchive

/// One file read from an archive.
public struct ArchiveMember: Sendable {
    /// What the member holds: its bytes, or why they were not read.
    public enum Content: Sendable {
        case bytes([UInt8])
        /// The member was passed over (too large to hold in memory); the reason is for people.
        case skipped(reason: String)
    }

    /// The member's path inside the archive, as the archive writes it (`2024/0000950170-24-000001.nc`).
    public var path: String
    public var content: Content
}

/// Why an archive could not be opened or read further.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for people; names the archive's library's reason.
    public var message: String

    public var description: String { message }
}

/// The regular files of a tar (plain, gzip, bzip2 or xz), zip or gzip file, one at a time, streamed from the
/// file without unpacking it to disk. Directories, links and devices are passed over.
///
///     let reader = try ArchiveReader(path: "20240102.nc.tar.gz")
///     while let member = try reader.next() { ... }
///
/// A reader is used by one task at a time.
public final class ArchiveReader {
    /// How an input file is read.
    public enum Kind: Sendable, Equatable {
        /// A container of members: tar (with any compression) or zip.
        case archive
        /// One gzip-compressed file, whose single member is named after it without `.gz`.
        case gzip
    }

    /// The kind of archive `path` names by its extension, or nil for a file that is not an archive.
    public static func kind(ofPath path: String) -> Kind? {
        let name = path.lowercased()
        let archives = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip"]
        if archives.contains(where: name.hasSuffix) { return .archive }
        if name.hasSuffix(".gz") { return .gzip }
        return nil
    }

    /// Members larger than this are passed over (``ArchiveMember/Content/skipped(reason:)``), not read.
    public let maximumMemberSize: Int

    private let handle: OpaquePointer
    private let kind: Kind
    private let gzipMemberName: String
    private var finished = false

    /// Opens `path`; `kind` defaults to the one its extension names (``kind(ofPath:)``), else a container.
    public init(path: String, kind: Kind? = nil, maximumMemberSize: Int = 256 << 20) throws(ArchiveError) {
        guard let handle = archive_read_new() else { throw ArchiveError(message: "cannot allocate a reader") }
        self.handle = handle
        self.kind = kind ?? Self.kind(ofPath: path) ?? .archive
        self.maximumMemberSize = maximumMemberSize
        let base = path.split(separator: "/").last.map(String.init) ?? path
        gzipMemberName = base.lowercased().hasSuffix(".gz") ? String(base.dropLast(3)) : base
        archive_read_support_filter_all(handle)
        switch self.kind {
        case .archive:
            archive_read_support_format_tar(handle)
            archive_read_support_format_gnutar(handle)
            archive_read_support_format_zip(handle)
        case .gzip:
            archive_read_support_format_raw(handle)
        }
        guard archive_read_open_filename(handle, path, 1 << 16) == ARCHIVE_OK else {
            // Every stored property is set: deinit runs and frees the handle.
            let reason = Self.reason(handle)
            throw ArchiveError(message: "cannot open it as \(self.kind == .gzip ? "gzip" : "an archive"): \(reason)")
        }
    }

    deinit {
        archive_read_free(handle)
    }

    /// The next regular file, or nil at the end; throws when the archive is corrupt or truncated, after which
    /// the reader is finished (the members returned before are whole).
    public func next() throws(ArchiveError) -> ArchiveMember? {
        while !finished {
            var entry: OpaquePointer?
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF {
                finished = true
                return nil
            }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else { throw fail("reading a header") }
            let path: String
            if kind == .gzip {
                path = gzipMemberName
            } else {
                guard archive_entry_filetype(entry) == 0o100_000 else { continue }  // AE_IFREG: regular files only
                path =
                    archive_entry_pathname_utf8(entry).map { String(cString: $0) }
                    ?? archive_entry_pathname(entry).map { String(cString: $0) } ?? "?"
            }
            let size = archive_entry_size_is_set(entry) != 0 ? Int(archive_entry_size(entry)) : nil
            if let size, size > maximumMemberSize {
                guard archive_read_data_skip(handle) == ARCHIVE_OK else { throw fail("skipping \(path)") }
                return ArchiveMember(path: path, content: .skipped(reason: tooLarge(size)))
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(size ?? 1 << 16)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
                if count == 0 { break }
                guard count > 0 else { throw fail("reading \(path)") }
                bytes.append(contentsOf: buffer[0..<count])
                if bytes.count > maximumMemberSize {
                    guard archive_read_data_skip(handle) == ARCHIVE_OK else { throw fail("skipping \(path)") }
                    return ArchiveMember(path: path, content: .skipped(reason: tooLarge(nil)))
                }
            }
            return ArchiveMember(path: path, content: .bytes(bytes))
        }
        return nil
    }

    private func fail(_ doing: String) -> ArchiveError {
        finished = true
        return ArchiveError(message: "the archive is corrupt or truncated (\(doing)): \(Self.reason(handle))")
    }

    private func tooLarge(_ size: Int?) -> String {
        guard let size else { return "it is larger than the \(maximumMemberSize) bytes a member may have" }
        return "it has \(size) bytes, over the \(maximumMemberSize) a member may have"
    }

    private static func reason(_ handle: OpaquePointer) -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
    }
}
