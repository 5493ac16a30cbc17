// lsc — aggregation over K reward models (aggregate.hpp, kernels.hpp): the conjunction is
// Σ_k log σ = log Π_k σ, AND semantics, weights, baselines, grouped references, layouts,
// the raw-pointer kernels, and the edge shapes (K = 0, N = 0, K > 2048).
// SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "lsc_test.hpp"
#include "lsc_test_util.hpp"

using lsc_test::same_value;

namespace {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

template <class T>
Mat<T> random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, double lo = -8,
                     double hi = 8) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  Mat<T> m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = static_cast<T>(u(rng));
  return m;
}

// Tolerance of a K-term conjunction against a long double evaluation: each term within 2 ulp
// of the contract (<= 4 eps |term|), plus K roundings of the running sum: (4 + K) eps Σ|t_k|.
template <class T>
long double conjunction_tolerance(Eigen::Index k, long double magnitude) {
  return (4.0L + static_cast<long double>(k)) *
         static_cast<long double>(std::numeric_limits<T>::epsilon()) * magnitude;
}

template <class A, class B>
bool identical(const A& a, const B& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      if (!same_value(a(i, j), b(i, j))) {
        UNSCOPED_INFO("first difference at (" << i << ", " << j << "): " << a(i, j) << " vs "
                                              << b(i, j));
        return false;
      }
  return true;
}

}  // namespace

TEMPLATE_TEST_CASE("conjunction = Σ log σ = log Π σ <= min_k log σ", "[aggregate]", float, double) {
  using T = TestType;
  for (const Eigen::Index k : {1, 2, 3, 4, 7, 16, 33}) {
    const Eigen::Index n = 200;
    const Mat<T> R = random_matrix<T>(n, k, 0x15c0200 + static_cast<std::uint64_t>(k));
    const Mat<T> F = random_matrix<T>(n, k, 0x15c0300 + static_cast<std::uint64_t>(k), -4, 4);
    const Vec<T> c = lsc::conjunction(R, F);
    REQUIRE(c.size() == n);
    for (Eigen::Index i = 0; i < n; ++i) {
      long double sum_ls = 0, log_prod = 0, magnitude = 0;
      T min_term = 0;
      for (Eigen::Index j = 0; j < k; ++j) {
        const T z = R(i, j) - F(i, j);  // the centred value is rounded once, in T
        sum_ls += lsc_test::log_sigmoid_ref(z);
        log_prod += std::log(lsc_test::sigmoid_ref(z));
        magnitude += std::fabs(lsc_test::log_sigmoid_ref(z));
        min_term = std::min(min_term, lsc::log_sigmoid(z));
      }
      INFO("row " << i << ", K = " << k);
      const long double tol = conjunction_tolerance<T>(k, magnitude);
      CHECK(std::fabs(static_cast<long double>(c[i]) - sum_ls) <= tol);
      // log of a long double σ near 1 carries ~LDBL_EPSILON absolute error per term.
      CHECK(std::fabs(static_cast<long double>(c[i]) - log_prod) <=
            tol + static_cast<long double>(k) * std::numeric_limits<long double>::epsilon());
      // Adding non-positive numbers with monotone rounding never goes above any of them.
      CHECK(c[i] <= min_term);
    }
  }
}

TEMPLATE_TEST_CASE("AND semantics with infinite components", "[aggregate]", float, double) {
  using T = TestType;
  const T inf = std::numeric_limits<T>::infinity();
  Mat<T> R(4, 3), F(4, 3);
  R << 1, 2, 3,    //
      -inf, 2, 3,  // one property certainly failed: the conjunction is -inf
      inf, 2, 3,   // one property certainly met: it contributes -0
      1, 2, 3;
  F.setZero();
  F(3, 0) = -inf;  // a reference of -inf: always good, contributes -0
  const Vec<T> c = lsc::conjunction(R, F);
  CHECK(c[1] == -inf);
  const T rest = lsc::log_sigmoid(T(2)) + lsc::log_sigmoid(T(3));
  CHECK(same_value(c[2], rest));
  CHECK(same_value(c[3], rest));
  CHECK(c[0] < rest);

  Mat<T> F2 = Mat<T>::Zero(1, 2);
  F2(0, 1) = inf;  // a reference of +inf: never good
  Mat<T> R2(1, 2);
  R2 << 5, 5;
  CHECK(lsc::conjunction(R2, F2)[0] == -inf);
  CHECK(lsc::probability_all_good(R2, F2)[0] == T(0));
}

