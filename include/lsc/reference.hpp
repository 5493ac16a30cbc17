// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
//
// Reference points r_ref(x): one value per prompt and reward model, computed from the
// rewards of base-policy samples for that prompt.
//
//   S : n_samples x K base-policy rewards (any Eigen matrix/array, row- or column-major),
//       rows grouped by prompt with an lsc::Groups; result: P x K.
//   B : P x M, one prompt per row (single reward model); result: a vector of P.
//
// Statistics (all skip NaN samples; a group with no valid sample gives NaN):
//   quantile(q)          empirical quantile with linear interpolation, numpy's default
//                        ('linear', R type 7): h = (n - 1) q, x[floor h] + (h - floor h) (x[floor h
//                        + 1] - x[floor h]) over the sorted valid samples, evaluated as numpy does.
//                        Selection by std::nth_element: O(M) expected per group, no full sort.
//   median               quantile(0.5).
//   mean                 arithmetic mean, accumulated in double (long double for long double).
//   gaussian_quantile(q) mean + Φ⁻¹(q) · std, std the POPULATION standard deviation (divide by n,
//                        numpy's ddof=0, as the PAR reimplementation does): the parametric
//                        version of quantile(q). PAR's 85th percentile is q = 0.85
//                        (Φ⁻¹(0.85) = 1.0364334). q = 0 or 1 gives ∓inf unless std = 0.
// A given value (a reference response's score, or a constant) needs no computation: pass any
// P x K (or N x K) matrix, e.g. Eigen::MatrixXf::Constant(P, K, c), as the reference.
//
// Errors (std::invalid_argument, see error.hpp): q outside [0, 1] or NaN; groups whose row
// count differs from the samples' rows. Allocation: the result, plus one scratch buffer of the
// largest group's size.
#ifndef LSC_REFERENCE_HPP
#define LSC_REFERENCE_HPP

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "error.hpp"
#include "groups.hpp"

