// lsc — long double accuracy: lsc::log_sigmoid, lsc::sigmoid and lsc::softplus for long double
// (evaluated with the C library: expl, log1pl) against a __float128 reference:
//   e = expq(-|z|), l = log1pq(e)
//   log σ(z) = min(z, 0) - l,  softplus(z) = max(z, 0) + l,  σ(z) = (z < 0 ? e : 1) / (1 + e)
// (113 bits against long double's 64: exact to ~1e-14 ulp of long double).
// Inputs: 10^5 patterns evenly through the x87 80-bit encoding (both signs, every exponent
// field from 0 (subnormals) to 0x7FFE, random significand bits), 10^6 uniform in [-50, 50]
// (stratified), and the special values: ±0, ±inf, ±LDBL_TRUE_MIN, ±LDBL_MIN, ±LDBL_MAX,
// ±1/eps = 2^63 and the thresholds of expl, and a few NaNs.
// The error is measured in ulps of long double at the binade of the reference (subnormal
// spacing below LDBL_MIN). Special values (NaN, ±inf, the sign of zeros) must match exactly,
// and so must the results that are exact for |z| >= 11400 (z, ±0 or 1) and σ(±0) = 0.5.
// Without __float128 (LSC_HAVE_QUADMATH unset), or if long double is not the x87 format, the
// test prints a note and passes.
// Run: lsc_accuracy_long_double_<arch>
// SPDX-License-Identifier: MIT
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <lsc/lsc.hpp>
#include <string>
#include <vector>

#include "lsc_test_util.hpp"

#if LSC_HAVE_QUADMATH
#include <quadmath.h>

