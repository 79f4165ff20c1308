import FilingsFuzzChecks
import FuzzDriver

runFuzzer { data, size in
    FuzzChecks.messages(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
