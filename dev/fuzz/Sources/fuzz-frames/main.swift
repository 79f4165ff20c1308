import FilingsFuzzChecks
import FuzzDriver

runFuzzer { data, size in
    FuzzChecks.frames(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
