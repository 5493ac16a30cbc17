// lsc — element-wise math (math.hpp): special values, the properties of METHOD.md, and a
// quick accuracy check against long double (the full sweeps are in tests/accuracy/).
// SPDX-License-Identifier: MIT
#include <lsc/math.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "lsc_test.hpp"
#include "lsc_test_util.hpp"

using lsc_test::ln2;
using lsc_test::ulp_at;
using lsc_test::ulp_error;

namespace {

// Tolerances, in ulps of the type under test. Derived from the 2-ulp contract of math.hpp:
//   symmetry LS(z) - LS(-z) = z: both terms within 2 ulp of values of magnitude at most
//     |z| + log 2 <= 2 max(|z|, log 2), so |error| <= 2 * 2 + 2 = 6 ulp of max(|z|, log 2)
//     (long double: C library accuracy plus one rounding of the difference, same budget);
//   accuracy vs long double reference (float, double): the contract, 2 ulp.
template <class T>
struct tolerance {
  static constexpr long double symmetry_ulps = 6;
  static constexpr long double accuracy_ulps = 2;
  static constexpr long double sandwich_ulps = 1;  // rounding of min(z, 0) - log 2 itself
};

template <class T>
T inf() {
  return std::numeric_limits<T>::infinity();
}
template <class T>
T qnan() {
  return std::numeric_limits<T>::quiet_NaN();
}

template <class T>
std::vector<T> scan(T start, int count) {  // `count` consecutive values of T from `start`
  std::vector<T> v;
  v.reserve(static_cast<std::size_t>(count));
  T x = start;
  for (int i = 0; i < count; ++i) {
    v.push_back(x);
    x = std::nextafter(x, inf<T>());
  }
  return v;
}

}  // namespace

TEMPLATE_TEST_CASE("special values are exact", "[math][special]", float, double, long double) {
  using T = TestType;
  const T minus_log2 = static_cast<T>(-ln2);
  const T log2 = static_cast<T>(ln2);

  SECTION("log_sigmoid") {
    CHECK(lsc::log_sigmoid(T(0)) == minus_log2);
    CHECK(lsc::log_sigmoid(-T(0)) == minus_log2);
    const T at_inf = lsc::log_sigmoid(inf<T>());
    CHECK(at_inf == T(0));
    CHECK(std::signbit(at_inf));  // -0: the true value is negative
    CHECK(lsc::log_sigmoid(-inf<T>()) == -inf<T>());
    CHECK(std::isnan(lsc::log_sigmoid(qnan<T>())));
    CHECK(std::isnan(lsc::log_sigmoid(-qnan<T>())));
  }
  SECTION("softplus") {
    CHECK(lsc::softplus(T(0)) == log2);
    CHECK(lsc::softplus(-T(0)) == log2);
    CHECK(lsc::softplus(inf<T>()) == inf<T>());
    const T at_minus_inf = lsc::softplus(-inf<T>());
    CHECK(at_minus_inf == T(0));
    CHECK_FALSE(std::signbit(at_minus_inf));
    CHECK(std::isnan(lsc::softplus(qnan<T>())));
  }
  SECTION("sigmoid") {
    CHECK(lsc::sigmoid(T(0)) == T(0.5));
    CHECK(lsc::sigmoid(-T(0)) == T(0.5));
    CHECK(lsc::sigmoid(inf<T>()) == T(1));
    const T at_minus_inf = lsc::sigmoid(-inf<T>());
    CHECK(at_minus_inf == T(0));
    CHECK_FALSE(std::signbit(at_minus_inf));
    CHECK(std::isnan(lsc::sigmoid(qnan<T>())));
  }
  SECTION("log_sigmoid_derivative") {
    CHECK(lsc::log_sigmoid_derivative(T(0)) == T(0.5));
    CHECK(lsc::log_sigmoid_derivative(inf<T>()) == T(0));
    CHECK(lsc::log_sigmoid_derivative(-inf<T>()) == T(1));
    CHECK(std::isnan(lsc::log_sigmoid_derivative(qnan<T>())));
  }
  SECTION("far tails: LS(-1000) = -1000, LS(1000) = -0, never NaN") {
    CHECK(lsc::log_sigmoid(T(-1000)) == T(-1000));
    const T far = lsc::log_sigmoid(T(1000));
    CHECK(std::signbit(far));
    CHECK(lsc::sigmoid(T(1000)) == T(1));
    if constexpr (std::is_same<T, long double>::value) {
      // e^-1000 = 5.08e-435 is a normal long double: LS(1000) = -e^-1000, not -0.
      CHECK(std::fabs(far + std::exp(-1000.0L)) <= 4 * ulp_at<T>(std::exp(-1000.0L)));
      CHECK(std::signbit(lsc::log_sigmoid(T(20000))));
      CHECK(lsc::log_sigmoid(T(20000)) == T(0));
    } else {
      CHECK(far == T(0));
      CHECK(lsc::sigmoid(T(-1000)) == T(0));
    }
    CHECK(lsc::softplus(T(1000)) == T(1000));
  }
  SECTION("no overflow at +-max, +-min, +-denorm_min") {
    const T mx = std::numeric_limits<T>::max();
    CHECK(lsc::log_sigmoid(-mx) == -mx);
    CHECK(lsc::log_sigmoid(mx) == T(0));
    CHECK(std::signbit(lsc::log_sigmoid(mx)));
    CHECK(lsc::softplus(mx) == mx);
    CHECK(lsc::softplus(-mx) == T(0));
    CHECK(lsc::sigmoid(mx) == T(1));
    CHECK(lsc::sigmoid(-mx) == T(0));
    for (T tiny : {std::numeric_limits<T>::min(), std::numeric_limits<T>::denorm_min()}) {
      CHECK(lsc::log_sigmoid(tiny) == minus_log2);
      CHECK(lsc::log_sigmoid(-tiny) == minus_log2);
      CHECK(lsc::sigmoid(tiny) == T(0.5));
      CHECK(lsc::sigmoid(-tiny) == T(0.5));
    }
  }
}

