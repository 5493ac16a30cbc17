// lsc alignment demo — the simulator. SPDX-License-Identifier: MIT
//
// Generative model (all in double; every parameter is printed with the results):
//
//   prompt p:      difficulty d_p ~ N(0,1), spread s_p = exp(spread_sd · N(0,1)),
//                  reward-model offset c_pk ~ N(0, offset_sd²) per property (Bradley–Terry
//                  identifies a reward only up to a per-prompt constant, so proxies carry one);
//   response i:    latent true quality q_ik = mean_quality − difficulty_sd · d_p + s_p · z_ik,
//                  z_i ~ N(0, C), C = correlation matrix with rho off the diagonal
//                  (rho < 0: a trade-off between the properties);
//   truth:         Bradley–Terry on q: P(y ≻ y' on k) = σ(q_k(y) − q_k(y')), and
//                  P(y good on k) = σ(q_k(y) − threshold), an absolute standard;
//   proxy reward:  r_ik = scale_k · q_ik + c_pk + noise · ε_ik + b_ik, ε ~ N(0,1),
//                  b_ik = spurious bonus: with probability bonus_prob, bonus_scale ·
//                  U^(−1/bonus_alpha) (Pareto, heavy-tailed: a reward model that can be hacked),
//                  else 0.
//
// Candidates (M per prompt) and reference samples (n_ref per prompt) are independent draws of the
// same base policy. Random numbers come from per-prompt streams of a fixed generator (xoshiro256**
// seeded by splitmix64, Box–Muller normals), drawn in the same order in every scenario, so all
// scenarios share their random numbers (paired comparisons) and results do not depend on threads,
// compiler or standard library.
#ifndef LSC_DEMO_SIMULATOR_HPP
#define LSC_DEMO_SIMULATOR_HPP

#include "pool.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lsc_demo {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix(seed);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform on the open interval (0, 1).
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform(), u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 6.283185307179586476925 * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }  // bias < 2^-40 for our n

  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t x = seed ^ (0xD1B54A32D192ED03ULL * (stream + 1));
  return Rng::splitmix(x);
}

struct SimConfig {
  Index prompts = 1000;
  Index candidates = 64;
  Index properties = 2;
  Index ref_samples = 5;  // PAR's reimplementation uses ~5 base-policy samples per prompt
  std::uint64_t seed = 20240201;
  double mean_quality = -1.0;
  double difficulty_sd = 1.0;
  double spread_sd = 0.25;
  double offset_sd = 1.0;
  double threshold = 0.0;
};

struct Scenario {
  std::string name;         // short id used in file names
  std::string title;        // human-readable
  std::string description;  // one sentence
  double rho = 0.0;
  double noise = 0.3;
  double bonus_prob = 0.0;
  double bonus_scale = 0.0;
  double bonus_alpha = 1.5;
  std::vector<double> scale;  // per property; empty = all 1
};

inline std::vector<std::string> property_names(Index K) {
  if (K == 2) return {"helpful", "harmless"};
  std::vector<std::string> names;
  for (Index k = 0; k < K; ++k) names.push_back("p" + std::to_string(k + 1));
  return names;
}

// The scenarios every default run reports. None is tuned for a method: the parameters were
// fixed before looking at results, and the neutral, well-specified one is always first.
// K properties (default 2); the trade-off's correlation is `trade_off_rho` (default -0.7; it must
// exceed -1/(K-1) for the correlation matrix to exist).
inline std::vector<Scenario> default_scenarios(Index K = 2, double trade_off_rho = -0.7) {
  const std::vector<std::string> names = property_names(K);
  std::vector<Scenario> s(4);
  s[0].name = "well-specified";
  s[0].title = "Well-specified (neutral)";
  s[0].description =
      "independent properties, proxy = truth + small Gaussian noise (sd 0.3), correct scale";
  s[1].name = "hackable";
  s[1].title = "Hackable reward models";
  s[1].description =
      "as neutral, plus a spurious heavy-tailed bonus (Pareto, alpha 1.5, minimum 2) on 3% of "
      "(response, property) pairs";
  s[1].bonus_prob = 0.03;
  s[1].bonus_scale = 2.0;
  s[2].name = "miscalibrated";
  s[2].title = "Miscalibrated scales";
  for (Index k = 0; k < K; ++k) s[2].scale.push_back(k % 2 == 0 ? 2.0 : 0.5);
  s[2].description = "as neutral, but the " + names[0] + " proxy is 2x too steep";
  if (K > 1) s[2].description += " and the " + names[1] + " one 2x too flat";
  if (K > 2) s[2].description += " (alternating for the others)";
  s[3].name = "trade-off";
  s[3].title = "Trade-off between properties";
  char rho[32];
  std::snprintf(rho, sizeof rho, "%g", trade_off_rho);
  s[3].description = std::string("as neutral, but the latent qualities are ") +
                     (trade_off_rho < 0 ? "negatively" : "positively") +
                     " correlated (rho = " + rho + ")";
  s[3].rho = trade_off_rho;
  return s;
}

