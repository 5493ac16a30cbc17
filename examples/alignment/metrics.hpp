// lsc alignment demo — metrics under the true (or gold) model, and their uncertainty.
// SPDX-License-Identifier: MIT
//
// Every metric except the worst-10% one is an expectation under the policy of a per-candidate
// value m_i, so a prompt's value is Σ_i π(y_i) m_i and the reported number is the mean over
// prompts:
//
//   good_all    Π_k σ(q_k − threshold): the probability of being judged good on every property
//               (truth: independent Bradley–Terry judgements of each property against an absolute
//               standard; simulator only)
//   win_k       mean_j σ(q_k(y) − q_k(y_j)) over the prompt's base-policy candidates y_j: the
//               probability of beating a base-policy response on property k (0.5 for π0)
//   joint_win   mean_j Π_k σ(q_k(y) − q_k(y_j)): beating the same base response on every property
//   hack_gap    mean_k [proxy win_k − true win_k]: how much better the policy looks to the reward
//               models (Bradley–Terry on the proxy scores) than it is (0 for π0); > 0 = reward
//               hacking
//   gain_k      r_k(y) − mean_j r_k(y_j) (user data: the proxy reward's improvement over π0)
//   pwin_k      proxy win rate on reward model k (user data)
//   worst10     mean of the lowest 10% over prompts of the improvement of the primary metric over
//               π0 (good_all, or joint_win / win for user data): under-fitting shows as ~0 here
//
// Uncertainty: a bootstrap over prompts (B resamples, fixed seed, the same resamples for every
// utility so differences are paired); γ is held at its full-sample value. Reported as the
// full-sample estimate and the 2.5%–97.5% percentile interval.
#ifndef LSC_DEMO_METRICS_HPP
#define LSC_DEMO_METRICS_HPP

#include "pool.hpp"
#include "simulator.hpp"

#include <lsc/lsc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace lsc_demo {

struct MetricSet {
  std::vector<std::string> names, labels;  // linear metrics, then worst10 last
  Mat per_candidate;                       // N x (#linear)
  Index primary = 0;                       // index of the headline metric
  Index worst = -1;                        // index of worst10 (= #linear), -1 if none
  Index gap = -1;                          // index of hack_gap, -1 if none
  Index linear() const { return per_candidate.cols(); }
  Index size() const { return static_cast<Index>(names.size()); }
};

inline MetricSet build_metrics(const Pool& pool, bool proxy_detail) {
  const Index N = pool.candidates(), K = pool.properties(), G = pool.gold.cols(),
              P = pool.prompts();
  std::vector<Vec> cols;
  MetricSet ms;
  auto add = [&](std::string name, std::string label, Vec v) {
    ms.names.push_back(std::move(name));
    ms.labels.push_back(std::move(label));
    cols.push_back(std::move(v));
    return static_cast<Index>(cols.size()) - 1;
  };
  // win rates against the prompt's own base-policy candidates, under scores X (N x C)
  auto win_rates = [&](const Mat& X) {
    Mat W = Mat::Zero(N, X.cols() + 1);  // last column: joint over all columns
    for (Index p = 0; p < P; ++p) {
      const Index b = pool.offsets[uz(p)], n = pool.group_size(p);
      for (Index i = b; i < b + n; ++i) {
        for (Index j = b; j < b + n; ++j) {
          double joint = 1.0;
          for (Index c = 0; c < X.cols(); ++c) {
            const double s = lsc::sigmoid(X(i, c) - X(j, c));
            W(i, c) += s;
            joint *= s;
          }
          W(i, X.cols()) += joint;
        }
        W.row(i) /= static_cast<double>(n);
      }
    }
    return W;
  };

  Mat proxy_win = win_rates(pool.rewards);
  if (proxy_detail) {
    for (Index k = 0; k < K; ++k) {
      Vec gain(N);
      for (Index p = 0; p < P; ++p) {
        const Index b = pool.offsets[uz(p)], n = pool.group_size(p);
        gain.segment(b, n) =
            pool.rewards.col(k).segment(b, n).array() - pool.rewards.col(k).segment(b, n).mean();
      }
      add("gain_" + pool.reward_names[uz(k)], "proxy gain " + pool.reward_names[uz(k)], gain);
    }
    for (Index k = 0; k < K; ++k)
      add("pwin_" + pool.reward_names[uz(k)], "proxy win " + pool.reward_names[uz(k)],
          proxy_win.col(k));
  }
  Index primary = proxy_detail ? K : -1;  // pwin of the first reward
  if (G > 0) {
    if (pool.has_threshold) {
      Vec good = Vec::Ones(N);
      for (Index k = 0; k < G; ++k)
        for (Index i = 0; i < N; ++i) good(i) *= lsc::sigmoid(pool.gold(i, k) - pool.threshold);
      primary = add("good_all", "P(good on every property)", good);
    }
    const Mat gold_win = win_rates(pool.gold);
    const char* prefix = pool.has_threshold ? "win " : "gold win ";
    Index first_win = -1;
    for (Index k = 0; k < G; ++k) {
      const Index idx =
          add("win_" + pool.gold_names[uz(k)], prefix + pool.gold_names[uz(k)], gold_win.col(k));
      if (k == 0) first_win = idx;
    }
    Index joint = -1;
    if (G > 1)
      joint = add("joint_win",
                  pool.has_threshold ? "win on every property" : "gold win on every property",
                  gold_win.col(G));
    if (!pool.has_threshold) primary = joint >= 0 ? joint : first_win;
    // hacking gap over the properties that have both a reward model and a gold column
    Vec gap = Vec::Zero(N);
    Index pairs = 0;
    for (Index k = 0; k < K; ++k)
      for (Index g = 0; g < G; ++g)
        if (pool.reward_names[uz(k)] == pool.gold_names[uz(g)]) {
          gap += proxy_win.col(k) - gold_win.col(g);
          ++pairs;
        }
    if (pairs > 0)
      ms.gap = add("hack_gap", "hacking gap (proxy - true win)", gap / static_cast<double>(pairs));
  }
  ms.primary = primary < 0 ? 0 : primary;
  ms.per_candidate.resize(N, static_cast<Index>(cols.size()));
  for (std::size_t c = 0; c < cols.size(); ++c)
    ms.per_candidate.col(static_cast<Index>(c)) = cols[c];
  ms.names.push_back("worst10");
  ms.labels.push_back("worst-10% gain in " + ms.labels[uz(ms.primary)]);
  ms.worst = static_cast<Index>(ms.names.size()) - 1;
  return ms;
}