TEMPLATE_TEST_CASE("subnormal results (gradual underflow)", "[math][subnormal]", float, double) {
  using T = TestType;
  // z such that e^-z is well inside T's subnormal range.
  const T z = std::is_same<T, float>::value ? T(100) : T(720);
  const long double tiny = std::exp(-static_cast<long double>(z));
  REQUIRE(tiny < static_cast<long double>(std::numeric_limits<T>::min()));

  const T ls = lsc::log_sigmoid(z);  // -e^-z
  CHECK(std::fpclassify(ls) == FP_SUBNORMAL);
  CHECK(ls < T(0));
  CHECK(ulp_error(ls, lsc_test::log_sigmoid_ref(z)) <= tolerance<T>::accuracy_ulps);

  const T s = lsc::sigmoid(-z);  // e^-z / (1 + e^-z)
  CHECK(std::fpclassify(s) == FP_SUBNORMAL);
  CHECK(ulp_error(s, lsc_test::sigmoid_ref(-z)) <= tolerance<T>::accuracy_ulps);

  const T sp = lsc::softplus(-z);  // e^-z
  CHECK(std::fpclassify(sp) == FP_SUBNORMAL);
  CHECK(ulp_error(sp, -lsc_test::log_sigmoid_ref(z)) <= tolerance<T>::accuracy_ulps);
}