namespace {

// ---- Bounds (ulp of long double, 64-bit significand) -----------------------------------
enum Function { log_sigmoid_fn, sigmoid_fn, softplus_fn, num_functions };
struct Bound {
  const char* name;
  double max_ulp;
};
constexpr Bound bounds[num_functions] = {
    {"log_sigmoid (long double, libm)", 4.0},
    {"sigmoid (long double, libm)", 4.0},
    {"softplus (long double, libm)", 4.0},
};
// ----------------------------------------------------------------------------------------

enum Segment { bits_segment, dense_segment, specials_segment, num_segments };
const char* const segment_names[num_segments] = {"bit space (x87 encoding)", "uniform [-50, 50]",
                                                 "special values"};
constexpr std::uint64_t bit_samples = 100'000;
constexpr std::uint64_t dense_samples = 1'000'000;
constexpr long double exact_threshold = 11400.0L;  // e^-11400 < LDBL_TRUE_MIN / 4

using quad = __float128;

// An x87 extended value from its fields (little-endian: significand, then sign|exponent).
long double from_x87(bool negative, std::uint16_t exponent, std::uint64_t fraction63) {
  const std::uint64_t significand = fraction63 | (exponent != 0 ? std::uint64_t(1) << 63 : 0);
  const auto sign_exponent = static_cast<std::uint16_t>((negative ? 0x8000u : 0u) | exponent);
  unsigned char bytes[sizeof(long double)] = {};
  std::memcpy(bytes, &significand, 8);
  std::memcpy(bytes + 8, &sign_exponent, 2);
  long double x;
  std::memcpy(&x, bytes, sizeof x);
  return x;
}

std::vector<long double> inputs(int segment) {
  std::vector<long double> v;
  if (segment == bits_segment) {
    // Sign alternates; the exponent field runs evenly over 0 .. 0x7FFE (0x7FFF is inf/NaN).
    constexpr std::uint64_t half = bit_samples / 2;
    for (std::uint64_t k = 0; k < bit_samples; ++k) {
      const auto exponent = static_cast<std::uint16_t>(((k >> 1) * 0x7FFFull) / half);
      v.push_back(from_x87((k & 1) != 0, exponent, lsc_test::splitmix64(k) >> 1));
    }
  } else if (segment == dense_segment) {
    const long double h = 100.0L / static_cast<long double>(dense_samples);
    for (std::uint64_t j = 0; j < dense_samples; ++j) {
      const long double u =
          static_cast<long double>(lsc_test::splitmix64(j ^ 0xD1B54A32D192ED03ull)) * 0x1p-64L;
      v.push_back(-50.0L + (static_cast<long double>(j) + u) * h);
    }
  } else {
    const long double inf = std::numeric_limits<long double>::infinity();
    const long double inv_eps = 1.0L / std::numeric_limits<long double>::epsilon();  // 2^63
    const long double positive[] = {0.0L,
                                    std::numeric_limits<long double>::denorm_min(),
                                    LDBL_MIN,
                                    std::nextafter(LDBL_MIN, 0.0L),
                                    LDBL_MAX,
                                    inf,
                                    inv_eps,
                                    std::nextafter(inv_eps, 0.0L),
                                    2 * inv_eps,
                                    std::numeric_limits<long double>::epsilon(),
                                    0x1p-33L,
                                    1.0L,
                                    0.693147180559945309417L,
                                    44.3614195558365L,  // e^-z = eps / 2
                                    709.782712893384L,  // log DBL_MAX
                                    745.5L,
                                    11355.137111933024L,  // e^-z = LDBL_MIN
                                    11356.523406294143L,  // log LDBL_MAX
                                    11398.805020936133L,  // e^-z = LDBL_TRUE_MIN
                                    11399.5L,
                                    exact_threshold,
                                    1e4000L};
    for (long double p : positive) {
      v.push_back(p);
      v.push_back(-p);
    }
    v.push_back(std::numeric_limits<long double>::quiet_NaN());
    v.push_back(-std::numeric_limits<long double>::quiet_NaN());
    v.push_back(std::numeric_limits<long double>::signaling_NaN());
  }
  return v;
}

struct Refs {
  quad r[num_functions];
};

Refs quad_refs(long double x) {
  Refs out;
  if (std::isnan(x)) {
    for (quad& r : out.r) r = nanq("");
    return out;
  }
  const quad z = x;
  const quad e = expq(-fabsq(z));
  const quad l = log1pq(e);
  out.r[log_sigmoid_fn] = z < 0 ? z - l : -l;
  out.r[softplus_fn] = z > 0 ? z + l : l;
  out.r[sigmoid_fn] = (z < 0 ? e : quad(1)) / (1 + e);
  return out;
}

// One ulp of long double at the binade of `ref` (subnormal spacing below LDBL_MIN).
quad ulp_at(quad ref) {
  const quad a = fabsq(ref);
  if (a < quad(LDBL_MIN)) return quad(std::numeric_limits<long double>::denorm_min());
  int e = 0;
  frexpq(a, &e);  // a = m 2^e, m in [0.5, 1)
  return ldexpq(quad(1), e - std::numeric_limits<long double>::digits);
}

bool special_ok(long double got, quad ref) {
  if (isnanq(ref) || std::isnan(got)) return isnanq(ref) && std::isnan(got);
  if (isinfq(ref) || std::isinf(got)) return quad(got) == ref;
  if (ref == 0) return got == 0 && std::signbit(got) == (signbitq(ref) != 0);
  if (got == 0) return std::signbit(got) == (signbitq(ref) != 0);
  return true;
}

double ulp_error(long double got, quad ref) {
  if (isnanq(ref) || isinfq(ref) || ref == 0) return 0;
  return static_cast<double>(fabsq(quad(got) - ref) / ulp_at(ref));
}

bool same_value(long double a, long double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

// Exact results: NaN -> NaN; |z| >= 11400 (infinities included): log σ = z or -0,
// σ = +0 or 1, softplus = +0 or z; σ(±0) = 0.5.
bool exact_results(long double z, long double expect[num_functions], bool has[num_functions]) {
  for (int f = 0; f < num_functions; ++f) has[f] = false;
  if (std::isnan(z)) {
    for (int f = 0; f < num_functions; ++f) {
      expect[f] = z;
      has[f] = true;
    }
    return true;
  }
  if (std::fabs(z) >= exact_threshold) {
    expect[log_sigmoid_fn] = z > 0 ? -0.0L : z;
    expect[sigmoid_fn] = z > 0 ? 1.0L : 0.0L;
    expect[softplus_fn] = z > 0 ? z : 0.0L;
    for (int f = 0; f < num_functions; ++f) has[f] = true;
    return true;
  }
  if (z == 0) {
    expect[sigmoid_fn] = 0.5L;
    has[sigmoid_fn] = true;
    return true;
  }
  return false;
}

std::string quad_text(quad x) {
  char buf[64];
  quadmath_snprintf(buf, sizeof buf, "%.36Qg", x);
  return buf;
}

struct Worst {
  double ulp = 0;
  long double z = 0;
  long double got = 0;
  quad ref = 0;
};

}  // namespace

int main() {
  if (std::numeric_limits<long double>::digits != 64 || LDBL_MAX_EXP != 16384) {
    std::printf(
        "lsc long double sweep: SKIPPED (note): long double is not the x87 80-bit format "
        "(%d significand bits); nothing to measure against __float128 here\n",
        std::numeric_limits<long double>::digits);
    return 0;
  }
  const auto start = std::chrono::steady_clock::now();
  Worst worst[num_functions];
  double segment_max[num_segments][num_functions] = {};
  std::uint64_t tested[num_segments] = {};
  std::uint64_t special_mismatches[num_functions] = {};
  long double first_special[num_functions] = {};
  std::uint64_t exact_checked = 0;
  for (int s = 0; s < num_segments; ++s) {
    for (const long double x : inputs(s)) {
      const long double got[num_functions] = {lsc::log_sigmoid(x), lsc::sigmoid(x),
                                              lsc::softplus(x)};
      const Refs ref = quad_refs(x);
      for (int f = 0; f < num_functions; ++f) {
        if (!special_ok(got[f], ref.r[f])) {
          if (special_mismatches[f]++ == 0) first_special[f] = x;
          continue;
        }
        const double err = ulp_error(got[f], ref.r[f]);
        if (err > worst[f].ulp) worst[f] = Worst{err, x, got[f], ref.r[f]};
        if (err > segment_max[s][f]) segment_max[s][f] = err;
      }
      long double expect[num_functions];
      bool has[num_functions];
      if (exact_results(x, expect, has)) {
        ++exact_checked;
        for (int f = 0; f < num_functions; ++f) {
          if (has[f] && !same_value(got[f], expect[f]) && special_mismatches[f]++ == 0) {
            first_special[f] = x;
          }
        }
      }
      ++tested[s];
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf(
      "lsc long double sweep: %llu inputs, %.1f s, variant %s; reference __float128 "
      "(expq, log1pq); ulp of long double (%d-bit significand)\n",
      static_cast<unsigned long long>(tested[0] + tested[1] + tested[2]), seconds,
#ifdef LSC_TEST_ARCH
      LSC_TEST_ARCH,
#else
      "?",
#endif
      std::numeric_limits<long double>::digits);
  std::printf("%-34s %8s %10s  %-30s %-30s %s\n", "function", "bound", "measured", "at z", "got",
              "reference");
  bool ok = true;
  for (int f = 0; f < num_functions; ++f) {
    const Worst& w = worst[f];
    const bool pass = w.ulp <= bounds[f].max_ulp && special_mismatches[f] == 0;
    ok = ok && pass;
    std::printf("%-34s %8.3f %10.4f  %-30La %-30La %s  %s\n", bounds[f].name, bounds[f].max_ulp,
                w.ulp, w.z, w.got, quad_text(w.ref).c_str(), pass ? "ok" : "FAIL");
    std::printf("%-34s special-value mismatches: %llu", "",
                static_cast<unsigned long long>(special_mismatches[f]));
    if (special_mismatches[f]) std::printf(" (first at z = %La)", first_special[f]);
    std::printf("\n");
  }
  std::printf("max error per input set (ulp):\n  %-26s %12s %12s %12s %12s\n", "", "log_sigmoid",
              "sigmoid", "softplus", "inputs");
  for (int s = 0; s < num_segments; ++s) {
    std::printf("  %-26s %12.4f %12.4f %12.4f %12llu\n", segment_names[s], segment_max[s][0],
                segment_max[s][1], segment_max[s][2], static_cast<unsigned long long>(tested[s]));
  }
  std::printf("exact results (NaN; |z| >= %.0Lf; sigma(0)) checked on %llu inputs\n",
              exact_threshold, static_cast<unsigned long long>(exact_checked));
  std::printf("%s\n", ok ? "PASSED" : "FAILED");
  return ok ? 0 : 1;
}

#else  // !LSC_HAVE_QUADMATH

int main() {
  std::printf(
      "lsc long double sweep: SKIPPED (note): no __float128 reference (quadmath not "
      "available, LSC_HAVE_QUADMATH unset); long double accuracy not measured\n");
  return 0;
}

#endif
