#include "kernel.hpp"

#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/echo.hpp"

namespace attn {

namespace {

bool cpu_has_avx2() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool cpu_has_avx512() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx512f");
#else
  return false;
#endif
}

}  // namespace

const char* kernel_name(Kernel kernel) {
  switch (kernel) {
    case Kernel::avx2: return "avx2";
    case Kernel::avx512: return "avx512";
    case Kernel::generic: break;
  }
  return "generic";
}

bool kernel_supported(Kernel kernel) {
  switch (kernel) {
    case Kernel::avx2: return cpu_has_avx2();
    case Kernel::avx512: return cpu_has_avx512();
    case Kernel::generic: break;
  }
  return true;
}

Kernel choose_kernel(const char* value, bool has_avx2, bool has_avx512) {
  const std::string v = value ? value : "";
  if (v.empty()) return has_avx512 ? Kernel::avx512 : has_avx2 ? Kernel::avx2 : Kernel::generic;
  const std::string can = fmt::format("generic{}{}", has_avx2 ? ", avx2" : "", has_avx512 ? ", avx512" : "");
  if (v == "generic") return Kernel::generic;
  if (v == "avx2" && has_avx2) return Kernel::avx2;
  if (v == "avx512" && has_avx512) return Kernel::avx512;
  if (v == "avx2" || v == "avx512") {
    throw UsageError(fmt::format("ATTN_KERNEL={}: this processor lacks {}; it can run {}", v,
                                 v == "avx2" ? "AVX2 and FMA" : "AVX-512F", can));
  }
  throw UsageError(fmt::format("ATTN_KERNEL=\"{}\" is not a kernel: expected generic, avx2 or avx512 (or unset: the best "
                               "this processor has)",
                               printable(v)));
}

Kernel active_kernel() {
  static const Kernel chosen = choose_kernel(std::getenv("ATTN_KERNEL"), cpu_has_avx2(), cpu_has_avx512());
  return chosen;
}

}  // namespace attn
