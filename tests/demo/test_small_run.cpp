// A small simulated run, with every reported metric recomputed independently (long double,
// straight from the definitions, best-of-N by enumerating all M^N draws).
#include "demo_test.hpp"

#include "analysis.hpp"
#include "simulator.hpp"
#include "utilities.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace lsc_demo;

namespace {

using ld = long double;
ld sig(ld z) { return 1.0L / (1.0L + std::exp(-z)); }

struct Independent {
  const Pool& pool;
  // per-prompt metrics of a policy given as probabilities per candidate
  std::vector<std::vector<ld>> per_prompt(const std::vector<ld>& pi) const {
    const Index P = pool.prompts(), K = pool.gold.cols();
    std::vector<std::vector<ld>> out(uz(P), std::vector<ld>(5, 0.0L));
    for (Index p = 0; p < P; ++p) {
      const Index b = pool.offsets[uz(p)], n = pool.group_size(p);
      for (Index i = b; i < b + n; ++i) {
        ld good = 1, joint = 0, gap = 0;
        std::vector<ld> win(uz(K), 0), pwin(uz(K), 0);
        for (Index k = 0; k < K; ++k)
          good *= sig(static_cast<ld>(pool.gold(i, k)) - static_cast<ld>(pool.threshold));
        for (Index j = b; j < b + n; ++j) {
          ld all = 1;
          for (Index k = 0; k < K; ++k) {
            const ld s = sig(static_cast<ld>(pool.gold(i, k)) - static_cast<ld>(pool.gold(j, k)));
            win[uz(k)] += s / static_cast<ld>(n);
            pwin[uz(k)] +=
                sig(static_cast<ld>(pool.rewards(i, k)) - static_cast<ld>(pool.rewards(j, k))) /
                static_cast<ld>(n);
            all *= s;
          }
          joint += all / static_cast<ld>(n);
        }
        for (Index k = 0; k < K; ++k) gap += (pwin[uz(k)] - win[uz(k)]) / static_cast<ld>(K);
        const ld w = pi[uz(i)];
        out[uz(p)][0] += w * good;
        out[uz(p)][1] += w * win[0];
        out[uz(p)][2] += w * win[1];
        out[uz(p)][3] += w * joint;
        out[uz(p)][4] += w * gap;
      }
    }
    return out;
  }
  // the six reported numbers: means of the five, then the lower-decile mean of the good_all gain
  std::vector<ld> summary(const std::vector<ld>& pi) const {
    const Index P = pool.prompts();
    std::vector<ld> pi0(uz(pool.candidates()));
    for (Index p = 0; p < P; ++p)
      for (Index i = pool.offsets[uz(p)]; i < pool.offsets[uz(p + 1)]; ++i)
        pi0[uz(i)] = 1.0L / static_cast<ld>(pool.group_size(p));
    const auto v = per_prompt(pi), v0 = per_prompt(pi0);
    std::vector<ld> s(6, 0.0L), gains;
    for (Index p = 0; p < P; ++p) {
      for (std::size_t m = 0; m < 5; ++m) s[m] += v[uz(p)][m] / static_cast<ld>(P);
      gains.push_back(v[uz(p)][0] - v0[uz(p)][0]);
    }
    std::sort(gains.begin(), gains.end());
    const std::size_t take = static_cast<std::size_t>(std::ceil(0.1 * static_cast<double>(P)));
    for (std::size_t i = 0; i < take; ++i) s[5] += gains[i] / static_cast<ld>(take);
    return s;
  }
};

}  // namespace

