// lsc — Eigen expressions (expr.hpp): the vectorised path equals the scalar path bit for bit
// at every size and alignment, the expressions really vectorise (PacketAccessBit), fuse
// with the caller's expressions, and respect storage order and shift invariance.
// SPDX-License-Identifier: MIT
#include <lsc/expr.hpp>
#include <lsc/math.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "lsc_test.hpp"
#include "lsc_test_util.hpp"

using lsc_test::same_value;

namespace {

// Inputs with every kind of value, cycled: specials first so they land in heads, packets and
// tails at the various sizes and offsets.
template <class T>
std::vector<T> mixed_inputs(std::size_t n, std::uint64_t seed) {
  const T specials[] = {T(0),
                        -T(0),
                        std::numeric_limits<T>::infinity(),
                        -std::numeric_limits<T>::infinity(),
                        std::numeric_limits<T>::quiet_NaN(),
                        std::numeric_limits<T>::max(),
                        -std::numeric_limits<T>::max(),
                        std::numeric_limits<T>::denorm_min(),
                        T(100),
                        T(-100),
                        T(1000),
                        T(-1000)};
  std::vector<T> out = lsc_test::random_inputs<T>(n, seed);
  out.resize(n);
  for (std::size_t i = 0; i < n; i += 7)
    out[i] = specials[(i / 7) % (sizeof specials / sizeof *specials)];
  return out;
}

template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;

template <class A, class F>
bool equals_scalar(const A& got, Eigen::Index n, F scalar) {
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!same_value(got[i], scalar(i))) {
      UNSCOPED_INFO("first difference at i = " << i << " of n = " << n);
      return false;
    }
  }
  return true;
}

}  // namespace

TEMPLATE_TEST_CASE("expressions equal the scalar functions bit for bit, sizes 0..100, offsets 0..3",
                   "[expr]", float, double) {
  using T = TestType;
  constexpr Eigen::Index max_n = 100;
  const std::vector<T> r_buf = mixed_inputs<T>(max_n + 8, 0x15c0101);
  const std::vector<T> ref_buf = mixed_inputs<T>(max_n + 8, 0x15c0102);
  using Map = Eigen::Map<const Array<T>>;
  for (Eigen::Index n = 0; n <= max_n; ++n) {
    for (std::size_t offset = 0; offset <= 3; ++offset) {
      INFO("n = " << n << ", offset = " << offset);
      const Map r(r_buf.data() + offset, n);
      const Map ref(ref_buf.data() + offset, n);
      const auto rs = [&](Eigen::Index i) { return r_buf[offset + static_cast<std::size_t>(i)]; };
      const auto fs = [&](Eigen::Index i) { return ref_buf[offset + static_cast<std::size_t>(i)]; };

      // Into an owning (aligned) array and into an unaligned Map, so heads/tails differ.
      std::vector<T> out_buf(static_cast<std::size_t>(max_n) + 8);
      Eigen::Map<Array<T>> out(out_buf.data() + (3 - offset), n);

      Array<T> a = lsc::log_sigmoid(r);
      CHECK(equals_scalar(a, n, [&](Eigen::Index i) { return lsc::log_sigmoid(rs(i)); }));
      out = lsc::log_sigmoid(r);
      CHECK(equals_scalar(out, n, [&](Eigen::Index i) { return lsc::log_sigmoid(rs(i)); }));

      a = lsc::sigmoid(r);
      CHECK(equals_scalar(a, n, [&](Eigen::Index i) { return lsc::sigmoid(rs(i)); }));
      out = lsc::sigmoid(r);
      CHECK(equals_scalar(out, n, [&](Eigen::Index i) { return lsc::sigmoid(rs(i)); }));

      a = lsc::transform(r, ref);
      CHECK(
          equals_scalar(a, n, [&](Eigen::Index i) { return lsc::log_sigmoid(T(rs(i) - fs(i))); }));
      out = lsc::transform(r, ref);
      CHECK(equals_scalar(out, n,
                          [&](Eigen::Index i) { return lsc::log_sigmoid(T(rs(i) - fs(i))); }));

      a = lsc::centre(r, ref);
      CHECK(equals_scalar(a, n, [&](Eigen::Index i) { return T(rs(i) - fs(i)); }));

      // An owning array input too (aligned).
      const Array<T> owned = r;
      a = lsc::log_sigmoid(owned);
      CHECK(equals_scalar(a, n, [&](Eigen::Index i) { return lsc::log_sigmoid(rs(i)); }));
    }
  }
}