TEMPLATE_TEST_CASE("METHOD.md example: z = (+10, -10) vs (0, 0)", "[aggregate]", float, double) {
  using T = TestType;
  Mat<T> R(2, 2);
  R << 10, -10,  //
      0, 0;
  const Mat<T> F = Mat<T>::Zero(2, 2);
  const Vec<T> raw = lsc::raw_sum(R);
  CHECK(raw[0] == raw[1]);  // the raw sum ties
  const Vec<T> c = lsc::conjunction(R, F);
  // log σ(10) + log σ(-10) = -10.0000907977984337 (mpmath); 2 log σ(0) = -2 log 2.
  const long double unbalanced = -10.0000907977984337292935389757L;
  const long double balanced = -1.38629436111989061883446424292L;
  CHECK(lsc_test::ulp_error(c[0], unbalanced) <= 4);
  CHECK(lsc_test::ulp_error(c[1], balanced) <= 4);
  CHECK(c[1] > c[0]);  // LSC prefers the balanced output
  const Vec<T> centred = lsc::centred_sum(R, F);
  CHECK(centred[0] == T(0));
  CHECK(centred[1] == T(0));
}

TEMPLATE_TEST_CASE("weights: tempered product, probability_all_good, baselines", "[aggregate]",
                   float, double) {
  using T = TestType;
  const Eigen::Index n = 150, k = 5;
  const Mat<T> R = random_matrix<T>(n, k, 0x15c0400);
  const Mat<T> F = random_matrix<T>(n, k, 0x15c0401, -3, 3);
  Vec<T> w(k);
  w << T(1), T(0.5), T(2), T(0), T(0.25);
  const Vec<T> c = lsc::conjunction(R, F, w);
  const Vec<T> p = lsc::probability_all_good(R, F, w);
  const Vec<T> cs = lsc::centred_sum(R, F, w);
  const Vec<T> rs = lsc::raw_sum(R, w);
  const Vec<T> rs1 = lsc::raw_sum(R);
  const Vec<T> p1 = lsc::probability_all_good(R, F);
  const Vec<T> c1 = lsc::conjunction(R, F);
  const T eps = std::numeric_limits<T>::epsilon();
  for (Eigen::Index i = 0; i < n; ++i) {
    long double sum = 0, magnitude = 0, log_prod = 0, centred = 0, raw = 0, raw1 = 0, cmag = 0;
    for (Eigen::Index j = 0; j < k; ++j) {
      const T z = R(i, j) - F(i, j);
      const long double wj = w[j];
      sum += wj * lsc_test::log_sigmoid_ref(z);
      magnitude += wj * std::fabs(lsc_test::log_sigmoid_ref(z));
      log_prod += std::log(std::pow(lsc_test::sigmoid_ref(z), wj));
      centred += wj * static_cast<long double>(z);
      cmag += std::fabs(wj * static_cast<long double>(R(i, j))) +
              std::fabs(wj * static_cast<long double>(F(i, j)));
      raw += wj * static_cast<long double>(R(i, j));
      raw1 += static_cast<long double>(R(i, j));
    }
    INFO("row " << i);
    const long double tol = conjunction_tolerance<T>(k, magnitude);
    CHECK(std::fabs(static_cast<long double>(c[i]) - sum) <= tol);
    CHECK(std::fabs(static_cast<long double>(c[i]) - log_prod) <=
          tol + static_cast<long double>(k) * std::numeric_limits<long double>::epsilon());
    // probability_all_good is exp of the conjunction (Eigen's exp: a few ulp).
    CHECK(lsc_test::ulp_error(p[i], std::exp(static_cast<long double>(c[i]))) <= 4);
    CHECK(lsc_test::ulp_error(p1[i], std::exp(static_cast<long double>(c1[i]))) <= 4);
    CHECK(std::fabs(static_cast<long double>(p[i]) - std::exp(sum)) <=
          (tol + 2 * static_cast<long double>(eps)) * std::exp(sum));
    CHECK(std::fabs(static_cast<long double>(cs[i]) - centred) <=
          2 * k * static_cast<long double>(eps) * cmag);
    CHECK(std::fabs(static_cast<long double>(rs[i]) - raw) <=
          2 * k * static_cast<long double>(eps) * cmag);
    CHECK(std::fabs(static_cast<long double>(rs1[i]) - raw1) <=
          2 * k * static_cast<long double>(eps) * cmag);
  }
  // Unit weights equal the unweighted conjunction (to the summation order).
  const Vec<T> ones = Vec<T>::Ones(k);
  const Vec<T> cw1 = lsc::conjunction(R, F, ones);
  for (Eigen::Index i = 0; i < n; ++i) {
    CHECK(std::fabs(cw1[i] - c1[i]) <= 2 * k * eps * std::fabs(c1[i]));
  }
}

