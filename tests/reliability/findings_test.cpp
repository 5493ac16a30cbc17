// lsc — regression tests for findings of the reliability work (docs/reliability.md, "Findings"),
// both fixed in include/lsc/aggregate.hpp:
//   empty_weights  an empty weight vector was taken as "no weights": conjunction(R, ref, w) with
//                  w.size() == 0 < K returned the unweighted sum, and raw_sum(R, w) read through
//                  a null pointer (UB). Now: std::invalid_argument "'weights' has 0 entries,
//                  expected K".
//   layout_order   conjunction() of a row-major R differed in the last bits from the same R
//                  column-major (a tree reduction for row-major blocks). Now both storage
//                  orders sum left to right over k, column by column.
// SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "check.hpp"

namespace {

void empty_weights() {
  const Eigen::MatrixXf r = Eigen::MatrixXf::Ones(9, 6), ref = Eigen::MatrixXf::Zero(9, 6);
  const Eigen::VectorXf w;  // 0 entries, data() == nullptr
  bool threw = false;
  try {
    (void)lsc::conjunction(r, ref, w);
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  LSC_CHECK(threw, "conjunction(9x6, 9x6, 0 weights) was accepted");
  threw = false;
  try {
    (void)lsc::raw_sum(r, w);  // UB today: GEMV through weights.data() == nullptr
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  LSC_CHECK(threw, "raw_sum(9x6, 0 weights) was accepted");
}

void layout_order() {
  int differ = 0;
  for (int t = 0; t < 200; ++t) {
    const int n = 1 + t % 7, k = 1 + t % 13;
    Eigen::MatrixXd r(n, k), ref(n, k);
    for (int i = 0; i < r.size(); ++i) {
      r.data()[i] = static_cast<double>((i * 7919 + t * 104729) % 2001 - 1000) / 37.0;
      ref.data()[i] = static_cast<double>((i * 6007 + t * 1299709) % 2001 - 1000) / 41.0;
    }
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rr = r, rf = ref;
    const Eigen::VectorXd a = lsc::conjunction(r, ref), b = lsc::conjunction(rr, rf);
    for (int i = 0; i < n; ++i) {
      double left_to_right = 0;
      for (int j = 0; j < k; ++j) left_to_right += lsc::log_sigmoid(r(i, j) - ref(i, j));
      if (std::memcmp(&a(i), &b(i), sizeof(double)) != 0 || a(i) != left_to_right) ++differ;
    }
  }
  LSC_CHECK(differ == 0, "%d rows: row-major != column-major or != the left-to-right sum", differ);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  if (std::strcmp(argv[1], "empty_weights") == 0) {
    empty_weights();
  } else if (std::strcmp(argv[1], "layout_order") == 0) {
    layout_order();
  } else {
    return 2;
  }
  return lsc_reliability::failures() == 0 ? 0 : 1;
}