TEMPLATE_TEST_CASE("expressions vectorise: evaluator Flags has PacketAccessBit", "[expr][simd]",
                   float, double) {
  using T = TestType;
  Array<T> r = Array<T>::Zero(8), ref = Array<T>::Zero(8);
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> m(4, 4);
  m.setZero();
  using LogSigmoidXpr = decltype(lsc::log_sigmoid(r));
  using SigmoidXpr = decltype(lsc::sigmoid(r));
  using TransformXpr = decltype(lsc::transform(r, ref));
  using CentreXpr = decltype(lsc::centre(r, ref));
  using MatrixXpr = decltype(lsc::transform(m, m));
  using FusedXpr = decltype(lsc::transform(r, ref) * T(2) + lsc::log_sigmoid(r));
  constexpr bool ls =
      (Eigen::internal::evaluator<LogSigmoidXpr>::Flags & Eigen::PacketAccessBit) != 0;
  constexpr bool sg = (Eigen::internal::evaluator<SigmoidXpr>::Flags & Eigen::PacketAccessBit) != 0;
  constexpr bool tr =
      (Eigen::internal::evaluator<TransformXpr>::Flags & Eigen::PacketAccessBit) != 0;
  constexpr bool ce = (Eigen::internal::evaluator<CentreXpr>::Flags & Eigen::PacketAccessBit) != 0;
  constexpr bool mx = (Eigen::internal::evaluator<MatrixXpr>::Flags & Eigen::PacketAccessBit) != 0;
  constexpr bool fu = (Eigen::internal::evaluator<FusedXpr>::Flags & Eigen::PacketAccessBit) != 0;
#ifdef EIGEN_VECTORIZE
  CHECK(ls);
  CHECK(sg);
  CHECK(tr);
  CHECK(ce);
  CHECK(mx);
  CHECK(fu);
  CHECK(lsc::detail::kernel_packet_access<T>::value);
#else
  WARN("EIGEN_VECTORIZE is not defined: PacketAccessBit not required (" << ls << sg << tr << ce
                                                                        << mx << fu << ")");
#endif
}

TEMPLATE_TEST_CASE("expressions fuse with the caller's expressions", "[expr]", float, double) {
  using T = TestType;
  const Eigen::Index n = 1001;
  const std::vector<T> rv =
      lsc_test::random_inputs<T>(static_cast<std::size_t>(n), 0x15c0103, false);
  const std::vector<T> fv =
      lsc_test::random_inputs<T>(static_cast<std::size_t>(n), 0x15c0104, false);
  const Eigen::Map<const Array<T>> r(rv.data(), n), ref(fv.data(), n);

  // Element-wise fusion is exact: *2 is exact and +1 rounds the same in both paths.
  const Array<T> fused = lsc::transform(r, ref) * T(2) + T(1);
  CHECK(equals_scalar(fused, n, [&](Eigen::Index i) {
    return T(lsc::log_sigmoid(T(r[i] - ref[i])) * T(2) + T(1));
  }));

  // A reduction sums in a different order; compare with a long double sum, to the
  // rounding of n additions: n eps Σ|x_i|.
  const T sum = (lsc::transform(r, ref) * T(2)).sum();
  long double exact = 0, magnitude = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const long double x = 2.0L * lsc::log_sigmoid(T(r[i] - ref[i]));
    exact += x;
    magnitude += std::fabs(x);
  }
  CHECK(std::fabs(static_cast<long double>(sum) - exact) <=
        static_cast<long double>(n) * std::numeric_limits<T>::epsilon() * magnitude);

  // Row-wise sums of a matrix expression (the conjunction written by hand).
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> R = r.head(100 * 3).matrix().reshaped(100, 3);
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> F = ref.head(100 * 3).matrix().reshaped(100, 3);
  const Eigen::Matrix<T, Eigen::Dynamic, 1> rows = lsc::transform(R, F).rowwise().sum();
  for (Eigen::Index i = 0; i < 100; ++i) {
    const T expected = lsc::log_sigmoid(T(R(i, 0) - F(i, 0))) +
                       lsc::log_sigmoid(T(R(i, 1) - F(i, 1))) +
                       lsc::log_sigmoid(T(R(i, 2) - F(i, 2)));
    CHECK(same_value(rows[i], expected));
  }
}