TEMPLATE_TEST_CASE("grouped references equal the broadcast N x K path", "[aggregate][groups]",
                   float, double) {
  using T = TestType;
  const Eigen::Index k = 3;
  // uniform: 7 prompts x 5 samples
  {
    const auto g = lsc::Groups::uniform(7, 5);
    const Mat<T> R = random_matrix<T>(35, k, 0x15c0500);
    const Mat<T> P = random_matrix<T>(7, k, 0x15c0501);
    Mat<T> full(35, k);
    for (Eigen::Index i = 0; i < 35; ++i) full.row(i) = P.row(i / 5);
    CHECK(identical(lsc::broadcast(P, g), full));
    CHECK(identical(lsc::conjunction(R, P, g), lsc::conjunction(R, full)));
    CHECK(identical(lsc::centred_sum(R, P, g), lsc::centred_sum(R, full)));
    CHECK(identical(lsc::utilities(R, P, g), lsc::utilities(R, full)));
    Vec<T> w(k);
    w << T(2), T(1), T(0.5);
    CHECK(identical(lsc::conjunction(R, P, g, w), lsc::conjunction(R, full, w)));
  }
  // from_offsets: ragged groups of sizes 1, 4, 2, 9
  {
    const std::vector<Eigen::Index> offsets = {0, 1, 5, 7, 16};
    const auto g = lsc::Groups::from_offsets(offsets);
    const Mat<T> R = random_matrix<T>(16, k, 0x15c0502);
    const Mat<T> P = random_matrix<T>(4, k, 0x15c0503);
    Mat<T> full(16, k);
    for (std::size_t p = 0; p + 1 < offsets.size(); ++p)
      for (Eigen::Index i = offsets[p]; i < offsets[p + 1]; ++i)
        full.row(i) = P.row(static_cast<Eigen::Index>(p));
    CHECK(identical(lsc::broadcast(P, g), full));
    CHECK(identical(lsc::conjunction(R, P, g), lsc::conjunction(R, full)));
    CHECK(identical(lsc::centred_sum(R, P, g), lsc::centred_sum(R, full)));
  }
  // from_index: rows in any order (veRL's uid); enough rows to span several blocks
  {
    const Eigen::Index n = 3000, groups = 37;
    std::mt19937_64 rng(0x15c0504);
    std::vector<int> index(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i)
      index[static_cast<std::size_t>(i)] = static_cast<int>(i % groups);
    std::shuffle(index.begin(), index.end(), rng);
    const auto g = lsc::Groups::from_index(index, groups);
    const Mat<T> R = random_matrix<T>(n, k, 0x15c0505);
    const Mat<T> P = random_matrix<T>(groups, k, 0x15c0506);
    Mat<T> full(n, k);
    for (Eigen::Index i = 0; i < n; ++i) full.row(i) = P.row(index[static_cast<std::size_t>(i)]);
    CHECK(identical(lsc::broadcast(P, g), full));
    CHECK(identical(lsc::conjunction(R, P, g), lsc::conjunction(R, full)));
    Vec<T> out(n);
    lsc::conjunction_into(out, R, P, g);
    CHECK(identical(out, lsc::conjunction(R, full)));
  }
}

