// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
//
// How lsc reports bad input. Parameters and shapes are checked once, at the API boundary,
// before any output is written, so on error the caller's outputs are untouched.
//   * With exceptions enabled (the default): std::invalid_argument, whose what() names the
//     function, the argument and the shapes involved.
//   * Built with -fno-exceptions: the same message is written to stderr and std::abort()
//     is called. Define LSC_ERROR_HANDLER(message) (a function-like macro taking a
//     `const char*`) before including lsc to route it elsewhere; it must not return.
// Element-wise math never reports errors: it follows IEEE rules (NaN in, NaN out).
#ifndef LSC_ERROR_HPP
#define LSC_ERROR_HPP

#include <Eigen/Core>

#include <string>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#include <stdexcept>
#define LSC_HAS_EXCEPTIONS 1
#else
#include <cstdio>
#include <cstdlib>
#define LSC_HAS_EXCEPTIONS 0
#endif

namespace lsc {
namespace detail {

[[noreturn]] inline void fail(const std::string& message) {
#if defined(LSC_ERROR_HANDLER)
  LSC_ERROR_HANDLER(message.c_str());
  std::abort();
#elif LSC_HAS_EXCEPTIONS
  throw std::invalid_argument(message);
#else
  std::fprintf(stderr, "%s\n", message.c_str());
  std::abort();
#endif
}

inline std::string shape(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

template <class Derived>
std::string shape(const Eigen::EigenBase<Derived>& x) {
  return shape(x.rows(), x.cols());
}

// Reports "lsc::f: argument 'name' <problem>". Call it only once a check has failed, so
// that the message (and its allocation) is built on the error path alone.
[[noreturn]] inline void bad_argument(const char* function, const char* argument,
                                      const std::string& problem) {
  fail(std::string(function) + ": argument '" + argument + "' " + problem);
}

}  // namespace detail
}  // namespace lsc

#endif  // LSC_ERROR_HPP
