// lsc — ODR check, second translation unit (holds main). SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

#include <cstdio>

double lsc_odr_a(double z);
float lsc_odr_a_float(float z);

int main() {
  // Same function, two TUs, one program: the results must be identical.
  const double a = lsc_odr_a(0.25);
  const double b = lsc::log_sigmoid(0.25);
  const float af = lsc_odr_a_float(-3.0f);
  const float bf = lsc::log_sigmoid(-3.0f);
  if (!(a == b) || !(af == bf)) {
    std::fprintf(stderr, "ODR check: TUs disagree: %.17g vs %.17g, %.9g vs %.9g\n", a, b,
                 static_cast<double>(af), static_cast<double>(bf));
    return 1;
  }
  std::printf("ODR check: two TUs including <lsc/lsc.hpp> link and agree\n");
  return 0;
}