TEMPLATE_TEST_CASE("row-major and column-major inputs give identical results",
                   "[aggregate][layout]", float, double) {
  using T = TestType;
  for (const Eigen::Index k : {1, 2, 3, 4, 5, 8, 9, 16, 17, 31, 64}) {
    const Eigen::Index n = 1000;  // several blocks when K is large
    const Mat<T> Rc = random_matrix<T>(n, k, 0x15c0600 + static_cast<std::uint64_t>(k));
    const Mat<T> Fc = random_matrix<T>(n, k, 0x15c0700 + static_cast<std::uint64_t>(k));
    const RowMat<T> Rr = Rc, Fr = Fc;
    const Eigen::Map<const RowMat<T>> Rrm(Rr.data(), n, k), Frm(Fr.data(), n, k);
    const Eigen::Map<const Mat<T>> Rcm(Rc.data(), n, k), Fcm(Fc.data(), n, k);
    INFO("K = " << k);
    const Vec<T> col = lsc::conjunction(Rcm, Fcm);
    const Vec<T> row = lsc::conjunction(Rrm, Frm);
    const Vec<T> mixed = lsc::conjunction(Rrm, Fcm);
    CHECK(identical(col, row));
    CHECK(identical(col, mixed));
    CHECK(identical(lsc::centred_sum(Rcm, Fcm), lsc::centred_sum(Rrm, Frm)));
    CHECK(identical(lsc::utilities(Rcm, Fcm), lsc::utilities(Rrm, Frm)));
  }
}

TEMPLATE_TEST_CASE("conjunction_into writes the same values, contiguous or strided", "[aggregate]",
                   float, double) {
  using T = TestType;
  const Eigen::Index n = 300, k = 4;
  const Mat<T> R = random_matrix<T>(n, k, 0x15c0800);
  const Mat<T> F = random_matrix<T>(n, k, 0x15c0801);
  const Vec<T> expected = lsc::conjunction(R, F);
  Vec<T> out(n);
  lsc::conjunction_into(out, R, F);
  CHECK(identical(out, expected));
  // Into a column of a row-major matrix (inner stride 3).
  RowMat<T> table = RowMat<T>::Constant(n, 3, T(-7));
  lsc::conjunction_into(table.col(1), R, F);
  CHECK(identical(Vec<T>(table.col(1)), expected));
  CHECK((table.col(0).array() == T(-7)).all());
  CHECK((table.col(2).array() == T(-7)).all());
  Vec<T> w(k);
  w << T(1), T(3), T(0.5), T(0);
  lsc::conjunction_into(out, R, F, w);
  CHECK(identical(out, lsc::conjunction(R, F, w)));
}