TEMPLATE_TEST_CASE("METHOD.md properties on random and bit-pattern inputs", "[math][properties]",
                   float, double, long double) {
  using T = TestType;
  const std::vector<T> inputs = lsc_test::random_inputs<T>(20000, 0x15c0001);
  long double worst_symmetry = 0;
  long double worst_accuracy = 0;
  long double worst_sigmoid = 0;
  for (const T z : inputs) {
    const T ls = lsc::log_sigmoid(z);
    const T ls_neg = lsc::log_sigmoid(-z);
    INFO("z = " << static_cast<double>(z));
    REQUIRE(std::isfinite(ls));
    REQUIRE(ls <= T(0));

    // LS(z) - LS(-z) = z, to 6 ulp of max(|z|, log 2).
    const long double diff = static_cast<long double>(ls) - static_cast<long double>(ls_neg);
    const long double scale = std::max(std::fabs(static_cast<long double>(z)), ln2);
    const long double sym = std::fabs(diff - static_cast<long double>(z)) / ulp_at<T>(scale);
    worst_symmetry = std::max(worst_symmetry, sym);
    CHECK(sym <= tolerance<T>::symmetry_ulps);

    // Hinge sandwich: min(z, 0) - log 2 <= LS(z) <= min(z, 0). The upper bound is exact
    // (LS = -(l - min(z, 0)) with l >= 0); the lower bound up to the rounding of its own
    // value in T.
    const T hinge = std::min(z, T(0));
    CHECK(ls <= hinge);
    const long double lower = static_cast<long double>(hinge) - ln2;
    CHECK(static_cast<long double>(ls) >= lower - tolerance<T>::sandwich_ulps * ulp_at<T>(lower));

    // Definitions: softplus(z) = -LS(-z), LS'(z) = σ(-z), bit for bit.
    CHECK(lsc_test::same_value(lsc::softplus(z), static_cast<T>(-ls_neg)));
    CHECK(lsc_test::same_value(lsc::log_sigmoid_derivative(z), lsc::sigmoid(-z)));

    const T s = lsc::sigmoid(z);
    CHECK(s >= T(0));
    CHECK(s <= T(1));

    if constexpr (!std::is_same<T, long double>::value) {
      const long double e = ulp_error(ls, lsc_test::log_sigmoid_ref(z));
      worst_accuracy = std::max(worst_accuracy, e);
      CHECK(e <= tolerance<T>::accuracy_ulps);
      const long double es = ulp_error(s, lsc_test::sigmoid_ref(z));
      worst_sigmoid = std::max(worst_sigmoid, es);
      CHECK(es <= tolerance<T>::accuracy_ulps);
    }
  }
  // LS(z) = log(σ(z)): σ has 2 ulp relative error, so the log of it is within about 2 eps
  // absolute (checked with 8 eps).
  for (const T z : {T(-30), T(-3), T(-0.5), T(0.25), T(2), T(7)}) {
    const long double via_sigmoid = std::log(static_cast<long double>(lsc::sigmoid(z)));
    const long double eps = static_cast<long double>(std::numeric_limits<T>::epsilon());
    CHECK(std::fabs(via_sigmoid - static_cast<long double>(lsc::log_sigmoid(z))) <=
          8 * eps * std::max(1.0L, std::fabs(via_sigmoid)));
  }
  WARN("max |LS(z) - LS(-z) - z| = "
       << static_cast<double>(worst_symmetry) << " ulp; LS vs long double "
       << static_cast<double>(worst_accuracy) << " ulp; sigmoid "
       << static_cast<double>(worst_sigmoid) << " ulp (" << inputs.size() << " inputs)");
}

namespace {
// Monotonicity of a faithfully (not correctly) rounded function holds up to its error: if
// |f^ - f| <= B ulp and f(a) <= f(b), then f^(b) >= f^(a) - 2B ulp. A drop of 1 ulp between
// neighbouring inputs is therefore expected (the math is not correctly rounded); anything
// larger than 2B is a bug. Counts and the largest drop are reported.
struct monotone_report {
  long double max_drop_ulps = 0;
  long long drops = 0;
  long long pairs = 0;
};

template <class T, class F>
void check_monotone(const std::vector<T>& zs, F f, const char* name, monotone_report& report) {
  for (std::size_t i = 1; i < zs.size(); ++i) {
    const T a = f(zs[i - 1]), b = f(zs[i]);
    ++report.pairs;
    if (b >= a) continue;
    ++report.drops;
    const long double drop = (static_cast<long double>(a) - static_cast<long double>(b)) /
                             ulp_at<T>(static_cast<long double>(a));
    report.max_drop_ulps = std::max(report.max_drop_ulps, drop);
    if (drop > 2 * tolerance<T>::accuracy_ulps) {
      FAIL_CHECK(name << " drops by " << static_cast<double>(drop) << " ulp between "
                      << static_cast<double>(zs[i - 1]) << " and " << static_cast<double>(zs[i]));
    }
  }
}
}  // namespace

