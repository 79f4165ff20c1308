import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts `body` on a new thread named `name`, in Foundation and where the operating system shows it (`top -H`,
/// `perf`, `/proc/PID/task/*/comm`; Linux keeps at most 15 bytes of it).
package func startThread(name: String, stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread {
        nameThisThread(name)
        body()
    }
    thread.name = name
    thread.stackSize = stackSize
    thread.start()
}

/// Foundation's `Thread.name` does not reach the operating system on Linux.
private func nameThisThread(_ name: String) {
    #if os(Linux)
    // Glibc's pthread_setname_np is not visible to Swift; a thread may write its own comm (proc(5)).
    let file = open("/proc/thread-self/comm", O_WRONLY)
    guard file >= 0 else { return }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
    close(file)
    #elseif canImport(Darwin)
    _ = pthread_setname_np(name)
    #endif
}