TEMPLATE_TEST_CASE("raw-pointer kernels equal the Eigen API", "[aggregate][kernels]", float,
                   double) {
  using T = TestType;
  for (const Eigen::Index k : {1, 3, 8, 13}) {
    const Eigen::Index n = 517;
    const Mat<T> Rc = random_matrix<T>(n, k, 0x15c0900 + static_cast<std::uint64_t>(k));
    const Mat<T> Fc = random_matrix<T>(n, k, 0x15c0950 + static_cast<std::uint64_t>(k));
    const RowMat<T> Rr = Rc, Fr = Fc;
    const auto un = static_cast<std::size_t>(n), uk = static_cast<std::size_t>(k);
    INFO("K = " << k);
    Vec<T> out_row(n), out_col(n);
    lsc::kernels::conjunction(Rr.data(), Fr.data(), un, uk, lsc::Layout::row_major,
                              static_cast<const T*>(nullptr), out_row.data());
    lsc::kernels::conjunction(Rc.data(), Fc.data(), un, uk, lsc::Layout::col_major,
                              static_cast<const T*>(nullptr), out_col.data());
    CHECK(identical(out_row, lsc::conjunction(Eigen::Map<const RowMat<T>>(Rr.data(), n, k),
                                              Eigen::Map<const RowMat<T>>(Fr.data(), n, k))));
    CHECK(identical(out_col, lsc::conjunction(Rc, Fc)));
    CHECK(identical(out_row, out_col));
    Vec<T> w = Vec<T>::LinSpaced(k, T(0.5), T(2));
    lsc::kernels::conjunction(Rr.data(), Fr.data(), un, uk, lsc::Layout::row_major, w.data(),
                              out_row.data());
    lsc::kernels::conjunction(Rc.data(), Fc.data(), un, uk, lsc::Layout::col_major, w.data(),
                              out_col.data());
    CHECK(identical(out_row, lsc::conjunction(Eigen::Map<const RowMat<T>>(Rr.data(), n, k),
                                              Eigen::Map<const RowMat<T>>(Fr.data(), n, k), w)));
    CHECK(identical(out_col, lsc::conjunction(Rc, Fc, w)));
  }
  // Element-wise kernels, at every size 0..70 and unaligned offsets.
  const std::vector<T> r = lsc_test::random_inputs<T>(80, 0x15c0990);
  const std::vector<T> f = lsc_test::random_inputs<T>(80, 0x15c0991);
  using A = Eigen::Array<T, Eigen::Dynamic, 1>;
  for (std::size_t n = 0; n <= 70; ++n) {
    for (std::size_t off = 0; off <= 3; ++off) {
      const auto ni = static_cast<Eigen::Index>(n);
      const Eigen::Map<const A> rm(r.data() + off, ni), fm(f.data() + off, ni);
      std::vector<T> out(n + 4);
      lsc::kernels::log_sigmoid(r.data() + off, out.data() + 1, n);
      CHECK(identical(Eigen::Map<const A>(out.data() + 1, ni), A(lsc::log_sigmoid(rm))));
      lsc::kernels::transform(r.data() + off, f.data() + off, out.data() + 1, n);
      CHECK(identical(Eigen::Map<const A>(out.data() + 1, ni), A(lsc::transform(rm, fm))));
      // In place: out is the same buffer as r.
      std::vector<T> inplace(r.begin() + static_cast<std::ptrdiff_t>(off),
                             r.begin() + static_cast<std::ptrdiff_t>(off + n));
      lsc::kernels::log_sigmoid(inplace.data(), inplace.data(), n);
      CHECK(identical(Eigen::Map<const A>(inplace.data(), ni), A(lsc::log_sigmoid(rm))));
    }
  }
  // transform_grouped: contiguous groups with one reference each.
  for (const std::size_t groups : {std::size_t(0), std::size_t(1), std::size_t(5)}) {
    for (const std::size_t size : {std::size_t(1), std::size_t(7), std::size_t(16)}) {
      const std::size_t n = groups * size;
      const std::vector<T> rv = lsc_test::random_inputs<T>(n + 1, 0x15c0992, false);
      const std::vector<T> refs = lsc_test::random_inputs<T>(groups + 1, 0x15c0993, false);
      std::vector<T> out(n);
      lsc::kernels::transform_grouped(rv.data(), refs.data(), groups, size, out.data());
      for (std::size_t i = 0; i < n; ++i) {
        CHECK(same_value(out[i], lsc::log_sigmoid(T(rv[i] - refs[i / size]))));
      }
    }
  }
}

