// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
//
// The umbrella header, and the API at a glance. Everything is in namespace lsc; internals
// are in lsc::detail; macros start with LSC_. Needs Eigen 3.4 and the standard library.
//
//   Element-wise math (math.hpp), float / double / long double, stated ULP bounds:
//     log_sigmoid(z)  softplus(z)  sigmoid(z)  log_sigmoid_derivative(z) = σ(-z)
//   Lazy, fused, vectorised Eigen expressions (expr.hpp), functors in lsc::functors:
//     log_sigmoid(x)  sigmoid(x)  centre(r, ref) = r - ref  transform(r, ref) = log σ(r - ref)
//   Grouping rows by prompt (groups.hpp):
//     Groups::uniform(P, G)  Groups::from_offsets(offsets)  Groups::from_index(index, P)
//   Reference points per prompt (reference.hpp), NaN samples skipped:
//     reference::quantile / median / mean / gaussian_quantile (samples, groups[, q]) -> P x K
//     reference::quantile(B, q) etc. for a P x M matrix of one reward model -> P
//   Aggregation over K reward models (aggregate.hpp); ref is N x K, or P x K with Groups:
//     conjunction(R, ref[, groups][, w])       Σ_k w_k log σ(R_ik - ref_ik)
//     conjunction_into(out, R, ref[, groups][, w])
//     probability_all_good(...)  utilities(R, ref[, groups])  broadcast(ref, groups)
//     raw_sum(R[, w])  centred_sum(R, ref[, groups][, w])
//   Raw-pointer kernels (kernels.hpp): kernels::log_sigmoid / transform / transform_grouped /
//     conjunction (row- or column-major n x k buffers).
//   Errors (error.hpp): std::invalid_argument naming the argument and shapes; outputs untouched.
#ifndef LSC_LSC_HPP
#define LSC_LSC_HPP

// In dependency order, not alphabetical.
// clang-format off
#include "version.hpp"
#include "error.hpp"
#include "math.hpp"
#include "expr.hpp"
#include "groups.hpp"
#include "reference.hpp"
#include "aggregate.hpp"
#include "kernels.hpp"
// clang-format on

#endif  // LSC_LSC_HPP