TEST_CASE("a small run matches an independent computation", "[small-run]") {
  SimConfig c;
  c.prompts = 23;
  c.candidates = 5;
  c.ref_samples = 4;
  c.seed = 99;
  Scenario s = default_scenarios()[1];  // hackable: bonuses make the utilities disagree
  s.bonus_prob = 0.2;
  const Pool pool = simulate(c, s);
  UtilityOptions uo;
  const auto utils = compute_utilities(pool, uo);
  const Context ctx = make_context(pool, false, 30, c.seed);
  const MetricSet& ms = ctx.metrics;
  REQUIRE(ms.names == std::vector<std::string>{"good_all", "win_helpful", "win_harmless",
                                               "joint_win", "hack_gap", "worst10"});
  const Independent ind{pool};

  // The LSC utility and PAR from their definitions (reference: mean + Φ⁻¹(0.85) · population std).
  const ld z85 = 1.0364333894937898L;
  for (Index p = 0; p < pool.prompts(); ++p) {
    std::vector<ld> ref(2);
    const Index rb = pool.ref_offsets[uz(p)], rn = pool.ref_offsets[uz(p + 1)] - rb;
    for (Index k = 0; k < 2; ++k) {
      ld m = 0, v = 0;
      for (Index j = rb; j < rb + rn; ++j) m += pool.ref_rewards(j, k);
      m /= rn;
      for (Index j = rb; j < rb + rn; ++j)
        v += (pool.ref_rewards(j, k) - m) * (pool.ref_rewards(j, k) - m);
      ref[uz(k)] = m + z85 * std::sqrt(v / rn);
    }
    for (Index i = pool.offsets[uz(p)]; i < pool.offsets[uz(p + 1)]; ++i) {
      ld lsc_u = 0, par_u = 0;
      for (Index k = 0; k < 2; ++k) {
        lsc_u += std::log(sig(pool.rewards(i, k) - ref[uz(k)]));
        for (Index j = rb; j < rb + rn; ++j)
          par_u += sig(pool.rewards(i, k) - pool.ref_rewards(j, k)) / rn;
      }
      CHECK(utils[1].u(i) == Approx(static_cast<double>(lsc_u)).epsilon(1e-9));
      CHECK(utils[5].u(i) == Approx(static_cast<double>(par_u)).epsilon(1e-12));
    }
  }

  for (const Utility& u : utils) {
    INFO("utility " << u.name);
    const Curves cv = run_utility(ctx, u);
    REQUIRE(!cv.tilt.empty());
    for (const Point& pt : cv.tilt) {
      // π_γ and its KL from the definition
      std::vector<ld> pi(uz(pool.candidates()));
      ld kl = 0;
      for (Index p = 0; p < pool.prompts(); ++p) {
        const Index b = pool.offsets[uz(p)], n = pool.group_size(p);
        ld z = 0;
        for (Index i = b; i < b + n; ++i)
          z += std::exp(static_cast<ld>(u.u(i)) / static_cast<ld>(pt.gamma));
        for (Index i = b; i < b + n; ++i) {
          pi[uz(i)] = std::exp(static_cast<ld>(u.u(i)) / static_cast<ld>(pt.gamma)) / z;
          if (pi[uz(i)] > 0) kl += pi[uz(i)] * std::log(pi[uz(i)] * n) / pool.prompts();
        }
      }
      CHECK(static_cast<double>(kl) == Approx(pt.kl).epsilon(1e-9));
      const auto s_ind = ind.summary(pi);
      for (Index m = 0; m < 6; ++m)
        CHECK(pt.eval.value(m) == Approx(static_cast<double>(s_ind[uz(m)])).margin(1e-10));
    }
    // matched KL targets were met
    for (double target : {0.5, 1.0}) {
      const Point* pt = find_kl(cv, target);
      REQUIRE(pt != nullptr);
    }
    // best-of-N by enumerating all M^N draws (M = 5, N <= 3)
    for (const Point& pt : cv.bon) {
      if (pt.n > 3) continue;
      const int N = static_cast<int>(pt.n);
      std::vector<ld> pi(uz(pool.candidates()), 0.0L);
      for (Index p = 0; p < pool.prompts(); ++p) {
        const Index b = pool.offsets[uz(p)], M = pool.group_size(p);
        Index total = 1;
        for (int k = 0; k < N; ++k) total *= M;
        for (Index code = 0; code < total; ++code) {
          Index rest = code, best = -1;
          for (int k = 0; k < N; ++k) {
            const Index i = b + rest % M;
            rest /= M;
            if (best < 0 || u.u(i) > u.u(best)) best = i;
          }
          pi[uz(best)] += 1.0L / static_cast<ld>(total);
        }
      }
      const auto s_ind = ind.summary(pi);
      for (Index m = 0; m < 6; ++m)
        CHECK(pt.eval.value(m) == Approx(static_cast<double>(s_ind[uz(m)])).margin(1e-10));
    }
  }
  // the base policy: win rates 1/2, no hacking gap, no gain
  CHECK(ctx.base.eval.value(1) == Approx(0.5));
  CHECK(ctx.base.eval.value(4) == Approx(0.0).margin(1e-15));
  CHECK(ctx.base.eval.value(5) == Approx(0.0).margin(1e-15));
  // bootstrap intervals bracket the estimate for the base policy's good_all
  const Estimate e = estimate(ctx.base.eval.value(0), ctx.base.eval.draws, 0);
  CHECK(e.lo <= e.mean);
  CHECK(e.mean <= e.hi);
}