TEMPLATE_TEST_CASE("single reward: the ranking within a prompt is unchanged", "[aggregate]", float,
                   double) {
  using T = TestType;
  const auto g = lsc::Groups::uniform(20, 16);
  // Rewards in a prompt differ by >= 1/64, far above the 2-ulp error of log σ, so the order
  // of the utilities is the order of the rewards. (Ties of exact duplicates stay ties.)
  std::mt19937_64 rng(0x15c0a00);
  Mat<T> R(320, 1);
  for (Eigen::Index p = 0; p < 20; ++p) {
    std::vector<int> ranks(16);
    std::iota(ranks.begin(), ranks.end(), -8);
    std::shuffle(ranks.begin(), ranks.end(), rng);
    for (Eigen::Index j = 0; j < 16; ++j)
      R(p * 16 + j, 0) = static_cast<T>(ranks[static_cast<std::size_t>(j)]) / T(64) * T(p + 1);
  }
  const Mat<T> ref = lsc::reference::median(R, g);
  const Vec<T> c = lsc::conjunction(R, ref, g);
  for (Eigen::Index p = 0; p < 20; ++p) {
    for (Eigen::Index a = 0; a < 16; ++a) {
      for (Eigen::Index b = 0; b < 16; ++b) {
        const Eigen::Index i = p * 16 + a, j = p * 16 + b;
        if (R(i, 0) < R(j, 0)) CHECK(c[i] < c[j]);
      }
    }
  }
}

TEMPLATE_TEST_CASE("edge shapes: K = 0, N = 0, K > 2048 (heap path)", "[aggregate]", float,
                   double) {
  using T = TestType;
  SECTION("K = 0: an empty conjunction is certain (log 1 = 0)") {
    const Mat<T> R(5, 0), F(5, 0);
    const Vec<T> c = lsc::conjunction(R, F);
    REQUIRE(c.size() == 5);
    CHECK((c.array() == T(0)).all());
    CHECK((lsc::probability_all_good(R, F).array() == T(1)).all());
    Vec<T> out = Vec<T>::Constant(5, T(3));
    lsc::kernels::conjunction(R.data(), F.data(), 5, 0, lsc::Layout::row_major,
                              static_cast<const T*>(nullptr), out.data());
    CHECK((out.array() == T(0)).all());
  }
  SECTION("N = 0: empty results") {
    const Mat<T> R(0, 3), F(0, 3);
    CHECK(lsc::conjunction(R, F).size() == 0);
    CHECK(lsc::centred_sum(R, F).size() == 0);
    CHECK(lsc::raw_sum(R).size() == 0);
    const auto g = lsc::Groups::uniform(0, 4);
    CHECK(lsc::conjunction(R, Mat<T>(0, 3), g).size() == 0);
    Vec<T> out(0);
    lsc::conjunction_into(out, R, F);
  }
  SECTION("K = 2500 > 2048: heap scratch, same values as a long double sum") {
    const Eigen::Index n = 3, k = 2500;
    const Mat<T> R = random_matrix<T>(n, k, 0x15c0b00);
    const Mat<T> F = random_matrix<T>(n, k, 0x15c0b01);
    const RowMat<T> Rr = R, Fr = F;
    const Vec<T> c = lsc::conjunction(R, F);
    CHECK(identical(c, lsc::conjunction(Rr, Fr)));
    Vec<T> out(n);
    lsc::kernels::conjunction(Rr.data(), Fr.data(), 3, 2500, lsc::Layout::row_major,
                              static_cast<const T*>(nullptr), out.data());
    CHECK(identical(out, c));
    for (Eigen::Index i = 0; i < n; ++i) {
      long double sum = 0, magnitude = 0;
      for (Eigen::Index j = 0; j < k; ++j) {
        const long double t = lsc_test::log_sigmoid_ref(T(R(i, j) - F(i, j)));
        sum += t;
        magnitude += std::fabs(t);
      }
      CHECK(std::fabs(static_cast<long double>(c[i]) - sum) <=
            conjunction_tolerance<T>(k, magnitude));
    }
  }
}
