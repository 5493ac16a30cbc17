// lsc alignment demo — reading user rewards from CSV. SPDX-License-Identifier: MIT
//
// Format (examples/alignment/README.md has the full description):
//   header line naming the columns, in any order:
//     prompt_id       any text without commas (rows of a prompt need not be contiguous)
//     sample_id       any text without commas, unique within the prompt
//     is_reference    1 = a base-policy sample used only for the reference, 0 = a candidate
//     reward_<name>   one column per reward model (at least one), finite numbers
//     gold_<name>     optional gold / human reward on the Bradley–Terry scale, finite numbers;
//                     gold_<name> is paired with reward_<name> for the hacking gap; gold cells
//                     may be empty on reference rows (they are not used there)
//   Fields are separated by commas and trimmed of spaces; no quoting. Empty lines and lines
//   starting with '#' are skipped.
// Every problem is reported as a CsvError whose message names the file, the line and the column.
#ifndef LSC_DEMO_CSV_READER_HPP
#define LSC_DEMO_CSV_READER_HPP

#include "pool.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <istream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lsc_demo {

struct CsvError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace csv_detail {

inline std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

inline std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    out.push_back(
        trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

inline bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() > prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace csv_detail

inline Pool read_rewards_csv(std::istream& in, const std::string& file = "<input>") {
  using namespace csv_detail;
  auto fail = [&](std::size_t line, const std::string& what) -> CsvError {
    return CsvError(file + ":" + std::to_string(line) + ": " + what);
  };
  std::string text;
  std::size_t line_no = 0;
  std::vector<std::string> header;
  while (std::getline(in, text)) {
    ++line_no;
    if (!trim(text).empty() && trim(text)[0] != '#') {
      header = split(text);
      break;
    }
  }
  if (header.empty()) throw fail(line_no == 0 ? 1 : line_no, "empty file: expected a header line");
  const std::size_t header_line = line_no;
  auto col_name = [&](std::size_t c) {
    return "column " + std::to_string(c + 1) + " (" + header[c] + ")";
  };

  std::size_t c_prompt = SIZE_MAX, c_sample = SIZE_MAX, c_ref = SIZE_MAX;
  std::vector<std::size_t> c_reward, c_gold;
  Pool pool;
  std::set<std::string> seen;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& h = header[c];
    if (h.empty())
      throw fail(header_line, "column " + std::to_string(c + 1) + " has an empty name");
    if (!seen.insert(h).second) throw fail(header_line, col_name(c) + ": duplicate column name");
    if (h == "prompt_id")
      c_prompt = c;
    else if (h == "sample_id")
      c_sample = c;
    else if (h == "is_reference")
      c_ref = c;
    else if (starts_with(h, "reward_")) {
      c_reward.push_back(c);
      pool.reward_names.push_back(h.substr(7));
    } else if (starts_with(h, "gold_")) {
      c_gold.push_back(c);
      pool.gold_names.push_back(h.substr(5));
    } else
      throw fail(header_line, col_name(c) +
                                  ": unknown column (expected prompt_id, sample_id, is_reference, "
                                  "reward_<name>, gold_<name>)");
  }
  for (const char* required : {"prompt_id", "sample_id", "is_reference"})
    if (!seen.count(required))
      throw fail(header_line, std::string("missing column '") + required + "' in the header");
  if (c_reward.empty())
    throw fail(header_line, "missing column: no 'reward_<name>' column in the header");

  struct Row {
    std::size_t line;
    bool is_ref;
    std::vector<double> reward, gold;
  };
  std::vector<std::string> prompt_names;
  std::map<std::string, std::size_t> prompt_index;
  std::vector<std::vector<Row>> rows;  // by prompt, in order of first appearance
  std::vector<std::size_t> first_line;
  std::set<std::pair<std::string, std::string>> ids;

  auto number = [&](const std::string& cell, std::size_t line, std::size_t c) {
    if (cell.empty()) throw fail(line, col_name(c) + ": empty cell, expected a number");
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (end != cell.c_str() + cell.size())
      throw fail(line, col_name(c) + ": '" + cell + "' is not a number");
    if (!std::isfinite(v) || errno == ERANGE)
      throw fail(line, col_name(c) + ": '" + cell + "' is not a finite number");
    return v;
  };

  while (std::getline(in, text)) {
    ++line_no;
    if (trim(text).empty() || trim(text)[0] == '#') continue;
    const std::vector<std::string> f = split(text);
    if (f.size() != header.size())
      throw fail(line_no, "expected " + std::to_string(header.size()) +
                              " fields as in the header, found " + std::to_string(f.size()) +
                              " (column " + std::to_string(std::min(f.size(), header.size()) + 1) +
                              ")");
    const std::string& pid = f[c_prompt];
    if (pid.empty()) throw fail(line_no, col_name(c_prompt) + ": empty prompt id");
    if (f[c_sample].empty()) throw fail(line_no, col_name(c_sample) + ": empty sample id");
    if (!ids.insert({pid, f[c_sample]}).second)
      throw fail(line_no, col_name(c_sample) + ": duplicate sample id '" + f[c_sample] +
                              "' for prompt '" + pid + "'");
    Row r;
    r.line = line_no;
    if (f[c_ref] == "1")
      r.is_ref = true;
    else if (f[c_ref] == "0")
      r.is_ref = false;
    else
      throw fail(line_no, col_name(c_ref) + ": '" + f[c_ref] + "' must be 0 or 1");
    for (std::size_t c : c_reward) r.reward.push_back(number(f[c], line_no, c));
    for (std::size_t c : c_gold)  // gold is not used on reference rows and may be left empty there
      r.gold.push_back(r.is_ref && f[c].empty() ? std::nan("") : number(f[c], line_no, c));
    auto it = prompt_index.find(pid);
    if (it == prompt_index.end()) {
      it = prompt_index.emplace(pid, rows.size()).first;
      prompt_names.push_back(pid);
      rows.emplace_back();
      first_line.push_back(line_no);
    }
    rows[it->second].push_back(std::move(r));
  }
  if (rows.empty()) throw fail(line_no + 1, "no data rows after the header");

  const Index K = static_cast<Index>(c_reward.size()), G = static_cast<Index>(c_gold.size());
  Index n_cand = 0, n_ref = 0;
  for (std::size_t p = 0; p < rows.size(); ++p) {
    Index nc = 0, nr = 0;
    for (const Row& r : rows[p]) (r.is_ref ? nr : nc) += 1;
    if (nr == 0)
      throw fail(first_line[p],
                 col_name(c_ref) + ": prompt '" + prompt_names[p] +
                     "' (first row here) has no reference samples (rows with is_reference = 1)");
    if (nc == 0)
      throw fail(first_line[p],
                 col_name(c_ref) + ": prompt '" + prompt_names[p] +
                     "' (first row here) has no candidate samples (rows with is_reference = 0)");
    n_cand += nc;
    n_ref += nr;
  }
  pool.rewards.resize(n_cand, K);
  pool.gold.resize(n_cand, G);
  pool.ref_rewards.resize(n_ref, K);
  Index ic = 0, ir = 0;
  for (const auto& group : rows) {
    pool.offsets.push_back(ic);
    pool.ref_offsets.push_back(ir);
    for (const Row& r : group) {
      if (r.is_ref) {
        for (Index k = 0; k < K; ++k) pool.ref_rewards(ir, k) = r.reward[uz(k)];
        ++ir;
      } else {
        for (Index k = 0; k < K; ++k) pool.rewards(ic, k) = r.reward[uz(k)];
        for (Index g = 0; g < G; ++g) pool.gold(ic, g) = r.gold[uz(g)];
        ++ic;
      }
    }
  }
  pool.offsets.push_back(ic);
  pool.ref_offsets.push_back(ir);
  return pool;
}

inline Pool read_rewards_csv_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw CsvError(path + ": cannot open file");
  return read_rewards_csv(in, path);
}

