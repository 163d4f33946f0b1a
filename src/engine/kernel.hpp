// kernel.hpp: which of linear()'s three paths runs, chosen by what the processor can do.
//
// Three paths compute the same sums (linear.hpp): `generic` in plain C++ (std::fma),
// `avx2` with AVX2 and FMA instructions, `avx512` with AVX-512F. The choice goes by CPU
// *feature* (never by model name), so every processor that has AVX2 and FMA runs the
// AVX2 path. All three give the same bits: each output is one chain of fused
// multiply-adds over k ascending, whatever the path.
// ATTN_KERNEL=generic|avx2|avx512 in the environment forces a path; unset or empty,
// the best the processor has runs.
#pragma once

namespace attn {

enum class Kernel { generic, avx2, avx512 };

// "generic", "avx2" or "avx512".
const char* kernel_name(Kernel kernel);

// Whether this processor can run the path (generic always).
bool kernel_supported(Kernel kernel);

// The path a value of ATTN_KERNEL names (null or empty: the best supported, avx512 before
// avx2 before generic), given what the processor supports.
// REQUIRES: nothing; throws UsageError for a value that names no path or a path
// the processor lacks, naming the value and the paths it can run.
Kernel choose_kernel(const char* value, bool has_avx2, bool has_avx512);

// choose_kernel(getenv("ATTN_KERNEL"), this processor), decided once.
// REQUIRES: nothing; throws as choose_kernel.
Kernel active_kernel();

}  // namespace attn
