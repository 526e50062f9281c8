#ifndef ZSCIM_FUZZ_DRIVER_H
#define ZSCIM_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's per-input callback (the signature of LLVMFuzzerTestOneInput).
typedef int (*zscim_fuzz_callback)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver (command line, corpus, mutations) with `callback` as the target.
///
/// SwiftPM links an executable target with `main` renamed to `<Module>_main`, which keeps
/// libFuzzer's own `main` out; each fuzz target defines `<Module>_main` and calls this instead.
int zscim_fuzz_run(int argc, char **argv, zscim_fuzz_callback callback);

#endif