TEMPLATE_TEST_CASE("row-major equals column-major", "[expr]", float, double) {
  using T = TestType;
  using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using ColMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  for (const Eigen::Index rows : {1, 3, 17, 64}) {
    for (const Eigen::Index cols : {1, 2, 5, 33}) {
      const std::vector<T> rv = mixed_inputs<T>(static_cast<std::size_t>(rows * cols), 0x15c0105);
      const std::vector<T> fv = mixed_inputs<T>(static_cast<std::size_t>(rows * cols), 0x15c0106);
      const RowMajor r_row = Eigen::Map<const RowMajor>(rv.data(), rows, cols);
      const RowMajor f_row = Eigen::Map<const RowMajor>(fv.data(), rows, cols);
      const ColMajor r_col = r_row, f_col = f_row;
      const ColMajor from_row = lsc::transform(r_row, f_row);
      const ColMajor from_col = lsc::transform(r_col, f_col);
      const ColMajor ls_row = lsc::log_sigmoid(r_row), ls_col = lsc::log_sigmoid(r_col);
      for (Eigen::Index i = 0; i < rows; ++i) {
        for (Eigen::Index j = 0; j < cols; ++j) {
          CHECK(same_value(from_row(i, j), from_col(i, j)));
          CHECK(same_value(ls_row(i, j), ls_col(i, j)));
        }
      }
    }
  }
}

TEMPLATE_TEST_CASE("shift invariance: transform(r + c, ref + c) == transform(r, ref)", "[expr]",
                   float, double) {
  using T = TestType;
  // r and ref are multiples of 2^-10 in [-64, 64] and c an integer in [-1000, 1000] or a
  // power of two up to 2^8: every sum below needs at most 21 significant bits, so it is exact
  // in float, and r - ref is the same number before and after the shift.
  std::mt19937_64 rng(0x15c0107);
  std::uniform_int_distribution<int> fixed(-(64 << 10), 64 << 10);
  std::uniform_int_distribution<int> shift(-1000, 1000);
  const Eigen::Index n = 257;
  Array<T> r(n), ref(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    r[i] = std::ldexp(static_cast<T>(fixed(rng)), -10);
    ref[i] = std::ldexp(static_cast<T>(fixed(rng)), -10);
  }
  const Array<T> base = lsc::transform(r, ref);
  std::vector<T> shifts = {T(1), T(-1), T(0.5), T(256), T(-256), T(0.0009765625)};
  for (int k = 0; k < 20; ++k) shifts.push_back(static_cast<T>(shift(rng)));
  for (const T c : shifts) {
    INFO("c = " << c);
    const Array<T> r_c = r + c, ref_c = ref + c;
    REQUIRE(((r_c - c) == r).all());  // the shift was exact
    REQUIRE(((ref_c - c) == ref).all());
    const Array<T> shifted = lsc::transform(r_c, ref_c);
    CHECK((shifted == base).all());
    // The same with the shift written into the expression (fused).
    const Array<T> fused = lsc::transform(r + c, ref + c);
    CHECK((fused == base).all());
  }
}
