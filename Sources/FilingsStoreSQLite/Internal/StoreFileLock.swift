import FilingsCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a store's file for one open store: a second store on the same file, in this process or
/// another, fails to open instead of writing beside the first (the store keeps state about the file in memory,
/// ``SizeFloors``). The lock is on a file beside the database, `PATH-lock`, which stays after it is released; it is
/// released when the store closes or the process ends, however it ends.
///
/// Between processes it is a POSIX record lock (`fcntl`), which belongs to the process that takes it: a child the
/// process starts does not inherit it. (`flock` does not fit: its lock belongs to the open file description, which a
/// child being spawned shares until it runs its program, so a store closed at that moment stayed locked.) A process
/// releases its record locks on a file when it closes any descriptor of that file, so within the process a table of
/// the lock files held refuses a second store before it opens the file.
final class StoreFileLock: Sendable {
    /// A file, whatever the path that names it.
    private struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    /// The lock files this process holds.
    private static let held = Lock<Set<FileID>>([])

    private let descriptor: Int32
    private let file: FileID

    /// Takes the lock of the database at `path`, or throws a message saying why it cannot.
    init(databasePath path: String) throws(StoreFileLockError) {
        let lockPath = path + "-lock"
        let busy = StoreFileLockError(
            message: "\(path) is open in another store (another server, or this process); "
                + "a SQLite store is served by one process at a time"
        )
        (descriptor, file) = try Self.held.withLock { held throws(StoreFileLockError) in
            var status = stat()
            if stat(lockPath, &status) == 0, held.contains(FileID(status)) { throw busy }
            let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw StoreFileLockError(message: "cannot open \(lockPath): \(String(cString: strerror(errno)))")
            }
            guard fstat(descriptor, &status) == 0 else {
                let reason = errno
                close(descriptor)
                throw StoreFileLockError(message: "cannot read \(lockPath): \(String(cString: strerror(reason)))")
            }
            let file = FileID(status)
            // Only when the path was pointed at another held lock file between stat and open: closing this
            // descriptor would release that file's lock, so it stays open.
            if held.contains(file) { throw busy }
            var request = flock()
            request.l_type = Int16(F_WRLCK)
            request.l_whence = Int16(SEEK_SET)
            request.l_start = 0
            request.l_len = 0  // the whole file
            guard fcntl(descriptor, F_SETLK, &request) == 0 else {
                let reason = errno
                close(descriptor)  // no lock of this process is on the file: the table says so
                throw reason == EACCES || reason == EAGAIN
                    ? busy
                    : StoreFileLockError(message: "cannot lock \(lockPath): \(String(cString: strerror(reason)))")
            }
            held.insert(file)
            return (descriptor, file)
        }
    }

    deinit {
        Self.held.withLock { [descriptor, file] held in
            close(descriptor)
            held.remove(file)
        }
    }
}

struct StoreFileLockError: Error {
    var message: String
}
