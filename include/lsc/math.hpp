// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
//
// Element-wise math: log σ(z), softplus(z), σ(z) and the derivative of log σ.
//
// There is exactly one implementation of each function: a template over an Eigen
// packet type (detail::plog_sigmoid, detail::psigmoid). The Eigen functors (expr.hpp), the
// raw-pointer kernels (kernels.hpp) and the scalar functions below all call it, so the scalar,
// vectorised and tail paths of every entry point agree bit for bit on a given build.
// A scalar call runs the packet code on a broadcast packet and returns lane 0.
//
// Numeric contract (float and double; measured by tests/accuracy, which sweep all
// 2^32 floats and 10^8 doubles sampled evenly in bit space):
//   * no libm call and no branch in the vectorised path; no allocation; never throws;
//   * IEEE special values handled exactly (see each function);
//   * results are never spuriously infinite: no intermediate overflows for any finite z;
//   * subnormal results are produced where the true value is subnormal (gradual underflow).
// long double is evaluated with the C library (expl, log1pl): within 4 ulp, checked against
// __float128 by tests/accuracy/long_double.cpp.
#ifndef LSC_MATH_HPP
#define LSC_MATH_HPP

#include <Eigen/Core>

#include <cmath>
#include <limits>
#include <type_traits>

namespace lsc {
namespace detail {

namespace ei = Eigen::internal;

// Constants of the exp kernel, kept as exact literals.
//
// exp(x) = 2^m * exp(r), m = rint(x / ln 2), r = x - m ln 2 (Cody–Waite: ln 2 = hi + lo,
// where hi has enough trailing zero bits that m * hi is exact for every m we use),
// |r| <= ln(2)/2 ~ 0.3466. exp(r) is its Taylor polynomial, coefficients 1/k!:
//   float,  degree 7:  remainder <= 0.3466^8 / 8! * sqrt(2)  = 7.3e-9  (0.12 ulp)
//   double, degree 13: remainder <= 0.3466^14 / 14! * sqrt(2) = 6.0e-18 (0.05 ulp)
// `underflow` is a point below which exp(x) rounds to +0 (exp(underflow) < denorm_min / 2),
// so clamping x to it changes no result and keeps m small.
template <class Scalar>
struct exp_constants;

template <>
struct exp_constants<float> {
  static constexpr float log2e = 1.44269504088896341f;
  static constexpr float ln2_hi = 0.693359375f;     // 0x3F317200, 9 significant bits
  static constexpr float ln2_lo = -2.12194440e-4f;  // ln 2 - ln2_hi
  static constexpr float underflow = -104.0f;       // exp(-104) = 6.8e-46 < 2^-150
  static constexpr int degree = 7;
  static constexpr float inv_factorial[degree + 1] = {1.0f,
                                                      1.0f,
                                                      0.5f,
                                                      1.66666666666666667e-1f,
                                                      4.16666666666666667e-2f,
                                                      8.33333333333333333e-3f,
                                                      1.38888888888888889e-3f,
                                                      1.98412698412698413e-4f};
};

template <>
struct exp_constants<double> {
  static constexpr double log2e = 1.44269504088896340736;
  static constexpr double ln2_hi = 6.93147180369123816490e-01;  // 0x3FE62E42FEE00000
  static constexpr double ln2_lo = 1.90821492927058770002e-10;  // 0x3DEA39EF35793C76
  static constexpr double underflow = -746.0;                   // exp(-746) = 1.0e-324 < 2^-1075
  static constexpr int degree = 13;
  static constexpr double inv_factorial[degree + 1] = {1.0,
                                                       1.0,
                                                       0.5,
                                                       1.66666666666666666667e-1,
                                                       4.16666666666666666667e-2,
                                                       8.33333333333333333333e-3,
                                                       1.38888888888888888889e-3,
                                                       1.98412698412698412698e-4,
                                                       2.48015873015873015873e-5,
                                                       2.75573192239858906526e-6,
                                                       2.75573192239858906526e-7,
                                                       2.50521083854417187751e-8,
                                                       2.08767569878680989792e-9,
                                                       1.60590438368216145994e-10};
};

template <class Packet>
using scalar_of = typename ei::unpacket_traits<Packet>::type;

// exp(x) for x <= 0 or x = -inf (the only arguments log σ needs: x = -|z|), returned as an
// unevaluated sum hi + lo. hi alone is within 1 ulp; hi + lo is within about 0.2 ulp
// (with FMA; 0.5 ulp without), which is what keeps log σ within its bound: the
// rounding of exp would otherwise be the largest single error. With p(r) = 1 + r q(r),
// hi = fl(1 + r q) and lo = fl(r q + (1 - hi)), where 1 - hi is exact (Sterbenz).
// Both are scaled by 2^m, rounding subnormal results once.
template <class Packet>
EIGEN_STRONG_INLINE Packet pexp_nonpositive(const Packet& x_in, Packet& lo) {
  using Scalar = scalar_of<Packet>;
  using C = exp_constants<Scalar>;
  const Packet one = ei::pset1<Packet>(Scalar(1));
  const Packet x = ei::pmax(x_in, ei::pset1<Packet>(C::underflow));
  const Packet m = ei::print(ei::pmul(x, ei::pset1<Packet>(C::log2e)));
  Packet r = ei::pmadd(m, ei::pset1<Packet>(-C::ln2_hi), x);  // exact
  r = ei::pmadd(m, ei::pset1<Packet>(-C::ln2_lo), r);
  Packet q = ei::pset1<Packet>(C::inv_factorial[C::degree]);
  for (int k = C::degree - 1; k >= 1; --k) {
    q = ei::pmadd(q, r, ei::pset1<Packet>(C::inv_factorial[k]));
  }
  const Packet hi = ei::pmadd(q, r, one);
  // 2^m is exact, subnormal included, for m >= -149 (float) / -1074 (double), so each
  // product below rounds once, as ldexp would. At the clamp, m is one lower and 2^m rounds
  // to 0, where the true exp(x) is at most 0.71 of the smallest subnormal.
  const Packet scale = ei::pldexp(one, m);
  lo = ei::pmul(ei::pmadd(q, r, ei::psub(one, hi)), scale);
  return ei::pmul(hi, scale);
}

// Constants of the log1p kernel. log(1 + f) = 2 atanh(s), s = f / (2 + f), evaluated as
// f - (f^2/2 - s (f^2/2 + R(s^2))) (the fdlibm arrangement, whose rounding error stays
// below 1 ulp), where R(w) = sum_{k>=1} 2 w^k / (2k + 1) is the Taylor series of
// 2 atanh(s)/s - 2, truncated. After reduction |s| <= (sqrt2 - 1)/(sqrt2 + 1) = 0.1716,
// w = s^2 <= 0.02944, and the first omitted term, relative to the result, is below
//   float,  4 terms:  w^5 / 11 = 2.0e-9   (0.03 ulp)
//   double, 11 terms: w^12 / 25 = 1.7e-20 (0.0002 ulp).
template <class Scalar>
struct log1p_constants;

template <>
struct log1p_constants<float> {
  static constexpr float ln2_hi = 0.693359375f;     // 0x3F317200
  static constexpr float ln2_lo = -2.12194440e-4f;  // ln 2 - ln2_hi
  static constexpr float sqrt2 = 1.41421356237309505f;
  static constexpr int terms = 4;
  static constexpr float series[terms] = {6.66666666666666667e-1f, 4.0e-1f, 2.85714285714285714e-1f,
                                          2.22222222222222222e-1f};
};

template <>
struct log1p_constants<double> {
  static constexpr double ln2_hi = exp_constants<double>::ln2_hi;
  static constexpr double ln2_lo = exp_constants<double>::ln2_lo;
  static constexpr double sqrt2 = 1.41421356237309504880;
  static constexpr int terms = 11;
  static constexpr double series[terms] = {6.66666666666666666667e-1, 4.0e-1,
                                           2.85714285714285714286e-1, 2.22222222222222222222e-1,
                                           1.81818181818181818182e-1, 1.53846153846153846154e-1,
                                           1.33333333333333333333e-1, 1.17647058823529411765e-1,
                                           1.05263157894736842105e-1, 9.52380952380952380952e-2,
                                           8.69565217391304347826e-2};
};

// log(1 + t + t_lo) for t in [0, 1] (t + t_lo = exp(-|z|), |t_lo| <= ulp(t)); max error
// below 1.3 ulp. u = fl(1 + t) and its rounding error t - (u - 1) are exact (Fast2Sum,
// 1 >= t); c adds t_lo to that error.
// u = 2^k y with y in [sqrt2/2, sqrt2], k in {0, 1}; f = y - 1 is exact (Sterbenz). Then
// log1p(t) = k ln2 + log(1 + f) + c / u. For t < eps/2, u = 1 and the result is c = t.
// Eigen 3.4 has no vectorised log1p for double; this one serves float and double alike.
template <class Packet>
EIGEN_STRONG_INLINE Packet plog1p_unit(const Packet& t, const Packet& t_lo) {
  using Scalar = scalar_of<Packet>;
  using C = log1p_constants<Scalar>;
  const Packet one = ei::pset1<Packet>(Scalar(1));
  const Packet half = ei::pset1<Packet>(Scalar(0.5));
  const Packet u = ei::padd(one, t);
  const Packet c = ei::padd(ei::psub(t, ei::psub(u, one)), t_lo);
  const Packet upper = ei::pcmp_lt(ei::pset1<Packet>(C::sqrt2), u);
  const Packet k = ei::pselect(upper, one, ei::pzero(u));
  const Packet f = ei::psub(ei::pselect(upper, ei::pmul(u, half), u), one);
  const Packet s = ei::pdiv(f, ei::padd(ei::pset1<Packet>(Scalar(2)), f));
  const Packet w = ei::pmul(s, s);
  Packet r = ei::pset1<Packet>(C::series[C::terms - 1]);
  for (int i = C::terms - 2; i >= 0; --i) {
    r = ei::pmadd(r, w, ei::pset1<Packet>(C::series[i]));
  }
  r = ei::pmul(r, w);
  const Packet hfsq = ei::pmul(half, ei::pmul(f, f));
  const Packet log1p_f_minus_f = ei::psub(ei::pmul(s, ei::padd(hfsq, r)), hfsq);
  const Packet small = ei::pmadd(k, ei::pset1<Packet>(C::ln2_lo), ei::pdiv(c, u));
  // k ln2_hi + f is exact (ln2_hi has few significant bits and f shares its binade),
  // so the small terms are added first and the result is rounded once at the end.
  const Packet big = ei::pmadd(k, ei::pset1<Packet>(C::ln2_hi), f);
  return ei::padd(big, ei::padd(small, log1p_f_minus_f));
}

// Returns NaN lanes of z in place of `result`, so NaN in gives NaN out (payload kept).
template <class Packet>
EIGEN_STRONG_INLINE Packet propagate_nan(const Packet& z, const Packet& result) {
  return ei::pselect(ei::pcmp_eq(z, z), result, z);
}

// -x by flipping the sign bit. Eigen 3.4's AVX and AVX-512 pnegate compute 0 - x, which
// turns -(+0) into +0 (log σ(+inf) would be +0 instead of -0).
template <class Packet>
EIGEN_STRONG_INLINE Packet pflip_sign(const Packet& x) {
  return ei::pxor(x, ei::pset1<Packet>(-scalar_of<Packet>(0)));
}

// log σ(z) = min(z, 0) - log1p(exp(-|z|)), written as -(log1p(exp(-|z|)) - min(z, 0)) so
// that z -> +inf gives -0 (the sign of the true, negative value) rather than +0.
// The two terms never cancel (both are >= 0 after the sign flip), so the error is that
// of exp and log1p, not amplified. z = +inf -> -0, z = -inf -> -inf, NaN -> NaN.
template <class Packet>
EIGEN_STRONG_INLINE Packet plog_sigmoid(const Packet& z) {
  Packet e_lo;
  const Packet e = pexp_nonpositive(ei::pnegate(ei::pabs(z)), e_lo);
  const Packet l = plog1p_unit(e, e_lo);
  const Packet result = pflip_sign(ei::psub(l, ei::pmin(z, ei::pzero(z))));
  return propagate_nan(z, result);
}

// σ(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, with e = exp(-|z|) in (0, 1]:
// no overflow, and the tiny values for z << 0 keep full relative accuracy.
// The quotient q = n / d is corrected for the low parts of e (e_lo) and of d = fl(1 + e)
// (d_lo, exact by Fast2Sum): σ = (n + n_lo) / (d + d_lo) ≈ q + (n_lo - q d_lo) / d, where
// 1 / d = q for z >= 0 and 1 - q for z < 0, so no second division is needed. What is left
// is the rounding of the division and of the correction: about 1 ulp.
template <class Packet>
EIGEN_STRONG_INLINE Packet psigmoid(const Packet& z) {
  using Scalar = scalar_of<Packet>;
  const Packet one = ei::pset1<Packet>(Scalar(1));
  Packet e_lo;
  const Packet e = pexp_nonpositive(ei::pnegate(ei::pabs(z)), e_lo);
  const Packet negative = ei::pcmp_lt(z, ei::pzero(z));
  const Packet n = ei::pselect(negative, e, one);
  const Packet n_lo = ei::pselect(negative, e_lo, ei::pzero(z));
  const Packet d = ei::padd(one, e);
  const Packet d_lo = ei::padd(ei::psub(e, ei::psub(d, one)), e_lo);
  const Packet q = ei::pdiv(n, d);
  const Packet inv_d = ei::pselect(negative, ei::psub(one, q), q);
  const Packet correction = ei::pmul(ei::psub(n_lo, ei::pmul(q, d_lo)), inv_d);
  return propagate_nan(z, ei::padd(q, correction));
}

// Does the packet type have every primitive the kernels above use?
template <class Scalar>
struct kernel_packet_access {
  using traits = ei::packet_traits<Scalar>;
  static constexpr bool value =
      (std::is_same<Scalar, float>::value || std::is_same<Scalar, double>::value) &&
      traits::Vectorizable && traits::HasExp && traits::HasDiv && traits::HasAbs &&
      traits::HasMin && traits::HasMax && traits::HasRint;
};

// Cost estimates for functor_traits, in Eigen's units (one add ~ 1).
template <class Scalar>
struct kernel_cost {
  static constexpr int exp =
      5 * Eigen::NumTraits<Scalar>::AddCost +
      (exp_constants<Scalar>::degree + 2) * Eigen::NumTraits<Scalar>::MulCost;
  static constexpr int log1p = 30 * Eigen::NumTraits<Scalar>::AddCost;
  static constexpr int log_sigmoid = exp + log1p + 4 * Eigen::NumTraits<Scalar>::AddCost;
  static constexpr int sigmoid = exp + 12 * Eigen::NumTraits<Scalar>::AddCost;
};

// Runs a packet function on one scalar: broadcast, evaluate, take lane 0. This is how
// every scalar entry point reaches the one implementation.
template <class Scalar, class PacketFunction>
EIGEN_STRONG_INLINE Scalar on_scalar(Scalar z, PacketFunction f) {
  using Packet = typename ei::packet_traits<Scalar>::type;
  return ei::pfirst(f(ei::pset1<Packet>(z)));
}

template <class T>
using enable_if_floating = std::enable_if_t<std::is_floating_point<T>::value, int>;

}  // namespace detail

/// log σ(z) = -log(1 + e^-z), the LSC utility of a centred reward z = r - r_ref.
///
/// float, double: max error 2 ulp over all inputs (tests/accuracy measures and prints the
/// maximum; the exhaustive float sweep and the double sweep enforce the bound).
/// Special values: log_sigmoid(±0) = -log 2; (+inf) = -0; (-inf) = -inf; NaN -> NaN.
/// For z < -1/eps the result is z exactly; for large z it is -e^-z, subnormal where that is.
/// long double: min(z,0) - log1pl(expl(-|z|)) with the C library, within 4 ulp.
/// Never throws, never allocates.
template <class T, detail::enable_if_floating<T> = 0>
inline T log_sigmoid(T z) noexcept {
  if constexpr (std::is_same<T, long double>::value) {
    if (std::isnan(z)) return z;
    return -(std::log1p(std::exp(-std::fabs(z))) - std::fmin(z, 0.0L));
  } else {
    return detail::on_scalar(z, [](const auto& p) { return detail::plog_sigmoid(p); });
  }
}

/// softplus(z) = log(1 + e^z) = -log σ(-z). Same accuracy as log_sigmoid (negation is exact).
/// softplus(±0) = log 2; (+inf) = +inf; (-inf) = +0; NaN -> NaN.
template <class T, detail::enable_if_floating<T> = 0>
inline T softplus(T z) noexcept {
  return -log_sigmoid(-z);
}

/// σ(z) = 1 / (1 + e^-z). float, double: max error 2 ulp (tests/accuracy).
/// σ(±0) = 0.5; σ(+inf) = 1; σ(-inf) = +0; NaN -> NaN; subnormal for z below about
/// -87.3 (float) / -708.4 (double). long double: evaluated with expl, within 4 ulp.
template <class T, detail::enable_if_floating<T> = 0>
inline T sigmoid(T z) noexcept {
  if constexpr (std::is_same<T, long double>::value) {
    if (std::isnan(z)) return z;
    const long double e = std::exp(-std::fabs(z));
    return (z < 0 ? e : 1.0L) / (1.0L + e);
  } else {
    return detail::on_scalar(z, [](const auto& p) { return detail::psigmoid(p); });
  }
}

/// d/dz log σ(z) = σ(-z): the weight LSC gives to improving an output with centred reward z.
/// Same contract as sigmoid.
template <class T, detail::enable_if_floating<T> = 0>
inline T log_sigmoid_derivative(T z) noexcept {
  return sigmoid(-z);
}

}  // namespace lsc

#endif  // LSC_MATH_HPP
