// lsc — helpers shared by the unit tests (tests/unit/*.cpp): bit patterns, ulp distances,
// deterministic random inputs. SPDX-License-Identifier: MIT
#ifndef LSC_TEST_UTIL_HPP
#define LSC_TEST_UTIL_HPP

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

namespace lsc_test {

// SplitMix64 (Steele, Lea, Flood 2014): a stateless hash from an index to 64 random bits, so
// a sweep can draw input j without sequential state (threads split the index range).
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

template <class T>
struct bits_of;
template <>
struct bits_of<float> {
  using type = std::uint32_t;
};
template <>
struct bits_of<double> {
  using type = std::uint64_t;
};

template <class T>
typename bits_of<T>::type to_bits(T x) {
  typename bits_of<T>::type b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

template <class T>
T from_bits(typename bits_of<T>::type b) {
  T x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

/// Bitwise identity, with any NaN equal to any NaN (payloads are not part of the contract).
template <class T>
bool same_value(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

/// One unit in the last place of type T at the binade of `ref` (a real number given in a
/// wider type); the subnormal spacing below T's smallest normal.
template <class T>
long double ulp_at(long double ref) {
  const long double a = std::fabs(ref);
  if (a < static_cast<long double>(std::numeric_limits<T>::min())) {
    return static_cast<long double>(std::numeric_limits<T>::denorm_min());
  }
  int e = 0;
  std::frexp(a, &e);  // a = m 2^e, m in [0.5, 1)
  return std::ldexp(1.0L, e - std::numeric_limits<T>::digits);
}

/// |got - ref| in ulps of T at ref. Both infinite with the same sign: 0.
template <class T>
long double ulp_error(T got, long double ref) {
  if (std::isinf(ref) || std::isinf(got)) {
    return static_cast<long double>(got) == ref ? 0.0L
                                                : std::numeric_limits<long double>::infinity();
  }
  return std::fabs(static_cast<long double>(got) - ref) / ulp_at<T>(ref);
}

/// ln 2 to 36 digits.
constexpr long double ln2 = 0.693147180559945309417232121458176568L;

/// log σ(z) in long double with the C library (for float/double references in unit tests).
inline long double log_sigmoid_ref(long double z) {
  return z < 0 ? z - std::log1p(std::exp(z)) : -std::log1p(std::exp(-z));
}
inline long double sigmoid_ref(long double z) {
  const long double e = std::exp(-std::fabs(z));
  return (z < 0 ? e : 1.0L) / (1.0L + e);
}

/// Deterministic inputs: every finite bit pattern class (random bits, uniform [-lim, lim],
/// log-uniform magnitudes of both signs).
template <class T>
std::vector<T> random_inputs(std::size_t n, std::uint64_t seed, bool include_bit_patterns = true) {
  std::mt19937_64 rng(seed);
  std::vector<T> out;
  out.reserve(3 * n);
  std::uniform_real_distribution<double> uniform(-50.0, 50.0);
  std::uniform_real_distribution<double> log_mag(-30.0, 30.0);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(static_cast<T>(uniform(rng)));
    const double m = std::exp2(log_mag(rng));
    out.push_back(static_cast<T>((rng() & 1) ? m : -m));
    if constexpr (!std::is_same<T, long double>::value) {
      if (include_bit_patterns) {
        T x;
        do {
          x = from_bits<T>(static_cast<typename bits_of<T>::type>(rng()));
        } while (!std::isfinite(x));
        out.push_back(x);
      }
    } else {
      out.push_back(static_cast<T>(std::ldexp(uniform(rng), static_cast<int>(rng() % 64) - 32)));
    }
  }
  return out;
}

}  // namespace lsc_test

#endif  // LSC_TEST_UTIL_HPP
