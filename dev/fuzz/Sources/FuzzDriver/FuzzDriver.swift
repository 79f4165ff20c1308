internal import CFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// Hands `check` to libFuzzer with the process's arguments (corpus directories, -max_total_time=…) and exits with
/// libFuzzer's status. `check` gets each input; a crash or a failed precondition in it is a finding.
public func runFuzzer(_ check: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, check))
}
