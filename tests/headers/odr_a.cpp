// lsc — ODR check, first translation unit. Both TUs include the umbrella header and
// instantiate the same functions; linking them into one program fails if any header
// defines a non-inline function or variable. SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

double lsc_odr_a(double z) { return lsc::log_sigmoid(z); }
float lsc_odr_a_float(float z) { return lsc::log_sigmoid(z); }
