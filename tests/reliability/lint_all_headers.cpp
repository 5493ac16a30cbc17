// lsc — the translation unit scripts/lint gives clang-tidy: every public header, and the API
// instantiated for float and double, row- and column-major, so that the checks see the template
// code as users instantiate it. Not built by CMake. SPDX-License-Identifier: MIT
#include <lsc/aggregate.hpp>
#include <lsc/error.hpp>
#include <lsc/expr.hpp>
#include <lsc/groups.hpp>
#include <lsc/kernels.hpp>
#include <lsc/lsc.hpp>
#include <lsc/math.hpp>
#include <lsc/reference.hpp>
#include <lsc/version.hpp>

#include <exception>
#include <vector>

namespace {

template <class T, int Order>
T exercise() {
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Order>;
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  const T one = 1;
  const Matrix r = Matrix::Ones(6, 3), ref = Matrix::Zero(6, 3);
  const Vector w = Vector::Ones(3);
  const auto uniform = lsc::Groups::uniform(2, 3);
  const auto ragged = lsc::Groups::from_offsets(std::vector<Eigen::Index>{0, 2, 6});
  const auto indexed = lsc::Groups::from_index(std::vector<int>{0, 1, 0, 1, 0, 1}, 2);
  const Matrix ref_p = lsc::reference::quantile(r, uniform, 0.85) +
                       lsc::reference::median(r, ragged) + lsc::reference::mean(r, indexed) +
                       lsc::reference::gaussian_quantile(r, uniform, 0.5);
  const Vector per_row = lsc::reference::quantile(r, 0.5) + lsc::reference::mean(r);
  Vector out(6);
  lsc::conjunction_into(out, r, ref);
  lsc::conjunction_into(out, r, ref, w);
  lsc::conjunction_into(out, r, ref_p, uniform);
  lsc::conjunction_into(out, r, ref_p, ragged, w);
  out += lsc::conjunction(r, ref) + lsc::conjunction(r, ref_p, indexed, w) +
         lsc::probability_all_good(r, ref) + lsc::centred_sum(r, ref_p, uniform) + lsc::raw_sum(r) +
         lsc::raw_sum(r, w);
  const Matrix u = lsc::utilities(r, ref_p, uniform) + lsc::broadcast(ref_p, uniform) +
                   lsc::transform(r, ref) + lsc::centre(r, ref) + lsc::log_sigmoid(r) +
                   lsc::sigmoid(r);
  std::vector<T> buffer(18);
  lsc::kernels::log_sigmoid(r.data(), buffer.data(), buffer.size());
  lsc::kernels::transform(r.data(), ref.data(), buffer.data(), buffer.size());
  lsc::kernels::transform_grouped(r.data(), ref_p.data(), 2, 9, buffer.data());
  lsc::kernels::conjunction(
      r.data(), ref.data(), 6, 3,
      Order == Eigen::RowMajor ? lsc::Layout::row_major : lsc::Layout::col_major, w.data(),
      out.data());
  return out.sum() + u.sum() + per_row.sum() + buffer[0] + lsc::softplus(one) +
         lsc::log_sigmoid_derivative(one) + lsc::sigmoid(one) + lsc::log_sigmoid(one);
}

}  // namespace

int main() try {
  const double total = exercise<float, Eigen::ColMajor>() + exercise<float, Eigen::RowMajor>() +
                       exercise<double, Eigen::ColMajor>() + exercise<double, Eigen::RowMajor>() +
                       static_cast<double>(lsc::log_sigmoid(1.0L));
  return total > 0 ? 0 : 1;
} catch (const std::exception&) {
  return 1;
}
