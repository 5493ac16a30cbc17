// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
//
// Sum-as-conjunction over K reward models, and the raw baselines to compare it with.
//
//   rewards : N x K (a row per response, a column per reward model), any Eigen matrix, array,
//             Map or Ref, row- or column-major (trainers hand [N, K] row-major tensors).
//   ref     : the references, either N x K (one per response and model: already broadcast,
//             or any expression such as `Eigen::MatrixXf::Constant(N, K, c)`), or P x K
//             together with an lsc::Groups that maps the N rows to the P prompts.
//   weights : optional, K entries, each finite and >= 0 (default: all 1).
//
//   conjunction          Σ_k w_k log σ(r_ik - ref_ik) = log Π_k σ(r_ik - ref_ik)^w_k
//                        = log P(good on every property), the LSC utility.
//   probability_all_good exp(conjunction).
//   utilities            the N x K per-component log σ(r_ik - ref_ik).
//   centred_sum          Σ_k w_k (r_ik - ref_ik), the raw centred baseline.
//   raw_sum              Σ_k w_k r_ik, what trainers optimise today.
//
// One pass: the rewards are read once, in blocks of rows that fit a fixed stack buffer,
// and each utility is written once. Allocation: the returned vector (the *_into variants
// write into the caller's buffer and allocate nothing, unless K > 2048, when one scratch
// buffer is allocated). Errors: shapes, group row counts and weights are checked before
// anything is written (std::invalid_argument naming the argument and the shapes).
// Numerics: element-wise as in math.hpp; each term w_k u_ik is rounded, then the terms are
// summed left to right over k, whatever the storage order.
#ifndef LSC_AGGREGATE_HPP
#define LSC_AGGREGATE_HPP

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "error.hpp"
#include "expr.hpp"
#include "groups.hpp"

