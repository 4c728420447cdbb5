// Whether this test executable is built with AddressSanitizer (the dev preset: Debug, ASan + UBSan).
// Not a way to skip tests: only a floor that an unoptimised, instrumented build cannot promise reads it.
#pragma once

namespace tt::testing {

#if defined(__SANITIZE_ADDRESS__)  // GCC
inline constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)  // Clang
inline constexpr bool kUnderSanitizer = true;
#else
inline constexpr bool kUnderSanitizer = false;
#endif
#else
inline constexpr bool kUnderSanitizer = false;
#endif

}  // namespace tt::testing