TEMPLATE_TEST_CASE("monotone non-decreasing over consecutive values", "[math][monotone]", float,
                   double, long double) {
  using T = TestType;
  const T eps = std::numeric_limits<T>::epsilon();
  // Starting points: around 0, where the reductions switch (|z| near ln 2 / 2, sqrt2 - 1),
  // the -1/eps boundary where LS(z) becomes z, and the underflow of e^-|z|.
  const T starts[] = {
      -T(0.001), T(-1e-30), T(0.3),   T(0.4142),   T(-0.35), T(1),
      T(-1),     T(16),     T(-16),   -T(1) / eps, T(36),    T(87.3),
      T(-87.3),  T(103.97), T(708.3), T(-708.3),   T(745.1), -std::numeric_limits<T>::max()};
  monotone_report ls, sg, sp;
  const auto f_ls = [](T z) { return lsc::log_sigmoid(z); };
  const auto f_sg = [](T z) { return lsc::sigmoid(z); };
  const auto f_sp = [](T z) { return lsc::softplus(z); };
  for (const T start : starts) {
    const std::vector<T> zs = scan(start, 20000);
    check_monotone(zs, f_ls, "log_sigmoid", ls);
    check_monotone(zs, f_sg, "sigmoid", sg);
    check_monotone(zs, f_sp, "softplus", sp);
  }
  // Sorted random inputs over the whole range.
  std::vector<T> zs = lsc_test::random_inputs<T>(20000, 0x15c0002);
  std::sort(zs.begin(), zs.end());
  check_monotone(zs, f_ls, "log_sigmoid", ls);
  check_monotone(zs, f_sg, "sigmoid", sg);
  check_monotone(zs, f_sp, "softplus", sp);
  // Across a coarse grid (steps far above the error) the functions strictly increase.
  for (T z = T(-40); z < T(40); z += T(0.125)) {
    CHECK(lsc::log_sigmoid(z + T(0.125)) > lsc::log_sigmoid(z));
    CHECK(lsc::softplus(z + T(0.125)) > lsc::softplus(z));
  }
  WARN("monotone: log_sigmoid " << ls.drops << " 1-ulp-level drops in " << ls.pairs
                                << " pairs (max " << static_cast<double>(ls.max_drop_ulps)
                                << " ulp); sigmoid " << sg.drops << " (max "
                                << static_cast<double>(sg.max_drop_ulps) << "); softplus "
                                << sp.drops << " (max " << static_cast<double>(sp.max_drop_ulps)
                                << ")");
}

TEST_CASE("float: near 0 and the subnormal tail of log_sigmoid", "[math]") {
  // Near 0, LS(z) = -log 2 + z/2 + O(z^2): values round to -log 2 or a neighbour.
  const float minus_log2 = static_cast<float>(-ln2);
  for (float z : {1e-9f, -1e-9f, 1e-30f, -1e-30f, FLT_MIN, -FLT_MIN}) {
    const float ls = lsc::log_sigmoid(z);
    CHECK(ls >= std::nextafter(minus_log2, -1.0f));
    CHECK(ls <= std::nextafter(minus_log2, 0.0f));
  }
  // float log_sigmoid(z) for z in (87, 104): -e^-z is subnormal or underflows to -0.
  for (float z = 87.5f; z < 110.0f; z += 0.25f) {
    const float ls = lsc::log_sigmoid(z);
    CHECK(ls <= 0.0f);
    CHECK(std::signbit(ls));
    CHECK(ulp_error(ls, lsc_test::log_sigmoid_ref(z)) <= tolerance<float>::accuracy_ulps);
  }
}
