import FilingsFuzzChecks
import FuzzDriver

runFuzzer { data, size in
    FuzzChecks.search(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