// Writes a pool in the same format (all rows of a prompt together: candidates, then references).
inline void write_rewards_csv(std::ostream& out, const Pool& pool) {
  out << "prompt_id,sample_id,is_reference";
  for (const auto& n : pool.reward_names) out << ",reward_" << n;
  for (const auto& n : pool.gold_names) out << ",gold_" << n;
  out << '\n';
  char buf[64];
  auto num = [&](double v) {
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::string(buf);
  };
  for (Index p = 0; p < pool.prompts(); ++p) {
    Index s = 0;
    for (Index i = pool.offsets[uz(p)]; i < pool.offsets[uz(p + 1)]; ++i) {
      out << "q" << p << ",s" << s++ << ",0";
      for (Index k = 0; k < pool.rewards.cols(); ++k) out << ',' << num(pool.rewards(i, k));
      for (Index g = 0; g < pool.gold.cols(); ++g) out << ',' << num(pool.gold(i, g));
      out << '\n';
    }
    for (Index i = pool.ref_offsets[uz(p)]; i < pool.ref_offsets[uz(p + 1)]; ++i) {
      out << "q" << p << ",s" << s++ << ",1";
      for (Index k = 0; k < pool.ref_rewards.cols(); ++k) out << ',' << num(pool.ref_rewards(i, k));
      for (Index g = 0; g < pool.gold.cols(); ++g) out << ',';  // gold unknown for references
      out << '\n';
    }
  }
}

}  // namespace lsc_demo

#endif  // LSC_DEMO_CSV_READER_HPP
