// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
//
// Eigen functors and the free functions that wrap them in lazy expressions.
//
// Each functor has a scalar operator() and a templated packetOp that both reach the one
// packet implementation in math.hpp, and a functor_traits specialisation whose
// PacketAccess is true exactly when the packet type has every primitive that code uses.
// The expressions fuse with the caller's own (e.g. `lsc::transform(r, ref).rowwise().sum()`
// is one pass) and vectorise for float and double. Nothing here allocates; shapes are
// checked when the expression is built.
#ifndef LSC_EXPR_HPP
#define LSC_EXPR_HPP

#include <Eigen/Core>

#include "error.hpp"
#include "math.hpp"

namespace lsc {
namespace functors {

/// z -> log σ(z). Contract: lsc::log_sigmoid.
template <class Scalar>
struct log_sigmoid_op {
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& z) const { return lsc::log_sigmoid(z); }
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& z) const {
    return detail::plog_sigmoid(z);
  }
};

/// z -> σ(z). Contract: lsc::sigmoid.
template <class Scalar>
struct sigmoid_op {
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& z) const { return lsc::sigmoid(z); }
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& z) const {
    return detail::psigmoid(z);
  }
};

/// (r, ref) -> r - ref: reference-point centring. One IEEE subtraction (exact to 0.5 ulp);
/// inf - inf = NaN.
template <class Scalar>
struct centre_op {
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& r, const Scalar& ref) const {
    return r - ref;
  }
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& r, const Packet& ref) const {
    return Eigen::internal::psub(r, ref);
  }
};

/// (r, ref) -> log σ(r - ref): the LSC transform. The centred value r - ref is rounded
/// once, then log σ is within 2 ulp of the true log σ of that rounded value.
/// A reference of -inf gives -0 (always good); +inf gives -inf (never good); a finite r
/// with r - ref overflowing to ±inf is handled as that infinity.
template <class Scalar>
struct lsc_op {
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& r, const Scalar& ref) const {
    return lsc::log_sigmoid(r - ref);
  }
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& r, const Packet& ref) const {
    return detail::plog_sigmoid(Eigen::internal::psub(r, ref));
  }
};

}  // namespace functors
}  // namespace lsc

namespace Eigen {
namespace internal {

template <class Scalar>
struct functor_traits<lsc::functors::log_sigmoid_op<Scalar>> {
  enum {
    Cost = lsc::detail::kernel_cost<Scalar>::log_sigmoid,
    PacketAccess = lsc::detail::kernel_packet_access<Scalar>::value
  };
};

template <class Scalar>
struct functor_traits<lsc::functors::sigmoid_op<Scalar>> {
  enum {
    Cost = lsc::detail::kernel_cost<Scalar>::sigmoid,
    PacketAccess = lsc::detail::kernel_packet_access<Scalar>::value
  };
};

template <class Scalar>
struct functor_traits<lsc::functors::centre_op<Scalar>> {
  enum { Cost = NumTraits<Scalar>::AddCost, PacketAccess = packet_traits<Scalar>::HasSub };
};

template <class Scalar>
struct functor_traits<lsc::functors::lsc_op<Scalar>> {
  enum {
    Cost = lsc::detail::kernel_cost<Scalar>::log_sigmoid + NumTraits<Scalar>::AddCost,
    PacketAccess = lsc::detail::kernel_packet_access<Scalar>::value
  };
};

}  // namespace internal
}  // namespace Eigen

namespace lsc {
namespace detail {

template <class A, class B>
void require_same_shape(const char* function, const Eigen::EigenBase<A>& rewards,
                        const Eigen::EigenBase<B>& ref) {
  if (rewards.rows() != ref.rows() || rewards.cols() != ref.cols()) {
    bad_argument(
        function, "ref",
        "has shape " + shape(ref) + ", expected " + shape(rewards) + " (the shape of 'r')");
  }
}

}  // namespace detail

/// Lazy element-wise log σ(z) of any Eigen matrix or array expression (float or double).
template <class Derived>
auto log_sigmoid(const Eigen::DenseBase<Derived>& z) {
  return z.derived().unaryExpr(functors::log_sigmoid_op<typename Derived::Scalar>());
}

/// Lazy element-wise σ(z).
template <class Derived>
auto sigmoid(const Eigen::DenseBase<Derived>& z) {
  return z.derived().unaryExpr(functors::sigmoid_op<typename Derived::Scalar>());
}

/// Lazy element-wise r - ref (reference-point centring). Both operands are matrices or both
/// arrays, of the same shape (std::invalid_argument otherwise).
template <class R, class Ref>
auto centre(const Eigen::DenseBase<R>& r, const Eigen::DenseBase<Ref>& ref) {
  detail::require_same_shape("lsc::centre", r, ref);
  return r.derived().binaryExpr(ref.derived(), functors::centre_op<typename R::Scalar>());
}

/// Lazy element-wise LSC transform log σ(r - ref). Same rules as centre().
/// For a reference per prompt (P x K) and rows grouped by prompt, see lsc::utilities.
template <class R, class Ref>
auto transform(const Eigen::DenseBase<R>& r, const Eigen::DenseBase<Ref>& ref) {
  detail::require_same_shape("lsc::transform", r, ref);
  return r.derived().binaryExpr(ref.derived(), functors::lsc_op<typename R::Scalar>());
}

}  // namespace lsc

#endif  // LSC_EXPR_HPP
