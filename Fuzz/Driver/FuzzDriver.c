#include "FuzzDriver.h"

// Provided by libclang_rt.fuzzer, which -sanitize=fuzzer links in.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int zscim_fuzz_run(int argc, char **argv, zscim_fuzz_callback callback) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
