// lsc alignment demo — the utilities being compared. SPDX-License-Identifier: MIT
//
// Each utility maps the K proxy rewards of a candidate to one number u; the aligned policy is
// then π_γ(y) ∝ π0(y) exp(u(y)/γ) (policy.hpp). The LSC utility and its references come from
// lsc's own API (lsc::reference::*, lsc::conjunction with lsc::Groups); the baselines are the
// ones today's trainers use (see FIELD.md), written here:
//
//   raw         Σ_k r_k                                   (TRL reward_weights = 1; lsc::raw_sum)
//   lsc         Σ_k log σ(r_k − r_k,ref(x))               (lsc::conjunction)
//   grpo        per-prompt z-score of Σ_k r_k over the prompt's candidates (population std + 1e-6)
//   norm-sum    Σ_k per-prompt z-score of r_k              (normalise each, then sum; GDPO)
//   min-centred min_k (r_k − r_k,ref(x))                   (same references as LSC)
//   par         Σ_k mean_j σ(r_k − r_k,ref_j(x))          (PAR: over the reference samples j)
//
// GRPO and normalise-then-sum standardise over the candidate pool, i.e. over base-policy samples;
// in a trainer the group is the current policy's samples, so this is their utility at the start of
// training. A centred sum Σ_k (r_k − r_k,ref) differs from the raw sum by a per-prompt constant and
// gives exactly the raw sum's policy, so it is not listed.
#ifndef LSC_DEMO_UTILITIES_HPP
#define LSC_DEMO_UTILITIES_HPP

#include "pool.hpp"

#include <lsc/lsc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace lsc_demo {

enum class RefMethod { gaussian, empirical };

struct UtilityOptions {
  double quantile = 0.85;                  // METHOD.md: ~85th percentile of base-policy rewards
  RefMethod method = RefMethod::gaussian;  // PAR: mean + Φ⁻¹(q)·std (population std)
  double z_eps = 1e-6;
};

inline std::string describe(const UtilityOptions& o) {
  char b[160];
  std::snprintf(b, sizeof b, "%s %g-quantile of the reference samples' proxy rewards%s",
                o.method == RefMethod::gaussian ? "Gaussian" : "empirical (numpy 'linear')",
                o.quantile,
                o.method == RefMethod::gaussian ? " (mean + Phi^-1(q) * population std)" : "");
  return b;
}

struct Utility {
  std::string name;
  std::string label;
  Vec u;  // one value per candidate row
};

inline lsc::Groups candidate_groups(const Pool& pool) {
  return lsc::Groups::from_offsets(pool.offsets);
}
inline lsc::Groups reference_groups(const Pool& pool) {
  return lsc::Groups::from_offsets(pool.ref_offsets);
}

// P x K references r_k,ref(x), from lsc::reference on the reference samples.
inline Mat references(const Pool& pool, const UtilityOptions& o) {
  const lsc::Groups g = reference_groups(pool);
  if (o.method == RefMethod::gaussian)
    return lsc::reference::gaussian_quantile(pool.ref_rewards, g, o.quantile);
  return lsc::reference::quantile(pool.ref_rewards, g, o.quantile);
}

inline Vec zscore_in_groups(const Pool& pool, const Vec& x, double eps) {
  Vec out(x.size());
  for (Index p = 0; p < pool.prompts(); ++p) {
    const Index b = pool.offsets[uz(p)], n = pool.group_size(p);
    const auto seg = x.segment(b, n);
    const double mean = seg.mean();
    const double sd = std::sqrt((seg.array() - mean).square().mean());
    out.segment(b, n) = (seg.array() - mean) / (sd + eps);
  }
  return out;
}

inline std::vector<Utility> compute_utilities(const Pool& pool, const UtilityOptions& o) {
  const Index N = pool.candidates(), K = pool.properties(), P = pool.prompts();
  const lsc::Groups g = candidate_groups(pool);
  const Mat ref = references(pool, o);  // P x K
  std::vector<Utility> out;

  out.push_back({"raw", "raw sum", lsc::raw_sum(pool.rewards)});
  out.push_back({"lsc", "LSC conjunction", lsc::conjunction(pool.rewards, ref, g)});

  out.push_back(
      {"grpo", "GRPO z-scored sum", zscore_in_groups(pool, pool.rewards.rowwise().sum(), o.z_eps)});

  Vec norm_sum = Vec::Zero(N);
  for (Index k = 0; k < K; ++k) norm_sum += zscore_in_groups(pool, pool.rewards.col(k), o.z_eps);
  out.push_back({"norm-sum", "normalise-then-sum", norm_sum});

  Vec min_centred(N), par = Vec::Zero(N);
  for (Index p = 0; p < P; ++p) {
    const Index rb = pool.ref_offsets[uz(p)], rn = pool.ref_offsets[uz(p + 1)] - rb;
    for (Index i = pool.offsets[uz(p)]; i < pool.offsets[uz(p + 1)]; ++i) {
      double m = INFINITY;
      for (Index k = 0; k < K; ++k) {
        m = std::min(m, pool.rewards(i, k) - ref(p, k));
        double s = 0.0;
        for (Index j = rb; j < rb + rn; ++j)
          s += lsc::sigmoid(pool.rewards(i, k) - pool.ref_rewards(j, k));
        par(i) += s / static_cast<double>(rn);
      }
      min_centred(i) = m;
    }
  }
  out.push_back({"min-centred", "min of centred", min_centred});
  out.push_back({"par", "PAR", par});
  return out;
}

}  // namespace lsc_demo

#endif  // LSC_DEMO_UTILITIES_HPP