namespace lsc {
namespace reference {

/// Φ⁻¹(q), the standard normal quantile, for q in [0, 1]; ±inf at 1 and 0.
/// Acklam's rational approximation (relative error 1.15e-9) refined by one Halley step on
/// Φ(x) - q computed with std::erfc in the lower tail, which brings it to a few ulp.
inline double normal_quantile(double q) {
  if (!(q > 0.0)) return q == 0.0 ? -std::numeric_limits<double>::infinity() : q;
  if (!(q < 1.0)) return q == 1.0 ? std::numeric_limits<double>::infinity() : q;
  // Φ⁻¹(q) = -Φ⁻¹(1 - q), and 1 - q is exact for q >= 0.5: work in the lower tail, where
  // Φ(x) - q in the refinement step does not cancel.
  if (q > 0.5) return -normal_quantile(1.0 - q);
  static constexpr double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                  -2.759285104469687e+02, 1.383577518672690e+02,
                                  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                  -1.556989798598866e+02, 6.680131188771972e+01,
                                  -1.328068155288572e+01};
  static constexpr double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                  -2.400758277161838e+00, -2.549732539343734e+00,
                                  4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[4] = {7.784695709041462e-03, 3.224671290700398e-01,
                                  2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double low = 0.02425;
  double x;
  if (q < low || q > 1.0 - low) {
    const double t = std::sqrt(-2.0 * std::log(q < low ? q : 1.0 - q));
    x = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) /
        ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1.0);
    if (q > 1.0 - low) x = -x;
  } else {
    const double t = q - 0.5, r = t * t;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * t /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // Halley step: e = Φ(x) - q, u = e / φ(x).
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - q;
  const double u = e * std::sqrt(2.0 * 3.14159265358979323846) * std::exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

/// Empirical quantile at level q (numpy 'linear').
struct Quantile {
  double q;
};
/// Median: Quantile{0.5}.
struct Median {};
/// Arithmetic mean.
struct Mean {};
/// mean + Φ⁻¹(q) · population std.
struct GaussianQuantile {
  double q;
};

namespace detail {

using lsc::detail::bad_argument;

inline void check_level(const char* function, double q) {
  if (!(q >= 0.0 && q <= 1.0)) {
    bad_argument(function, "q", "is " + std::to_string(q) + ", expected a level in [0, 1]");
  }
}

template <class T>
using accumulator_t = std::conditional_t<std::is_same<T, long double>::value, long double, double>;

// numpy's _lerp: a + (b - a) t, or b - (b - a)(1 - t) when t >= 0.5 (exact at t = 1).
template <class T>
T numpy_lerp(T a, T b, double t) {
  using A = accumulator_t<T>;
  const A diff = static_cast<A>(b) - static_cast<A>(a);
  // numpy rounds the product and the sum separately. `volatile` keeps the compiler from
  // contracting them into one fused multiply-add (GCC does by default in GNU mode).
  volatile A product = diff * static_cast<A>(t >= 0.5 ? 1.0 - t : t);
  const A result = t >= 0.5 ? static_cast<A>(b) - product : static_cast<A>(a) + product;
  return static_cast<T>(result);
}

// Each statistic reduces the valid (non-NaN) samples of one group, given in a scratch
// buffer that it may reorder. n >= 1.
template <class T>
T evaluate(const Quantile& s, T* x, Index n) {
  const double h = static_cast<double>(n - 1) * s.q;
  const Index lo = std::min(static_cast<Index>(std::floor(h)), n - 1);
  std::nth_element(x, x + lo, x + n);
  const T a = x[lo];
  if (lo + 1 >= n) return a;
  const T b = *std::min_element(x + lo + 1, x + n);
  return numpy_lerp(a, b, h - static_cast<double>(lo));
}

template <class T>
T evaluate(const Median&, T* x, Index n) {
  return evaluate(Quantile{0.5}, x, n);
}

template <class T>
accumulator_t<T> mean_of(const T* x, Index n) {
  accumulator_t<T> sum = 0;
  for (Index i = 0; i < n; ++i) sum += x[i];
  return sum / static_cast<accumulator_t<T>>(n);
}

template <class T>
T evaluate(const Mean&, T* x, Index n) {
  return static_cast<T>(mean_of(x, n));
}

template <class T>
T evaluate(const GaussianQuantile& s, T* x, Index n) {
  using A = accumulator_t<T>;
  const A mean = mean_of(x, n);
  A sum_sq = 0;
  for (Index i = 0; i < n; ++i) sum_sq += (x[i] - mean) * (x[i] - mean);
  const A std_dev = std::sqrt(sum_sq / static_cast<A>(n));
  if (std_dev == 0) return static_cast<T>(mean);  // a point mass: every quantile is the mean
  return static_cast<T>(mean + static_cast<A>(normal_quantile(s.q)) * std_dev);
}

template <class Statistic>
void check_statistic(const char* function, const Statistic& s) {
  if constexpr (std::is_same<Statistic, Quantile>::value ||
                std::is_same<Statistic, GaussianQuantile>::value) {
    check_level(function, s.q);
  } else {
    (void)function;
    (void)s;
  }
}

}  // namespace detail

/// The statistic of each group's valid samples, per column: P x K.
template <class Derived, class Statistic>
Eigen::Matrix<typename Derived::Scalar, Eigen::Dynamic, Eigen::Dynamic> compute(
    const Eigen::DenseBase<Derived>& samples, const Groups& groups, const Statistic& statistic) {
  using T = typename Derived::Scalar;
  const char* fn = "lsc::reference";
  detail::check_statistic(fn, statistic);
  if (samples.rows() != groups.num_rows()) {
    detail::bad_argument(fn, "samples",
                         "has shape " + lsc::detail::shape(samples) + " but 'groups' covers " +
                             std::to_string(groups.num_rows()) + " rows in " +
                             std::to_string(groups.num_groups()) + " groups");
  }
  const auto& s = samples.derived();
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> result(groups.num_groups(), s.cols());
  std::vector<T> scratch(static_cast<std::size_t>(groups.max_size()));
  for (Index k = 0; k < s.cols(); ++k) {
    for (Index p = 0; p < groups.num_groups(); ++p) {
      Index n = 0;
      for (Index j = 0; j < groups.size(p); ++j) {
        const T v = s(groups.row(p, j), k);
        if (!std::isnan(v)) scratch[static_cast<std::size_t>(n++)] = v;
      }
      result(p, k) = n == 0 ? std::numeric_limits<T>::quiet_NaN()
                            : detail::evaluate(statistic, scratch.data(), n);
    }
  }
  return result;
}

/// One reward model, samples as a P x M matrix (a prompt per row): a vector of P.
template <class Derived, class Statistic>
Eigen::Matrix<typename Derived::Scalar, Eigen::Dynamic, 1> compute(
    const Eigen::DenseBase<Derived>& per_prompt, const Statistic& statistic) {
  const auto& b = per_prompt.derived();
  if (b.cols() == 0) {
    detail::bad_argument("lsc::reference", "per_prompt",
                         "has shape " + lsc::detail::shape(b) + ": every group is empty");
  }
  // Row p of B becomes group p of the transposed (M P x 1) view, without a copy.
  const auto flat = b.transpose().reshaped();
  return compute(flat, Groups::uniform(b.rows(), b.cols()), statistic).col(0);
}

template <class Derived>
auto quantile(const Eigen::DenseBase<Derived>& samples, const Groups& groups, double q) {
  return compute(samples, groups, Quantile{q});
}
template <class Derived>
auto quantile(const Eigen::DenseBase<Derived>& per_prompt, double q) {
  return compute(per_prompt, Quantile{q});
}
template <class Derived>
auto median(const Eigen::DenseBase<Derived>& samples, const Groups& groups) {
  return compute(samples, groups, Median{});
}
template <class Derived>
auto median(const Eigen::DenseBase<Derived>& per_prompt) {
  return compute(per_prompt, Median{});
}
template <class Derived>
auto mean(const Eigen::DenseBase<Derived>& samples, const Groups& groups) {
  return compute(samples, groups, Mean{});
}
template <class Derived>
auto mean(const Eigen::DenseBase<Derived>& per_prompt) {
  return compute(per_prompt, Mean{});
}
template <class Derived>
auto gaussian_quantile(const Eigen::DenseBase<Derived>& samples, const Groups& groups, double q) {
  return compute(samples, groups, GaussianQuantile{q});
}
template <class Derived>
auto gaussian_quantile(const Eigen::DenseBase<Derived>& per_prompt, double q) {
  return compute(per_prompt, GaussianQuantile{q});
}

}  // namespace reference
}  // namespace lsc

#endif  // LSC_REFERENCE_HPP
