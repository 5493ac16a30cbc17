// lsc alignment demo — curves of every metric against KL (tilted policies at one global γ per
// utility) and against N (best-of-N), for one pool. SPDX-License-Identifier: MIT
#ifndef LSC_DEMO_ANALYSIS_HPP
#define LSC_DEMO_ANALYSIS_HPP

#include "metrics.hpp"
#include "policy.hpp"
#include "pool.hpp"
#include "utilities.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace lsc_demo {

struct Point {
  double kl = 0.0;  // mean KL(π ‖ π0) over prompts, nats
  double gamma = std::numeric_limits<double>::quiet_NaN();  // tilted policies
  double n = std::numeric_limits<double>::quiet_NaN();      // best-of-N
  Evaluation eval;
};

struct Curves {
  std::string name, label;
  double max_kl = 0.0;
  std::vector<Point> tilt;  // at kl_grid() targets below max_kl (others skipped)
  std::vector<Point> bon;   // at bon_grid()
};

struct Analysis {
  std::string name, title, description;
  std::vector<std::pair<std::string, std::string>> params;
  MetricSet metrics;
  Point base;
  std::vector<Curves> curves;
};

inline std::vector<double> kl_grid() {
  return {0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0};
}
inline std::vector<double> table_kls() { return {0.5, 1.0, 2.0, 4.0}; }
inline std::vector<double> table_ns() { return {4, 16, 64}; }

// N = 1..8, then four points per octave (8, 10, 12, 14, 16, 20, 24, 28, 32, 40, ...), ending at
// max_n.
inline std::vector<double> bon_grid(Index max_n) {
  std::vector<double> g;
  for (Index n = 1; n <= std::min<Index>(max_n, 7); ++n) g.push_back(static_cast<double>(n));
  for (Index octave = 8; octave <= max_n; octave *= 2)
    for (Index step = 0; step < 4; ++step) {
      const Index n = octave + step * octave / 4;
      if (n <= max_n) g.push_back(static_cast<double>(n));
    }
  if (g.back() != static_cast<double>(max_n)) g.push_back(static_cast<double>(max_n));
  return g;
}

// Shared by every utility of a pool.
struct Context {
  const Pool* pool = nullptr;
  MetricSet metrics;
  Bootstrap bootstrap;
  Mat V0;  // per-prompt values of π0
  Point base;
};

inline Context make_context(const Pool& pool, bool proxy_detail, Index B, std::uint64_t seed) {
  Context c;
  c.pool = &pool;
  c.metrics = build_metrics(pool, proxy_detail);
  c.bootstrap = make_bootstrap(pool.prompts(), B, seed);
  const Vec pi0 = uniform_policy(pool);
  c.V0 = per_prompt(pool, c.metrics, pi0);
  c.base.kl = 0.0;
  c.base.eval = evaluate(pool, c.metrics, c.bootstrap, pi0, c.V0);
  return c;
}

inline Curves run_utility(const Context& c, const Utility& u) {
  const Pool& pool = *c.pool;
  Curves cv;
  cv.name = u.name;
  cv.label = u.label;
  cv.max_kl = max_mean_kl(u.u, pool.offsets);
  double t = std::numeric_limits<double>::quiet_NaN();
  Vec pi;
  for (double target : kl_grid()) {
    const double beta = solve_beta(u.u, pool.offsets, target, t);
    if (std::isnan(beta)) continue;
    t = std::log(beta);
    Point pt;
    pt.kl = tilt(u.u, pool.offsets, beta, &pi).mean_kl;
    pt.gamma = 1.0 / beta;
    pt.eval = evaluate(pool, c.metrics, c.bootstrap, pi, c.V0);
    cv.tilt.push_back(std::move(pt));
  }
  Vec kl;
  const BestOfN bon(u.u, pool.offsets);
  for (double n : bon_grid(pool.max_group())) {
    Point pt;
    pi = bon.probabilities(n, &kl);
    pt.kl = kl.mean();
    pt.n = n;
    pt.eval = evaluate(pool, c.metrics, c.bootstrap, pi, c.V0);
    cv.bon.push_back(std::move(pt));
  }
  return cv;
}

inline const Point* find_kl(const Curves& c, double kl) {
  for (const auto& p : c.tilt)
    if (std::fabs(p.kl - kl) < 1e-6 * kl) return &p;
  return nullptr;
}
inline const Point* find_n(const Curves& c, double n) {
  for (const auto& p : c.bon)
    if (p.n == n) return &p;
  return nullptr;
}

}  // namespace lsc_demo

#endif  // LSC_DEMO_ANALYSIS_HPP
