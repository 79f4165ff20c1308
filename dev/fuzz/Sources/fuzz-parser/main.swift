import FilingsFuzzChecks
import FuzzDriver

runFuzzer { data, size in
    FuzzChecks.parser(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
