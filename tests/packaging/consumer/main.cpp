// lsc — packaging test consumer: built against an installed lsc (find_package) and against
// the source tree (add_subdirectory). Exits nonzero if lsc::log_sigmoid(0) != -log 2.
// SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

#include <cmath>
#include <cstdio>

int main() {
  const double got = lsc::log_sigmoid(0.0);
  const double want = -std::log(2.0);
  if (!(std::fabs(got - want) <= 1e-15)) {
    std::fprintf(stderr, "lsc::log_sigmoid(0.0) = %.17g, expected %.17g\n", got, want);
    return 1;
  }
  std::printf("lsc::log_sigmoid(0.0) = %.17g (ok)\n", got);
  return 0;
}
