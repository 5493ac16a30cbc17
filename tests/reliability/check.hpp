// lsc — a minimal check macro for the reliability programs. SPDX-License-Identifier: MIT
//
// These programs cannot use Catch2: some are built with -fno-exceptions, one replaces the
// global operator new (Catch2 allocates inside its assertions), one runs under ThreadSanitizer.
#ifndef LSC_RELIABILITY_CHECK_HPP
#define LSC_RELIABILITY_CHECK_HPP

#include <cstdio>

namespace lsc_reliability {
inline int& failures() {
  static int count = 0;
  return count;
}
}  // namespace lsc_reliability

#define LSC_CHECK(condition, ...)                                                        \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #condition); \
      std::fprintf(stderr, __VA_ARGS__);                                                 \
      std::fprintf(stderr, "\n");                                                        \
      ++::lsc_reliability::failures();                                                   \
    }                                                                                    \
  } while (0)

#endif  // LSC_RELIABILITY_CHECK_HPP
