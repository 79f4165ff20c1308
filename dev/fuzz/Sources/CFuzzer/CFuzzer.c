// The declaration in include/CFuzzer.h is defined by libFuzzer (linked with -sanitize=fuzzer).