inline std::vector<std::pair<std::string, std::string>> describe(const SimConfig& c,
                                                                 const Scenario& s) {
  auto num = [](double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%g", v);
    return std::string(b);
  };
  std::string scale;
  for (Index k = 0; k < c.properties; ++k) {
    if (k) scale += ", ";
    scale += num(s.scale.empty() ? 1.0 : s.scale[uz(k)]);
  }
  return {{"prompts P", std::to_string(c.prompts)},
          {"candidates per prompt M", std::to_string(c.candidates)},
          {"properties K", std::to_string(c.properties)},
          {"reference samples per prompt", std::to_string(c.ref_samples)},
          {"seed", std::to_string(c.seed)},
          {"mean latent quality", num(c.mean_quality)},
          {"prompt difficulty sd", num(c.difficulty_sd)},
          {"log within-prompt spread sd", num(c.spread_sd)},
          {"reward-model per-prompt offset sd", num(c.offset_sd)},
          {"truth threshold for 'good'", num(c.threshold)},
          {"correlation rho", num(s.rho)},
          {"proxy noise sd", num(s.noise)},
          {"spurious bonus probability", num(s.bonus_prob)},
          {"spurious bonus minimum (Pareto)", num(s.bonus_scale)},
          {"spurious bonus tail index", num(s.bonus_alpha)},
          {"proxy scale per property", scale}};
}

inline Pool simulate(const SimConfig& c, const Scenario& s) {
  const Index P = c.prompts, M = c.candidates, K = c.properties, Rn = c.ref_samples;
  if (P < 1 || M < 1 || K < 1 || Rn < 1)
    throw std::invalid_argument("simulate: sizes must be >= 1");
  if (!s.scale.empty() && static_cast<Index>(s.scale.size()) != K)
    throw std::invalid_argument("simulate: scenario '" + s.name +
                                "' has a scale per property of the wrong size");
  Mat C = Mat::Constant(K, K, s.rho);
  C.diagonal().setOnes();
  Eigen::LLT<Mat> llt(C);
  if (llt.info() != Eigen::Success)
    throw std::invalid_argument("simulate: correlation rho = " + std::to_string(s.rho) +
                                " is not valid for K = " + std::to_string(K));
  const Mat L = llt.matrixL();

  Pool pool;
  pool.rewards.resize(P * M, K);
  pool.gold.resize(P * M, K);
  pool.ref_rewards.resize(P * Rn, K);
  pool.offsets.resize(uz(P + 1));
  pool.ref_offsets.resize(uz(P + 1));
  pool.reward_names = property_names(K);
  pool.gold_names = pool.reward_names;
  pool.has_threshold = true;
  pool.threshold = c.threshold;

  Vec e(K), z(K);
  for (Index p = 0; p < P; ++p) {
    pool.offsets[uz(p)] = p * M;
    pool.ref_offsets[uz(p)] = p * Rn;
    Rng rng(stream_seed(c.seed, static_cast<std::uint64_t>(p)));
    const double d = rng.normal();
    const double spread = std::exp(c.spread_sd * rng.normal());
    Vec offset(K);
    for (Index k = 0; k < K; ++k) offset(k) = c.offset_sd * rng.normal();
    for (Index j = 0; j < M + Rn; ++j) {
      for (Index k = 0; k < K; ++k) e(k) = rng.normal();
      z.noalias() = L * e;
      for (Index k = 0; k < K; ++k) {
        const double eps = rng.normal();
        const double u_hit = rng.uniform();
        const double u_size = rng.uniform();
        const double q = c.mean_quality - c.difficulty_sd * d + spread * z(k);
        const double bonus =
            u_hit < s.bonus_prob ? s.bonus_scale * std::pow(u_size, -1.0 / s.bonus_alpha) : 0.0;
        const double a = s.scale.empty() ? 1.0 : s.scale[uz(k)];
        const double r = a * q + offset(k) + s.noise * eps + bonus;
        if (j < M) {
          pool.gold(p * M + j, k) = q;
          pool.rewards(p * M + j, k) = r;
        } else {
          pool.ref_rewards(p * Rn + (j - M), k) = r;
        }
      }
    }
  }
  pool.offsets[uz(P)] = P * M;
  pool.ref_offsets[uz(P)] = P * Rn;
  return pool;
}

}  // namespace lsc_demo

#endif  // LSC_DEMO_SIMULATOR_HPP
