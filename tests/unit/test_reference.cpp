// lsc — reference points (reference.hpp) against numpy and mpmath values generated once by
// tests/reference/make_quantiles.py into tests/reference/quantiles.inc (committed; CI needs
// no Python). SPDX-License-Identifier: MIT
#include <lsc/groups.hpp>
#include <lsc/reference.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "../reference/quantiles.inc"
#include "lsc_test.hpp"
#include "lsc_test_util.hpp"

namespace tables = lsc_reference_tables;
using lsc_test::ulp_error;

namespace {

// Tolerances. quantile and median use numpy's own arithmetic (lerp in double, product and sum
// rounded separately even where the compiler would contract them), so they match exactly; the
// mean accumulates in the same order as numpy only for short groups (numpy uses pairwise
// summation above 8 elements), hence a few ulp; normal_quantile claims a few ulp; the Gaussian
// quantile adds the std's rounding.
constexpr long double quantile_ulps = 0;
constexpr long double mean_ulps = 4;
constexpr long double normal_quantile_ulps = 8;  // doc: "a few ulp"
constexpr long double gaussian_rel = 1e-13L;

using Mat = Eigen::MatrixXd;

// All table groups stacked as the rows of one N x 1 sample column, with offsets.
struct Stacked {
  Mat samples;
  std::vector<Eigen::Index> offsets;
};

Stacked stacked_groups() {
  Stacked s;
  const int n = tables::offsets[tables::num_groups];
  s.samples.resize(n, 1);
  for (int i = 0; i < n; ++i) s.samples(i, 0) = tables::samples[i];
  s.offsets.assign(tables::offsets, tables::offsets + tables::num_groups + 1);
  return s;
}

bool all_nan(int g) {
  for (int i = tables::offsets[g]; i < tables::offsets[g + 1]; ++i)
    if (!std::isnan(tables::samples[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("quantile matches numpy's default (linear), NaN samples skipped", "[reference]") {
  const Stacked s = stacked_groups();
  const auto groups = lsc::Groups::from_offsets(s.offsets);
  for (int l = 0; l < tables::num_levels; ++l) {
    const double q = tables::levels[l];
    const Mat got = lsc::reference::quantile(s.samples, groups, q);
    REQUIRE(got.rows() == tables::num_groups);
    REQUIRE(got.cols() == 1);
    for (int g = 0; g < tables::num_groups; ++g) {
      INFO("group " << g << ", q = " << q);
      // ulps of the largest sample magnitude in the group (the lerp's operands)
      double scale = 0;
      for (int i = tables::offsets[g]; i < tables::offsets[g + 1]; ++i)
        if (!std::isnan(tables::samples[i])) scale = std::max(scale, std::fabs(tables::samples[i]));
      CHECK(std::fabs(static_cast<long double>(got(g, 0)) - tables::quantile[g][l]) <=
            quantile_ulps * lsc_test::ulp_at<double>(scale));
      if (quantile_ulps == 0) CHECK(got(g, 0) == tables::quantile[g][l]);
    }
  }
  const Mat med = lsc::reference::median(s.samples, groups);
  const Mat mean = lsc::reference::mean(s.samples, groups);
  for (int g = 0; g < tables::num_groups; ++g) {
    INFO("group " << g);
    CHECK(ulp_error(med(g, 0), tables::quantile[g][4]) <= 2);  // levels[4] = 0.5
    CHECK(ulp_error(mean(g, 0), tables::mean[g]) <= mean_ulps);
  }
}

TEST_CASE("quantile: hand-checked cases", "[reference]") {
  // [1, 2, 3, 4]: h = 3q; q = 0.25 -> 1.75, q = 0.5 -> 2.5, q = 0.85 -> 3 + 0.55 = 3.55.
  Eigen::MatrixXd b(1, 4);
  b << 4, 1, 3, 2;
  CHECK(lsc::reference::quantile(b, 0.25)[0] == 1.75);
  CHECK(lsc::reference::quantile(b, 0.5)[0] == 2.5);
  CHECK(lsc::reference::median(b)[0] == 2.5);
  CHECK(std::fabs(lsc::reference::quantile(b, 0.85)[0] - 3.55) <= 4e-16 * 3.55);
  CHECK(lsc::reference::quantile(b, 0.0)[0] == 1);
  CHECK(lsc::reference::quantile(b, 1.0)[0] == 4);
  CHECK(lsc::reference::mean(b)[0] == 2.5);
  // float samples give float results with the same definition
  Eigen::MatrixXf bf = b.cast<float>();
  CHECK(lsc::reference::quantile(bf, 0.25)[0] == 1.75f);
  CHECK(lsc::reference::median(bf)[0] == 2.5f);
}

TEST_CASE("gaussian_quantile = mean + Φ⁻¹(q) population std; normal_quantile vs mpmath",
          "[reference]") {
  CHECK(ulp_error(lsc::reference::normal_quantile(0.85), 1.0364333894937894L) <=
        normal_quantile_ulps);
  // The value quoted in the brief / PAR, to its 17 digits.
  CHECK(std::fabs(lsc::reference::normal_quantile(0.85) - 1.0364333894937898) <= 1e-15);
  for (int i = 0; i < tables::num_normal; ++i) {
    INFO("q = " << tables::normal_levels[i]);
    CHECK(ulp_error(lsc::reference::normal_quantile(tables::normal_levels[i]),
                    tables::normal_quantile[i]) <= normal_quantile_ulps);
  }
  CHECK(lsc::reference::normal_quantile(0.0) == -std::numeric_limits<double>::infinity());
  CHECK(lsc::reference::normal_quantile(1.0) == std::numeric_limits<double>::infinity());

  const Stacked s = stacked_groups();
  const auto groups = lsc::Groups::from_offsets(s.offsets);
  for (int l = 1; l + 1 < tables::num_levels; ++l) {
    const Mat got = lsc::reference::gaussian_quantile(s.samples, groups, tables::levels[l]);
    for (int g = 0; g < tables::num_groups; ++g) {
      const double expected = tables::gaussian_quantile[g][l];
      if (!std::isfinite(expected)) continue;  // the [-1e300, 1e300, 0] group: std overflows
      INFO("group " << g << ", q = " << tables::levels[l]);
      // Tolerance relative to the spread of the group (mean and std magnitudes).
      const double scale = std::fabs(tables::mean[g]) + std::fabs(expected) + 1e-300;
      CHECK(std::fabs(got(g, 0) - expected) <= gaussian_rel * scale);
    }
  }
  // A point mass: every level gives the value itself.
  Eigen::MatrixXd b = Eigen::MatrixXd::Constant(2, 5, 3.25);
  CHECK((lsc::reference::gaussian_quantile(b, 0.85).array() == 3.25).all());
}

TEST_CASE("all-NaN group gives NaN; empty matrix is rejected", "[reference]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixXd b(2, 3);
  b << nan, nan, nan,  //
      1, nan, 3;
  for (const auto& r : {lsc::reference::quantile(b, 0.3), lsc::reference::median(b),
                        lsc::reference::mean(b), lsc::reference::gaussian_quantile(b, 0.85)}) {
    CHECK(std::isnan(r[0]));
    CHECK(std::isfinite(r[1]));
  }
  CHECK(lsc::reference::median(b)[1] == 2);
  CHECK(lsc::reference::mean(b)[1] == 2);
  CHECK(lsc::reference::gaussian_quantile(b, 0.5)[1] == 2);
  for (int g = 0; g < tables::num_groups; ++g) CHECK_FALSE(all_nan(g));
}

TEST_CASE("P x M convenience equals the grouped form, row- and column-major", "[reference]") {
  const Eigen::Index P = 6, M = 9;
  Eigen::MatrixXd B(P, M);
  std::mt19937_64 rng(0x15c0c00);
  std::normal_distribution<double> normal(0, 2);
  for (Eigen::Index i = 0; i < P; ++i)
    for (Eigen::Index j = 0; j < M; ++j) B(i, j) = normal(rng);
  B(2, 4) = std::numeric_limits<double>::quiet_NaN();
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> Br = B;
  // The grouped form: row p of B becomes group p of an (M P) x 1 sample column.
  Eigen::MatrixXd flat(P * M, 1);
  for (Eigen::Index i = 0; i < P; ++i)
    for (Eigen::Index j = 0; j < M; ++j) flat(i * M + j, 0) = B(i, j);
  const auto g = lsc::Groups::uniform(P, M);
  for (const double q : {0.0, 0.2, 0.5, 0.85, 1.0}) {
    INFO("q = " << q);
    const Eigen::VectorXd grouped = lsc::reference::quantile(flat, g, q).col(0);
    CHECK(lsc::reference::quantile(B, q) == grouped);
    CHECK(lsc::reference::quantile(Br, q) == grouped);
    const Eigen::VectorXd gg = lsc::reference::gaussian_quantile(flat, g, q).col(0);
    CHECK(lsc::reference::gaussian_quantile(B, q) == gg);
    CHECK(lsc::reference::gaussian_quantile(Br, q) == gg);
  }
  CHECK(lsc::reference::median(B) == lsc::reference::median(flat, g).col(0));
  CHECK(lsc::reference::mean(Br) == lsc::reference::mean(flat, g).col(0));
}

TEST_CASE("ragged groups and several reward models (P x K results)", "[reference]") {
  // Three models, ragged groups given by index (rows in any order).
  const std::vector<int> index = {2, 0, 1, 1, 0, 2, 2, 0, 2};
  const auto g = lsc::Groups::from_index(index, 3);
  Eigen::MatrixXd S(9, 3);
  for (Eigen::Index i = 0; i < 9; ++i) {
    S(i, 0) = static_cast<double>(i);
    S(i, 1) = -static_cast<double>(i) * 0.5;
    S(i, 2) = static_cast<double>((i * 7) % 5);
  }
  const Eigen::MatrixXd med = lsc::reference::median(S, g);
  REQUIRE(med.rows() == 3);
  REQUIRE(med.cols() == 3);
  // group 0 = rows {1, 4, 7}, group 1 = rows {2, 3}, group 2 = rows {0, 5, 6, 8}
  CHECK(med(0, 0) == 4);
  CHECK(med(1, 0) == 2.5);
  CHECK(med(2, 0) == 5.5);
  CHECK(med(0, 1) == -2);
  CHECK(med(1, 1) == -1.25);
  CHECK(med(2, 2) == 0.5);  // rows 0, 5, 6, 8 -> 0, 0, 2, 1
}
