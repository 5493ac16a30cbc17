// lsc alignment demo — aligned policies over a finite pool, in closed form.
// SPDX-License-Identifier: MIT
//
// π0 is uniform over the M_p candidates of prompt p. For a utility u:
//
//   KL-regularised optimum  π_β(y_i) = exp(β u_i) / Σ_j exp(β u_j),  β = 1/γ
//   KL(π_β ‖ π0)           = β E_π[u] − log Σ_j exp(β u_j) + log M_p          (exact)
//   d KL / dβ              = β Var_π(u)   (so KL increases with β, from 0 at β = 0
//                                          to log(M_p / #argmax) as β → ∞)
//   best-of-N              draw N candidates i.i.d. from π0, keep the one with the highest u.
//                          With candidates sorted by u, a block of tied candidates at sorted
//                          positions a+1..b is chosen with probability (b/M)^N − (a/M)^N, split
//                          evenly inside the block (exact order statistics, no Monte Carlo).
//
// Matched KL uses one global β per utility (as a trainer has one KL coefficient), found so that
// the mean over prompts of KL(π_β ‖ π0) equals the target: safeguarded Newton on t = log β with
// d mean KL / dt = β² mean Var_π(u), falling back to bisection inside a bracket.
#ifndef LSC_DEMO_POLICY_HPP
#define LSC_DEMO_POLICY_HPP

#include "pool.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace lsc_demo {

struct TiltStats {
  double mean_kl = 0.0;
  double mean_var = 0.0;  // mean over prompts of Var_π(u)
};

// π_β for every prompt (into pi, if non-null) and the mean KL and variance.
inline TiltStats tilt(const Vec& u, const std::vector<Index>& offsets, double beta,
                      Vec* pi = nullptr, Vec* kl_per_prompt = nullptr) {
  const Index P = static_cast<Index>(offsets.size()) - 1;
  TiltStats st;
  if (pi) pi->resize(u.size());
  if (kl_per_prompt) kl_per_prompt->resize(P);
  std::vector<double> w;
  for (Index p = 0; p < P; ++p) {
    const Index b = offsets[uz(p)], n = offsets[uz(p + 1)] - b;
    double umax = -std::numeric_limits<double>::infinity();
    for (Index i = b; i < b + n; ++i) umax = std::max(umax, u(i));
    w.resize(uz(n));
    double z = 0.0, m1 = 0.0;
    for (Index i = 0; i < n; ++i) {
      const double d = u(b + i) - umax;
      w[uz(i)] = std::exp(beta * d);
      z += w[uz(i)];
      m1 += w[uz(i)] * d;
    }
    m1 /= z;
    double var = 0.0;
    for (Index i = 0; i < n; ++i) {
      const double d = u(b + i) - umax - m1;
      var += w[uz(i)] * d * d;
      if (pi) (*pi)(b + i) = w[uz(i)] / z;
    }
    var /= z;
    // KL = β E[u − umax] − log Σ exp(β(u − umax)) + log n
    const double kl = std::max(0.0, beta * m1 - std::log(z) + std::log(static_cast<double>(n)));
    if (kl_per_prompt) (*kl_per_prompt)(p) = kl;
    st.mean_kl += kl;
    st.mean_var += var;
  }
  st.mean_kl /= static_cast<double>(P);
  st.mean_var /= static_cast<double>(P);
  return st;
}

// The largest mean KL any β reaches: mean over prompts of log(M_p / #ties at the maximum).
inline double max_mean_kl(const Vec& u, const std::vector<Index>& offsets) {
  const Index P = static_cast<Index>(offsets.size()) - 1;
  double s = 0.0;
  for (Index p = 0; p < P; ++p) {
    const Index b = offsets[uz(p)], n = offsets[uz(p + 1)] - b;
    const double umax = u.segment(b, n).maxCoeff();
    Index ties = 0;
    for (Index i = b; i < b + n; ++i) ties += u(i) == umax ? 1 : 0;
    s += std::log(static_cast<double>(n) / static_cast<double>(ties));
  }
  return s / static_cast<double>(P);
}

