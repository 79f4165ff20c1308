import FilingsCore
import Foundation

/// Starts `body` on a new thread named `name`.
package func startThread(name: String, stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread {
        nameThisThread(name)
        body()
    }
    thread.name = name
    thread.stackSize = stackSize
    thread.start()
}