namespace lsc {

template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// Any vector view the aggregations can write into: contiguous or strided.
template <class T>
using VectorRef = Eigen::Ref<Vector<T>, 0, Eigen::InnerStride<>>;

namespace detail {

// Rows rewards per block; the buffer holds one block of K columns.
constexpr Index block_elements = 2048;

// Where row i's references come from: row i of an N x K expression ...
template <class RefDerived>
struct per_row {
  const RefDerived& ref;
};
// ... or row groups.group_of(i) of a P x K expression.
template <class RefDerived>
struct per_group {
  const RefDerived& ref;
  const Groups& groups;
};

template <class R, class RefDerived>
void check_reference(const char* fn, const R& rewards, const per_row<RefDerived>& source) {
  if (source.ref.rows() != rewards.rows() || source.ref.cols() != rewards.cols()) {
    bad_argument(fn, "ref",
                 "has shape " + shape(source.ref) + ", expected " + shape(rewards) +
                     " (the shape of 'rewards'; for one reference per prompt pass an lsc::Groups)");
  }
}

template <class R, class RefDerived>
void check_reference(const char* fn, const R& rewards, const per_group<RefDerived>& source) {
  if (source.groups.num_rows() != rewards.rows()) {
    bad_argument(fn, "groups",
                 "covers " + std::to_string(source.groups.num_rows()) +
                     " rows but 'rewards' has shape " + shape(rewards));
  }
  if (source.ref.rows() != source.groups.num_groups() || source.ref.cols() != rewards.cols()) {
    bad_argument(fn, "ref",
                 "has shape " + shape(source.ref) + ", expected " +
                     shape(source.groups.num_groups(), rewards.cols()) +
                     " (one row per group of 'groups', one column per column of 'rewards' " +
                     shape(rewards) + ")");
  }
}

// num_weights for the overloads without weights. An empty weight vector is not "no weights":
// it is checked like any other and rejected unless K = 0.
constexpr Index unweighted = -1;

template <class T>
void check_weights(const char* fn, const T* weights, Index k, Index expected) {
  if (k == unweighted) return;
  if (k != expected) {
    bad_argument(fn, "weights",
                 "has " + std::to_string(k) + " entries, expected " + std::to_string(expected) +
                     " (one per column of 'rewards')");
  }
  for (Index j = 0; j < k; ++j) {
    if (!(weights[j] >= T(0) && std::isfinite(weights[j]))) {
      bad_argument(fn, "weights",
                   "has entry " + std::to_string(static_cast<double>(weights[j])) + " at index " +
                       std::to_string(j) + ", expected a finite weight >= 0");
    }
  }
}

template <class Out, class R>
void check_output(const char* fn, const Out& out, const R& rewards) {
  if (out.size() != rewards.rows()) {
    bad_argument(fn, "out",
                 "has " + std::to_string(out.size()) + " entries, expected " +
                     std::to_string(rewards.rows()) + " (one per row of 'rewards' " +
                     shape(rewards) + ")");
  }
}

// Fills `block` (n x K) with Op(rewards, references) for rows [first, first + n).
template <class Op, class Block, class RewardRows, class RefDerived>
void fill_block(Block& block, const RewardRows& r, Index first, const per_row<RefDerived>& source) {
  block = r.binaryExpr(source.ref.middleRows(first, block.rows()).matrix(), Op());
}

template <class Op, class Block, class RewardRows, class RefDerived>
void fill_block(Block& block, const RewardRows& r, Index first,
                const per_group<RefDerived>& source) {
  source.groups.for_each_row(first, first + block.rows(), [&](Index i, Index p) {
    block.row(i - first) = source.ref.row(p).matrix();
  });
  block = r.binaryExpr(block, Op());  // element-wise, so reading and writing `block` is safe
}

// The one aggregation loop behind every function below. Op is an element-wise binary functor
// of (reward, reference); out_i = Σ_k w_k Op(rewards_ik, ref_ik). Inputs already validated.
template <class Op, class R, class Source>
void aggregate(VectorRef<typename R::Scalar> out, const R& rewards, const Source& source,
               const typename R::Scalar* weights) {
  using T = typename R::Scalar;
  constexpr int order = (int(R::Flags) & Eigen::RowMajorBit) ? Eigen::RowMajor : Eigen::ColMajor;
  using Block = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, order>;
  const Index n_rows = rewards.rows(), k = rewards.cols();
  if (k == 0) {  // an empty conjunction is certain: log 1 = 0
    out.setZero();
    return;
  }
  alignas(EIGEN_MAX_ALIGN_BYTES) T stack[block_elements];
  std::vector<T> heap;
  T* storage = stack;
  if (k > block_elements) {
    heap.resize(static_cast<std::size_t>(k));
    storage = heap.data();
  }
  const Index block_rows = std::max<Index>(1, block_elements / k);
  const Eigen::Map<const Vector<T>> w(weights, weights ? k : 0);
  for (Index first = 0; first < n_rows; first += block_rows) {
    const Index n = std::min(block_rows, n_rows - first);
    Eigen::Map<Block> block(storage, n, k);
    fill_block<Op>(block, rewards.middleRows(first, n).matrix(), first, source);
    // Left to right over k, one column at a time, for both storage orders: the same
    // operations in the same order, so row- and column-major inputs give the same bits.
    // (Eigen's rowwise().sum() would use a tree reduction for row-major blocks only.) The
    // weighting is a separate statement so that no compiler fuses it with the sum.
    auto sum = out.segment(first, n);
    for (Index j = 0; j < k; ++j) {
      if (weights) block.col(j) *= w[j];
      if (j == 0) {
        sum = block.col(0);
      } else {
        sum += block.col(j);
      }
    }
  }
}

// Validates everything, then aggregates. The entry point of every public function.
template <class Op, class R, class Source>
void checked_aggregate(const char* fn, VectorRef<typename R::Scalar> out, const R& rewards,
                       const Source& source, const typename R::Scalar* weights, Index num_weights) {
  check_reference(fn, rewards, source);
  check_weights(fn, weights, num_weights, rewards.cols());
  check_output(fn, out, rewards);
  aggregate<Op>(out, rewards, source, weights);
}

template <class Op, class R, class Source>
Vector<typename R::Scalar> aggregated(const char* fn, const R& rewards, const Source& source,
                                      const typename R::Scalar* weights, Index num_weights) {
  check_reference(fn, rewards, source);
  check_weights(fn, weights, num_weights, rewards.cols());
  Vector<typename R::Scalar> out(rewards.rows());
  aggregate<Op>(out, rewards, source, weights);
  return out;
}

template <class T>
using lsc_op = functors::lsc_op<T>;
template <class T>
using centre_op = functors::centre_op<T>;

}  // namespace detail

// Weights are passed as any Eigen vector expression of the rewards' scalar type; it is
// evaluated once (a copy only if it is not already contiguous).
template <class T>
using Weights = Eigen::Ref<const Vector<T>>;

/// log P(good on every property) per response: Σ_k log σ(rewards_ik - ref_ik). N x K refs.
template <class R, class Ref>
Vector<typename R::Scalar> conjunction(const Eigen::DenseBase<R>& rewards,
                                       const Eigen::DenseBase<Ref>& ref) {
  return detail::aggregated<detail::lsc_op<typename R::Scalar>>(
      "lsc::conjunction", rewards.derived(), detail::per_row<Ref>{ref.derived()}, nullptr,
      detail::unweighted);
}
/// Weighted: Σ_k w_k log σ(rewards_ik - ref_ik).
template <class R, class Ref>
Vector<typename R::Scalar> conjunction(const Eigen::DenseBase<R>& rewards,
                                       const Eigen::DenseBase<Ref>& ref,
                                       const Weights<typename R::Scalar>& weights) {
  return detail::aggregated<detail::lsc_op<typename R::Scalar>>(
      "lsc::conjunction", rewards.derived(), detail::per_row<Ref>{ref.derived()}, weights.data(),
      weights.size());
}
/// One reference per prompt: ref is P x K and `groups` maps the N rows to the P prompts.
template <class R, class Ref>
Vector<typename R::Scalar> conjunction(const Eigen::DenseBase<R>& rewards,
                                       const Eigen::DenseBase<Ref>& ref, const Groups& groups) {
  return detail::aggregated<detail::lsc_op<typename R::Scalar>>(
      "lsc::conjunction", rewards.derived(), detail::per_group<Ref>{ref.derived(), groups}, nullptr,
      detail::unweighted);
}
template <class R, class Ref>
Vector<typename R::Scalar> conjunction(const Eigen::DenseBase<R>& rewards,
                                       const Eigen::DenseBase<Ref>& ref, const Groups& groups,
                                       const Weights<typename R::Scalar>& weights) {
  return detail::aggregated<detail::lsc_op<typename R::Scalar>>(
      "lsc::conjunction", rewards.derived(), detail::per_group<Ref>{ref.derived(), groups},
      weights.data(), weights.size());
}

/// conjunction() written into the caller's vector `out` (N entries); allocates nothing.
/// `out` is untouched if any argument is rejected.
template <class R, class Ref>
void conjunction_into(VectorRef<typename R::Scalar> out, const Eigen::DenseBase<R>& rewards,
                      const Eigen::DenseBase<Ref>& ref) {
  detail::checked_aggregate<detail::lsc_op<typename R::Scalar>>(
      "lsc::conjunction_into", out, rewards.derived(), detail::per_row<Ref>{ref.derived()}, nullptr,
      detail::unweighted);
}
template <class R, class Ref>
void conjunction_into(VectorRef<typename R::Scalar> out, const Eigen::DenseBase<R>& rewards,
                      const Eigen::DenseBase<Ref>& ref,
                      const Weights<typename R::Scalar>& weights) {
  detail::checked_aggregate<detail::lsc_op<typename R::Scalar>>(
      "lsc::conjunction_into", out, rewards.derived(), detail::per_row<Ref>{ref.derived()},
      weights.data(), weights.size());
}
template <class R, class Ref>
void conjunction_into(VectorRef<typename R::Scalar> out, const Eigen::DenseBase<R>& rewards,
                      const Eigen::DenseBase<Ref>& ref, const Groups& groups) {
  detail::checked_aggregate<detail::lsc_op<typename R::Scalar>>(
      "lsc::conjunction_into", out, rewards.derived(),
      detail::per_group<Ref>{ref.derived(), groups}, nullptr, detail::unweighted);
}
template <class R, class Ref>
void conjunction_into(VectorRef<typename R::Scalar> out, const Eigen::DenseBase<R>& rewards,
                      const Eigen::DenseBase<Ref>& ref, const Groups& groups,
                      const Weights<typename R::Scalar>& weights) {
  detail::checked_aggregate<detail::lsc_op<typename R::Scalar>>(
      "lsc::conjunction_into", out, rewards.derived(),
      detail::per_group<Ref>{ref.derived(), groups}, weights.data(), weights.size());
}

/// P(good on every property) = exp(conjunction(...)); same arguments as conjunction().
template <class... Args>
auto probability_all_good(const Args&... args) {
  auto log_p = conjunction(args...);
  log_p.array() = log_p.array().exp();
  return log_p;
}

/// The raw centred baseline Σ_k (rewards_ik - ref_ik); same argument forms as conjunction().
template <class R, class Ref>
Vector<typename R::Scalar> centred_sum(const Eigen::DenseBase<R>& rewards,
                                       const Eigen::DenseBase<Ref>& ref) {
  return detail::aggregated<detail::centre_op<typename R::Scalar>>(
      "lsc::centred_sum", rewards.derived(), detail::per_row<Ref>{ref.derived()}, nullptr,
      detail::unweighted);
}
template <class R, class Ref>
Vector<typename R::Scalar> centred_sum(const Eigen::DenseBase<R>& rewards,
                                       const Eigen::DenseBase<Ref>& ref,
                                       const Weights<typename R::Scalar>& weights) {
  return detail::aggregated<detail::centre_op<typename R::Scalar>>(
      "lsc::centred_sum", rewards.derived(), detail::per_row<Ref>{ref.derived()}, weights.data(),
      weights.size());
}
template <class R, class Ref>
Vector<typename R::Scalar> centred_sum(const Eigen::DenseBase<R>& rewards,
                                       const Eigen::DenseBase<Ref>& ref, const Groups& groups) {
  return detail::aggregated<detail::centre_op<typename R::Scalar>>(
      "lsc::centred_sum", rewards.derived(), detail::per_group<Ref>{ref.derived(), groups}, nullptr,
      detail::unweighted);
}
template <class R, class Ref>
Vector<typename R::Scalar> centred_sum(const Eigen::DenseBase<R>& rewards,
                                       const Eigen::DenseBase<Ref>& ref, const Groups& groups,
                                       const Weights<typename R::Scalar>& weights) {
  return detail::aggregated<detail::centre_op<typename R::Scalar>>(
      "lsc::centred_sum", rewards.derived(), detail::per_group<Ref>{ref.derived(), groups},
      weights.data(), weights.size());
}

/// What trainers optimise today: Σ_k rewards_ik (weighted: Σ_k w_k rewards_ik).
template <class R>
Vector<typename R::Scalar> raw_sum(const Eigen::DenseBase<R>& rewards) {
  // Empty: Eigen 3.4's rowwise().sum() / gemv offset or dereference a null data pointer (UB).
  if (rewards.size() == 0) return Vector<typename R::Scalar>::Zero(rewards.rows());
  return rewards.derived().matrix().rowwise().sum();
}
template <class R>
Vector<typename R::Scalar> raw_sum(const Eigen::DenseBase<R>& rewards,
                                   const Weights<typename R::Scalar>& weights) {
  detail::check_weights("lsc::raw_sum", weights.data(), weights.size(), rewards.cols());
  if (rewards.size() == 0) return Vector<typename R::Scalar>::Zero(rewards.rows());  // as above
  return rewards.derived().matrix() * weights;
}

/// References per row: row i of the result is row p(i) of `ref` (P x K), N x K in all.
template <class Ref>
Eigen::Matrix<typename Ref::Scalar, Eigen::Dynamic, Eigen::Dynamic> broadcast(
    const Eigen::DenseBase<Ref>& ref, const Groups& groups) {
  if (ref.rows() != groups.num_groups()) {
    detail::bad_argument("lsc::broadcast", "ref",
                         "has shape " + detail::shape(ref) + ", expected " +
                             std::to_string(groups.num_groups()) +
                             " rows (one per group of 'groups')");
  }
  Eigen::Matrix<typename Ref::Scalar, Eigen::Dynamic, Eigen::Dynamic> out(groups.num_rows(),
                                                                          ref.cols());
  if (ref.cols() == 0) return out;  // K = 0: Eigen's row() of an empty matrix offsets nullptr (UB)
  groups.for_each_row(0, groups.num_rows(),
                      [&](Index i, Index p) { out.row(i) = ref.derived().row(p).matrix(); });
  return out;
}

/// Per-component utilities log σ(rewards_ik - ref_ik), N x K. With N x K refs this is
/// lsc::transform evaluated; with P x K refs and groups, the references are broadcast first.
template <class R, class Ref>
Eigen::Matrix<typename R::Scalar, Eigen::Dynamic, Eigen::Dynamic> utilities(
    const Eigen::DenseBase<R>& rewards, const Eigen::DenseBase<Ref>& ref) {
  detail::check_reference("lsc::utilities", rewards.derived(), detail::per_row<Ref>{ref.derived()});
  return rewards.derived().matrix().binaryExpr(ref.derived().matrix(),
                                               functors::lsc_op<typename R::Scalar>());
}
template <class R, class Ref>
Eigen::Matrix<typename R::Scalar, Eigen::Dynamic, Eigen::Dynamic> utilities(
    const Eigen::DenseBase<R>& rewards, const Eigen::DenseBase<Ref>& ref, const Groups& groups) {
  detail::check_reference("lsc::utilities", rewards.derived(),
                          detail::per_group<Ref>{ref.derived(), groups});
  return utilities(rewards, broadcast(ref, groups));
}

}  // namespace lsc

#endif  // LSC_AGGREGATE_HPP
