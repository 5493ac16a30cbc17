// lsc alignment demo — the data every part of the demo works on. SPDX-License-Identifier: MIT
//
// A Pool is a set of prompts, each with a group of candidate responses drawn from the base
// policy π0 (the demo treats π0 as uniform over a prompt's candidates, so every aligned
// policy is a re-weighting of that finite pool and all quantities are exact), plus a separate
// group of base-policy "reference" samples per prompt from which the references r_ref(x) are
// computed. Rows are grouped by prompt through offsets (group p is [offsets[p], offsets[p+1])).
#ifndef LSC_DEMO_POOL_HPP
#define LSC_DEMO_POOL_HPP

#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <vector>

namespace lsc_demo {

using Index = Eigen::Index;
using Vec = Eigen::VectorXd;
using Mat = Eigen::MatrixXd;

inline std::size_t uz(Index i) { return static_cast<std::size_t>(i); }

struct Pool {
  std::vector<Index> offsets;             // P+1 offsets into the candidate rows
  Mat rewards;                            // N x K proxy reward-model scores of the candidates
  std::vector<Index> ref_offsets;         // P+1 offsets into the reference rows
  Mat ref_rewards;                        // R x K proxy scores of the separate base-policy samples
  std::vector<std::string> reward_names;  // K names

  // Truth, when known: the simulator's latent qualities, or a user's gold columns.
  Mat gold;                             // N x G (G = 0: no gold)
  std::vector<std::string> gold_names;  // G names
  bool has_threshold = false;  // simulator: "good on property k" ~ Bernoulli(σ(gold_k - threshold))
  double threshold = 0.0;

  Index prompts() const { return static_cast<Index>(offsets.size()) - 1; }
  Index candidates() const { return rewards.rows(); }
  Index properties() const { return rewards.cols(); }
  Index group_size(Index p) const { return offsets[uz(p + 1)] - offsets[uz(p)]; }
  Index min_group() const {
    Index m = candidates();
    for (Index p = 0; p < prompts(); ++p) m = group_size(p) < m ? group_size(p) : m;
    return m;
  }
  Index max_group() const {
    Index m = 0;
    for (Index p = 0; p < prompts(); ++p) m = group_size(p) > m ? group_size(p) : m;
    return m;
  }
};

}  // namespace lsc_demo

#endif  // LSC_DEMO_POOL_HPP