// Per-prompt values (P x #linear) of a policy pi (one probability per candidate row).
inline Mat per_prompt(const Pool& pool, const MetricSet& ms, const Vec& pi) {
  const Index P = pool.prompts();
  Mat V(P, ms.linear());
  for (Index m = 0; m < ms.linear(); ++m)
    for (Index p = 0; p < P; ++p) {
      const Index b = pool.offsets[uz(p)], n = pool.offsets[uz(p + 1)] - b;
      V(p, m) = pi.segment(b, n).dot(ms.per_candidate.col(m).segment(b, n));
    }
  return V;
}

inline Vec uniform_policy(const Pool& pool) {
  Vec pi(pool.candidates());
  for (Index p = 0; p < pool.prompts(); ++p)
    pi.segment(pool.offsets[uz(p)], pool.group_size(p))
        .setConstant(1.0 / static_cast<double>(pool.group_size(p)));
  return pi;
}

// Mean of the lowest 10% of x, prompts weighted by integer counts w (a bootstrap resample).
// `order` sorts x ascending. The 10% is ceil(0.1 · Σw) prompts (at least 1).
inline double lower_decile_mean(const Vec& x, const std::vector<Index>& order, const double* w,
                                double total) {
  const double take = std::max(1.0, std::ceil(0.1 * total - 1e-9));
  double got = 0.0, sum = 0.0;
  for (Index p : order) {
    const double c = w ? w[p] : 1.0;
    if (c <= 0) continue;
    const double use = std::min(c, take - got);
    sum += use * x(p);
    got += use;
    if (got >= take) break;
  }
  return sum / take;
}

struct Estimate {
  double mean = 0.0, lo = 0.0, hi = 0.0;
};

struct Bootstrap {
  Mat W;   // B x P resample counts (row b: how often each prompt is drawn)
  Mat Wt;  // its transpose, P x B (column b contiguous)
  Index B() const { return W.rows(); }
};

inline Bootstrap make_bootstrap(Index P, Index B, std::uint64_t seed) {
  Bootstrap bs;
  bs.W = Mat::Zero(B, P);
  Rng rng(stream_seed(seed, 0xB00757A9ULL));
  for (Index b = 0; b < B; ++b)
    for (Index i = 0; i < P; ++i)
      bs.W(b, static_cast<Index>(rng.below(static_cast<std::uint64_t>(P)))) += 1.0;
  bs.Wt = bs.W.transpose();
  return bs;
}

// Point estimates (size #metrics) and bootstrap draws (B x #metrics) of a policy.
struct Evaluation {
  Vec value;
  Mat draws;
};

inline Evaluation evaluate(const Pool& pool, const MetricSet& ms, const Bootstrap& bs,
                           const Vec& pi, const Mat& V0) {
  const Index P = pool.prompts(), L = ms.linear();
  const Mat V = per_prompt(pool, ms, pi);
  Evaluation ev;
  ev.value.resize(ms.size());
  ev.value.head(L) = V.colwise().mean().transpose();
  ev.draws.resize(bs.B(), ms.size());
  ev.draws.leftCols(L).noalias() = bs.W * V / static_cast<double>(P);
  const Vec gain = V.col(ms.primary) - V0.col(ms.primary);
  std::vector<Index> order(uz(P));
  std::iota(order.begin(), order.end(), Index{0});
  std::sort(order.begin(), order.end(), [&](Index a, Index b) { return gain(a) < gain(b); });
  ev.value(ms.worst) = lower_decile_mean(gain, order, nullptr, static_cast<double>(P));
  for (Index b = 0; b < bs.B(); ++b)
    ev.draws(b, ms.worst) =
        lower_decile_mean(gain, order, bs.Wt.col(b).data(), static_cast<double>(P));
  return ev;
}

inline double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

inline Estimate estimate(double value, const Mat& draws, Index col) {
  std::vector<double> v(uz(draws.rows()));
  for (Index b = 0; b < draws.rows(); ++b) v[uz(b)] = draws(b, col);
  return {value, percentile(v, 0.025), percentile(v, 0.975)};
}

// Paired difference (a − b) of one metric between two evaluations.
inline Estimate difference(const Evaluation& a, const Evaluation& b, Index col) {
  const Mat d = a.draws - b.draws;
  return estimate(a.value(col) - b.value(col), d, col);
}

}  // namespace lsc_demo

#endif  // LSC_DEMO_METRICS_HPP