// β such that the mean KL is `target` (relative tolerance 1e-9 on KL); NaN if target is not
// in (0, max_mean_kl). `t_guess` (log β) speeds it up when close.
inline double solve_beta(const Vec& u, const std::vector<Index>& offsets, double target,
                         double t_guess = std::numeric_limits<double>::quiet_NaN()) {
  if (!(target > 0.0) || !(target < max_mean_kl(u, offsets)))
    return std::numeric_limits<double>::quiet_NaN();
  auto f = [&](double t) { return tilt(u, offsets, std::exp(t)).mean_kl - target; };
  if (std::isnan(t_guess)) {
    // scale of u: mean within-prompt standard deviation
    const Index P = static_cast<Index>(offsets.size()) - 1;
    double sd = 0.0;
    for (Index p = 0; p < P; ++p) {
      const auto seg = u.segment(offsets[uz(p)], offsets[uz(p + 1)] - offsets[uz(p)]);
      sd += std::sqrt((seg.array() - seg.mean()).square().mean());
    }
    sd /= static_cast<double>(P);
    t_guess = -std::log(sd > 0 ? sd : 1.0);
  }
  // bracket
  double lo = t_guess, hi = t_guess;
  double flo = f(lo), fhi = flo;
  for (int i = 0; flo > 0 && i < 200; ++i) {
    lo -= 2.0;
    flo = f(lo);
  }
  for (int i = 0; fhi < 0 && i < 200; ++i) {
    hi += 2.0;
    fhi = f(hi);
  }
  if (flo > 0 || fhi < 0) return std::numeric_limits<double>::quiet_NaN();
  double t = 0.5 * (lo + hi);
  for (int it = 0; it < 200; ++it) {
    const double beta = std::exp(t);
    const TiltStats st = tilt(u, offsets, beta);
    const double ft = st.mean_kl - target;
    if (std::fabs(ft) <= 1e-9 * target) return beta;
    if (ft < 0)
      lo = t;
    else
      hi = t;
    if (hi - lo < 1e-13 * std::max(1.0, std::fabs(t))) return beta;
    const double slope = beta * beta * st.mean_var;
    double next = slope > 0 ? t - ft / slope : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    t = next;
  }
  return std::exp(t);
}

// Best-of-N: sorts each prompt's candidates by utility once, then gives the selection
// probabilities for any N (and the KL per prompt into kl_per_prompt).
class BestOfN {
 public:
  BestOfN(const Vec& u, const std::vector<Index>& offsets)
      : offsets_(offsets), order_(uz(u.size())), block_end_(uz(u.size())) {
    const Index P = static_cast<Index>(offsets.size()) - 1;
    for (Index p = 0; p < P; ++p) {
      const Index b = offsets[uz(p)], n = offsets[uz(p + 1)] - b;
      const auto first = order_.begin() + b;
      std::iota(first, first + n, b);
      std::sort(first, first + n, [&](Index x, Index y) { return u(x) < u(y); });
      // tie blocks: block_end_[b + j] = one past the last sorted position tied with position j
      for (Index a = 0; a < n;) {
        Index e = a + 1;
        while (e < n && u(order_[uz(b + e)]) == u(order_[uz(b + a)])) ++e;
        for (Index j = a; j < e; ++j) block_end_[uz(b + j)] = e;
        a = e;
      }
    }
  }

  Vec probabilities(double N, Vec* kl_per_prompt = nullptr) const {
    const Index P = static_cast<Index>(offsets_.size()) - 1;
    Vec pi(static_cast<Index>(order_.size()));
    if (kl_per_prompt) kl_per_prompt->resize(P);
    std::vector<double> cdf;  // cdf[j] = (j/n)^N for the current group size n
    Index cdf_n = -1;
    for (Index p = 0; p < P; ++p) {
      const Index b = offsets_[uz(p)], n = offsets_[uz(p + 1)] - b;
      if (n != cdf_n) {
        cdf.resize(uz(n + 1));
        for (Index j = 0; j <= n; ++j)
          cdf[uz(j)] = std::pow(static_cast<double>(j) / static_cast<double>(n), N);
        cdf_n = n;
      }
      double kl = 0.0;
      for (Index a = 0; a < n;) {
        const Index e = block_end_[uz(b + a)];
        const double mass = cdf[uz(e)] - cdf[uz(a)];
        const double each = mass / static_cast<double>(e - a);
        for (Index j = a; j < e; ++j) pi(order_[uz(b + j)]) = each;
        if (each > 0) kl += mass * std::log(each * static_cast<double>(n));
        a = e;
      }
      if (kl_per_prompt) (*kl_per_prompt)(p) = std::max(0.0, kl);
    }
    return pi;
  }

 private:
  std::vector<Index> offsets_;
  std::vector<Index> order_;      // candidate rows sorted by utility within each prompt
  std::vector<Index> block_end_;  // per sorted position, relative to the prompt's first row
};

// Convenience: best-of-N selection probabilities for one N.
inline Vec best_of_n(const Vec& u, const std::vector<Index>& offsets, double N,
                     Vec* kl_per_prompt = nullptr) {
  return BestOfN(u, offsets).probabilities(N, kl_per_prompt);
}

}  // namespace lsc_demo

#endif  // LSC_DEMO_POLICY_HPP
