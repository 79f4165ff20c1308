#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a store's file for one open store: a second store on the same file, in this process or
/// another, fails to open instead of writing beside the first (the store keeps state about the file in memory,
/// ``SizeFloors``). The lock is `flock` on a file beside the database, `PATH-lock`, which stays after it is released;
/// the operating system releases it when the store closes or the process ends, however it ends.
final class StoreFileLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of the database at `path`, or throws a message saying why it cannot.
    init(databasePath path: String) throws(StoreFileLockError) {
        let lockPath = path + "-lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreFileLockError(message: "cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            throw StoreFileLockError(
                message: reason == EWOULDBLOCK
                    ? "\(path) is open in another store (another server, or this process); "
                        + "a SQLite store is served by one process at a time"
                    : "cannot lock \(lockPath): \(String(cString: strerror(reason)))"
            )
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}

struct StoreFileLockError: Error {
    var message: String
}
