// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
//
// lsc::Groups: which rows of a batch belong to which prompt.
//
// Trainers lay out samples in three ways (FIELD.md), and each has a constructor:
//   Groups::uniform(P, G)             rows [p G, (p+1) G) belong to prompt p (TRL, OpenRLHF);
//   Groups::from_offsets(offsets)     rows [offsets[p], offsets[p+1]) belong to prompt p (ragged);
//   Groups::from_index(index, P)      row i belongs to prompt index[i] (veRL's uid), any order.
// Every group must be non-empty. A Groups object is immutable after construction and can
// be shared between threads. Allocation: uniform() none; from_offsets() copies P + 1
// offsets; from_index() stores N + P + 1 indices (a counting sort of the rows by prompt).
#ifndef LSC_GROUPS_HPP
#define LSC_GROUPS_HPP

#include <Eigen/Core>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "error.hpp"

namespace lsc {

using Eigen::Index;

class Groups {
 public:
  /// P prompts with G rows each, contiguous: N = P G rows. P >= 0, G >= 1.
  static Groups uniform(Index num_groups, Index group_size) {
    if (num_groups < 0) {
      detail::bad_argument("lsc::Groups::uniform", "num_groups",
                           "is " + std::to_string(num_groups) + ", expected >= 0");
    }
    if (group_size < 1) {
      detail::bad_argument("lsc::Groups::uniform", "group_size",
                           "is " + std::to_string(group_size) + ", expected >= 1 (empty group)");
    }
    if (num_groups > std::numeric_limits<Index>::max() / group_size) {  // N = P G must fit
      detail::bad_argument("lsc::Groups::uniform", "num_groups",
                           "is " + std::to_string(num_groups) + ": num_groups * group_size (" +
                               std::to_string(group_size) + ") overflows Eigen::Index");
    }
    Groups g;
    g.num_groups_ = num_groups;
    g.num_rows_ = num_groups * group_size;
    g.uniform_size_ = group_size;
    return g;
  }

  /// Ragged contiguous groups: offsets has P + 1 entries, offsets[0] = 0, strictly increasing
  /// (no empty group); offsets[P] = N.
  template <class Container>
  static Groups from_offsets(const Container& offsets) {
    const char* fn = "lsc::Groups::from_offsets";
    const Index size = static_cast<Index>(offsets.size());
    if (size < 1) detail::bad_argument(fn, "offsets", "is empty, expected P + 1 >= 1 entries");
    Groups g;
    g.offsets_.assign(offsets.begin(), offsets.end());
    if (g.offsets_[0] != 0) {
      detail::bad_argument(fn, "offsets",
                           "starts at " + std::to_string(g.offsets_[0]) + ", expected 0");
    }
    for (std::size_t p = 0; p + 1 < g.offsets_.size(); ++p) {
      if (g.offsets_[p + 1] <= g.offsets_[p]) {
        detail::bad_argument(fn, "offsets",
                             "is not strictly increasing at entry " + std::to_string(p + 1) + " (" +
                                 std::to_string(g.offsets_[p]) + " then " +
                                 std::to_string(g.offsets_[p + 1]) +
                                 "; every group needs at least one row)");
      }
    }
    g.num_groups_ = size - 1;
    g.num_rows_ = g.offsets_.back();
    return g;
  }

  /// Row i belongs to prompt index[i], 0 <= index[i] < num_groups; every prompt needs a row.
  template <class Container>
  static Groups from_index(const Container& index, Index num_groups) {
    const char* fn = "lsc::Groups::from_index";
    if (num_groups < 0) {
      detail::bad_argument(fn, "num_groups",
                           "is " + std::to_string(num_groups) + ", expected >= 0");
    }
    const Index n = static_cast<Index>(index.size());
    Groups g;
    g.num_groups_ = num_groups;
    g.num_rows_ = n;
    g.offsets_.assign(static_cast<std::size_t>(num_groups) + 1, 0);
    Index i = 0;
    for (const auto& raw : index) {
      const Index p = static_cast<Index>(raw);
      if (p < 0 || p >= num_groups) {
        detail::bad_argument(
            fn, "index",
            "has entry " + std::to_string(p) + " at row " + std::to_string(i) +
                ", expected 0 <= entry < num_groups = " + std::to_string(num_groups));
      }
      ++g.offsets_[static_cast<std::size_t>(p) + 1];
      ++i;
    }
    for (Index p = 0; p < num_groups; ++p) {
      if (g.offsets_[static_cast<std::size_t>(p) + 1] == 0) {
        detail::bad_argument(fn, "index",
                             "has no row for group " + std::to_string(p) + " of " +
                                 std::to_string(num_groups) + " (empty group)");
      }
      g.offsets_[static_cast<std::size_t>(p) + 1] += g.offsets_[static_cast<std::size_t>(p)];
    }
    g.group_of_row_.resize(static_cast<std::size_t>(n));
    g.rows_.resize(static_cast<std::size_t>(n));
    std::vector<Index> next(g.offsets_.begin(), g.offsets_.end() - 1);
    i = 0;
    for (const auto& raw : index) {
      const auto p = static_cast<std::size_t>(raw);
      g.group_of_row_[static_cast<std::size_t>(i)] = static_cast<Index>(p);
      g.rows_[static_cast<std::size_t>(next[p]++)] = i;
      ++i;
    }
    return g;
  }

  Index num_groups() const noexcept { return num_groups_; }
  Index num_rows() const noexcept { return num_rows_; }

  /// Number of rows in group p (0 <= p < num_groups()).
  Index size(Index p) const noexcept { return begin(p + 1) - begin(p); }

  /// The j-th row of group p, 0 <= j < size(p).
  Index row(Index p, Index j) const noexcept {
    const Index position = begin(p) + j;
    return rows_.empty() ? position : rows_[static_cast<std::size_t>(position)];
  }

  /// Largest group size (for sizing scratch space).
  Index max_size() const noexcept {
    if (uniform_size_ > 0) return num_groups_ > 0 ? uniform_size_ : 0;
    Index m = 0;
    for (Index p = 0; p < num_groups_; ++p) m = std::max(m, size(p));
    return m;
  }

  /// Calls f(row, group) for every row in [first, last), in row order.
  template <class F>
  void for_each_row(Index first, Index last, F&& f) const {
    if (first >= last) return;
    if (uniform_size_ > 0) {
      for (Index i = first; i < last; ++i) f(i, i / uniform_size_);
    } else if (!group_of_row_.empty()) {
      for (Index i = first; i < last; ++i) f(i, group_of_row_[static_cast<std::size_t>(i)]);
    } else {
      // Contiguous ragged groups: find the group of `first`, then walk forward.
      auto it = std::upper_bound(offsets_.begin(), offsets_.end(), first);
      Index p = static_cast<Index>(it - offsets_.begin()) - 1;
      for (Index i = first; i < last; ++i) {
        while (offsets_[static_cast<std::size_t>(p) + 1] <= i) ++p;
        f(i, p);
      }
    }
  }

 private:
  Groups() = default;

  Index begin(Index p) const noexcept {
    return uniform_size_ > 0 ? p * uniform_size_ : offsets_[static_cast<std::size_t>(p)];
  }

  Index num_groups_ = 0;
  Index num_rows_ = 0;
  Index uniform_size_ = 0;           // > 0 for uniform(): offsets are implicit
  std::vector<Index> offsets_;       // P + 1 entries otherwise
  std::vector<Index> rows_;          // from_index(): rows sorted by group (CSR)
  std::vector<Index> group_of_row_;  // from_index(): the caller's index
};

}  // namespace lsc

#endif  // LSC_GROUPS_HPP
