// lsc alignment demo — the table (markdown, also printed), the curves CSV and the gnuplot plots.
// SPDX-License-Identifier: MIT
#ifndef LSC_DEMO_REPORT_HPP
#define LSC_DEMO_REPORT_HPP

#include "analysis.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lsc_demo {

inline std::string fmt_num(double v, int digits = 3) {
  if (std::isnan(v)) return "n/a";
  std::string s = fmt::format("{:.{}f}", v, digits);
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // no "-0.000"
  return s;
}
inline std::string fmt_est(const Estimate& e, int digits = 3) {
  return fmt::format("{} [{}, {}]", fmt_num(e.mean, digits), fmt_num(e.lo, digits),
                     fmt_num(e.hi, digits));
}
inline std::string fmt_signed_est(const Estimate& e, int digits = 3) {
  auto s = [&](double v) { return (v > 0 ? "+" : "") + fmt_num(v, digits); };
  return fmt::format("{} [{}, {}]", s(e.mean), s(e.lo), s(e.hi));
}
inline std::string kl_label(double kl) { return fmt::format("KL {:g}", kl); }

inline Estimate point_estimate(const Point& p, Index metric) {
  return estimate(p.eval.value(metric), p.eval.draws, metric);
}

inline const Curves* find_curves(const Analysis& a, const std::string& name) {
  for (const auto& c : a.curves)
    if (c.name == name) return &c;
  return nullptr;
}

// The headline table: one column per setting, one row per utility (and the base policy), the
// primary metric at the headline KL. Written into both table.md and summary.md.
inline void headline_rows(std::ostringstream& md, const std::vector<Analysis>& analyses,
                          Index primary, double headline_kl) {
  md << "| utility |";
  for (const auto& a : analyses) md << " " << a.title << " |";
  md << "\n|---|";
  for (std::size_t i = 0; i < analyses.size(); ++i) md << "---|";
  md << "\n| base policy π0 |";
  for (const auto& a : analyses) md << " " << fmt_est(point_estimate(a.base, primary)) << " |";
  md << "\n";
  for (std::size_t u = 0; u < analyses[0].curves.size(); ++u) {
    md << "| " << analyses[0].curves[u].label << " |";
    for (const auto& a : analyses) {
      const Point* p = find_kl(a.curves[u], headline_kl);
      md << " " << (p ? fmt_est(point_estimate(*p, primary)) : std::string("n/a")) << " |";
    }
    md << "\n";
  }
}

// The markdown report. `intro` holds lines describing the run (command, seed, ...).
inline std::string markdown_table(const std::vector<Analysis>& analyses,
                                  const std::vector<std::string>& intro, double headline_kl) {
  std::ostringstream md;
  for (const auto& l : intro) md << l << "\n";
  md << "\n";
  if (analyses.empty()) return md.str();
  const bool sim = analyses.size() > 1;
  const Index primary = analyses[0].metrics.primary;
  const std::string primary_label = analyses[0].metrics.labels[uz(primary)];

  if (sim) {
    md << fmt::format(
        "### Headline: {} at matched KL = {:g} nats (95% bootstrap CI over prompts)\n\n",
        primary_label, headline_kl);
    headline_rows(md, analyses, primary, headline_kl);
    md << "\n";
  }

  for (const auto& a : analyses) {
    const MetricSet& ms = a.metrics;
    md << "### " << a.title << "\n\n" << a.description << "\n\n";
    // primary metric vs KL and N
    md << fmt::format(
        "**{}** at matched KL (tilted policy, one γ per utility) and for best-of-N:\n\n",
        ms.labels[uz(ms.primary)]);
    std::vector<double> kls, ns;
    // user data may come with small pools (max KL = log M): start the columns lower
    const std::vector<double> wanted =
        sim ? table_kls() : std::vector<double>{0.1, 0.3, 0.5, 1.0, 2.0, 4.0};
    for (double kl : wanted)
      for (const auto& c : a.curves)
        if (find_kl(c, kl)) {
          kls.push_back(kl);
          break;
        }
    for (double n : table_ns())
      if (!a.curves.empty() && find_n(a.curves[0], n)) ns.push_back(n);
    md << "| utility |";
    for (double kl : kls) md << " " << kl_label(kl) << " |";
    for (double n : ns) md << " best-of-" << n << " |";
    md << "\n|---|";
    for (std::size_t i = 0; i < kls.size() + ns.size(); ++i) md << "---|";
    md << "\n| base policy π0 |";
    for (std::size_t i = 0; i < kls.size() + ns.size(); ++i)
      md << " " << fmt_est(point_estimate(a.base, ms.primary)) << " |";
    md << "\n";
    for (const auto& c : a.curves) {
      md << "| " << c.label << " |";
      for (double kl : kls) {
        const Point* p = find_kl(c, kl);
        md << " " << (p ? fmt_est(point_estimate(*p, ms.primary)) : std::string("n/a")) << " |";
      }
      for (double n : ns) md << " " << fmt_est(point_estimate(*find_n(c, n), ms.primary)) << " |";
      md << "\n";
    }
    md << "\n";
    // every metric at each table KL (sim: the headline KL only)
    std::vector<double> detail = sim ? std::vector<double>{headline_kl} : kls;
    for (double kl : detail) {
      md << fmt::format("All metrics at KL = {:g} nats:\n\n| utility | γ |", kl);
      for (Index m = 0; m < ms.size(); ++m)
        if (m != ms.primary) md << " " << ms.labels[uz(m)] << " |";
      md << "\n|---|---|";
      for (Index m = 1; m < ms.size(); ++m) md << "---|";
      md << "\n| base policy π0 | ∞ |";
      for (Index m = 0; m < ms.size(); ++m)
        if (m != ms.primary) md << " " << fmt_est(point_estimate(a.base, m)) << " |";
      md << "\n";
      for (const auto& c : a.curves) {
        const Point* p = find_kl(c, kl);
        md << "| " << c.label << " | " << (p ? fmt::format("{:.4g}", p->gamma) : std::string("n/a"))
           << " |";
        for (Index m = 0; m < ms.size(); ++m)
          if (m != ms.primary)
            md << " " << (p ? fmt_est(point_estimate(*p, m)) : std::string("n/a")) << " |";
        md << "\n";
      }
      md << "\n";
    }
    // paired differences LSC − raw
    const Curves* lsc_c = find_curves(a, "lsc");
    const Curves* raw_c = find_curves(a, "raw");
    if (lsc_c && raw_c) {
      std::string diffs;
      for (double kl : kls) {
        const Point* pl = find_kl(*lsc_c, kl);
        const Point* pr = find_kl(*raw_c, kl);
        if (!pl || !pr) continue;
        diffs += (diffs.empty() ? " " : "; ") + kl_label(kl) + ": " +
                 fmt_signed_est(difference(pl->eval, pr->eval, ms.primary));
      }
      if (!diffs.empty())
        md << fmt::format("LSC − raw sum, paired bootstrap difference in {}:{}.\n\n",
                          ms.labels[uz(ms.primary)], diffs);
    }
  }
  // parameters
  md << "### Parameters\n\n| parameter |";
  for (const auto& a : analyses) md << " " << a.name << " |";
  md << "\n|---|";
  for (std::size_t i = 0; i < analyses.size(); ++i) md << "---|";
  md << "\n";
  for (std::size_t r = 0; r < analyses[0].params.size(); ++r) {
    md << "| " << analyses[0].params[r].first << " |";
    for (const auto& a : analyses)
      md << " " << (r < a.params.size() ? a.params[r].second : "") << " |";
    md << "\n";
  }
  return md.str();
}

// The short version for README.md (simulated settings only): the headline metric at the headline
// KL per setting, LSC minus raw (paired) at every table KL and best-of-N, and the hacking and
// under-fitting metrics of the raw sum and LSC.
inline std::string markdown_summary(const std::vector<Analysis>& analyses,
                                    const std::string& command, double headline_kl) {
  std::ostringstream md;
  if (analyses.empty()) return md.str();
  const MetricSet& ms0 = analyses[0].metrics;
  const Index primary = ms0.primary;
  md << fmt::format(
      "Produced by `{}`; 95% bootstrap intervals over prompts. Full tables: `table.md`.\n\n",
      command);
  md << fmt::format("**{} at KL = {:g} nats**\n\n", ms0.labels[uz(primary)], headline_kl);
  headline_rows(md, analyses, primary, headline_kl);
  md << fmt::format("\n**LSC minus raw sum in {}** (paired; > 0: LSC better)\n\n| setting |",
                    ms0.labels[uz(primary)]);
  for (double kl : table_kls()) md << " " << kl_label(kl) << " |";
  for (double n : table_ns()) md << " best-of-" << n << " |";
  md << "\n|---|";
  for (std::size_t i = 0; i < table_kls().size() + table_ns().size(); ++i) md << "---|";
  md << "\n";
  for (const auto& a : analyses) {
    const Curves* l = find_curves(a, "lsc");
    const Curves* r = find_curves(a, "raw");
    if (!l || !r) continue;
    md << "| " << a.title << " |";
    for (double kl : table_kls()) {
      const Point* pl = find_kl(*l, kl);
      const Point* pr = find_kl(*r, kl);
      md << " "
         << (pl && pr ? fmt_signed_est(difference(pl->eval, pr->eval, primary))
                      : std::string("n/a"))
         << " |";
    }
    for (double n : table_ns()) {
      const Point* pl = find_n(*l, n);
      const Point* pr = find_n(*r, n);
      md << " "
         << (pl && pr ? fmt_signed_est(difference(pl->eval, pr->eval, primary))
                      : std::string("n/a"))
         << " |";
    }
    md << "\n";
  }
  if (ms0.gap >= 0) {
    md << fmt::format(
        "\n**Reward hacking and under-fitting at KL = {:g} nats**\n\n| setting | {} raw sum | {} "
        "LSC | {} raw sum | {} LSC |\n|---|---|---|---|---|\n",
        headline_kl, "hacking gap,", "hacking gap,", "worst-10% gain,", "worst-10% gain,");
    for (const auto& a : analyses) {
      const Curves* l = find_curves(a, "lsc");
      const Curves* r = find_curves(a, "raw");
      const Point* pl = l ? find_kl(*l, headline_kl) : nullptr;
      const Point* pr = r ? find_kl(*r, headline_kl) : nullptr;
      if (!pl || !pr) continue;
      md << "| " << a.title << " | " << fmt_est(point_estimate(*pr, a.metrics.gap)) << " | "
         << fmt_est(point_estimate(*pl, a.metrics.gap)) << " | "
         << fmt_est(point_estimate(*pr, a.metrics.worst)) << " | "
         << fmt_est(point_estimate(*pl, a.metrics.worst)) << " |\n";
    }
  }
  return md.str();
}

inline std::string curves_csv(const std::vector<Analysis>& analyses) {
  std::ostringstream out;
  out << "setting,utility,policy,kl,gamma,n,metric,value,lo,hi\n";
  auto row = [&](const Analysis& a, const std::string& util, const char* policy, const Point& p) {
    for (Index m = 0; m < a.metrics.size(); ++m) {
      const Estimate e = point_estimate(p, m);
      out << a.name << ',' << util << ',' << policy << ',' << fmt::format("{:.6g}", p.kl) << ','
          << (std::isnan(p.gamma) ? std::string() : fmt::format("{:.6g}", p.gamma)) << ','
          << (std::isnan(p.n) ? std::string() : fmt::format("{:g}", p.n)) << ','
          << a.metrics.names[uz(m)] << ','
          << fmt::format("{:.6g},{:.6g},{:.6g}", e.mean, e.lo, e.hi) << '\n';
    }
  };
  for (const auto& a : analyses) {
    row(a, "base", "base", a.base);
    for (const auto& c : a.curves) {
      for (const auto& p : c.tilt) row(a, c.name, "tilt", p);
      for (const auto& p : c.bon) row(a, c.name, "best-of-n", p);
    }
  }
  return out.str();
}

// ---- plots ---------------------------------------------------------------------------------

inline bool gnuplot_available() {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    std::error_code ec;
    const auto f = std::filesystem::path(dir) / "gnuplot";
    if (std::filesystem::exists(f, ec) && !std::filesystem::is_directory(f, ec)) return true;
  }
  return false;
}

inline const char* utility_color(const std::string& name) {
  if (name == "raw") return "#000000";
  if (name == "lsc") return "#d62728";
  if (name == "grpo") return "#1f77b4";
  if (name == "norm-sum") return "#2ca02c";
  if (name == "min-centred") return "#9467bd";
  if (name == "par") return "#ff7f0e";
  return "#7f7f7f";
}

struct Panel {
  const Analysis* analysis;
  Index metric;
  bool best_of_n;
  std::string title;
  bool minus_raw = false;  // plot the paired difference to the raw sum (other utilities only)
};

inline std::string gp_quote(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}

// Writes one PNG with the panels laid out in a grid; data and script go to `work`.
inline void plot_panels(const std::vector<Panel>& panels, int cols,
                        const std::filesystem::path& png, const std::filesystem::path& work,
                        const std::string& stem, const std::string& title) {
  const auto dat = work / (stem + ".dat");
  const auto gp = work / (stem + ".gp");
  std::ofstream d(dat);
  std::ofstream s(gp);
  const int rows = static_cast<int>((panels.size() + static_cast<std::size_t>(cols) - 1) /
                                    static_cast<std::size_t>(cols));
  s << "set terminal pngcairo size " << 560 * cols << "," << 420 * rows + 40
    << " font 'DejaVu Sans,10'\n";
  s << "set output " << gp_quote(png.string()) << "\n";
  s << "set multiplot layout " << rows << "," << cols << " title " << gp_quote(title) << "\n";
  s << "set grid lc rgb '#dddddd'\nset key left top font ',8' spacing 0.9 opaque\nset style fill "
       "transparent solid 0.18 noborder\n";
  int block = 0;
  for (const auto& pn : panels) {
    const Analysis& a = *pn.analysis;
    s << "set title " << gp_quote(pn.title) << "\n";
    s << (pn.best_of_n ? "set logscale x 2\nset xlabel 'N (best-of-N)'\n"
                       : "unset logscale x\nset xlabel 'KL(pi || pi0), nats'\n");
    s << "set ylabel "
      << gp_quote((pn.minus_raw ? "difference to raw sum in " : "") +
                  a.metrics.labels[uz(pn.metric)])
      << "\n";
    s << "plot ";
    bool first = true;
    const Curves* raw = find_curves(a, "raw");
    if (pn.minus_raw) s << "0 lc rgb '#000000' dt 2 notitle";
    first = !pn.minus_raw;
    for (const auto& c : a.curves) {
      if (pn.minus_raw && (c.name == "raw" || !raw)) continue;
      const auto& pts = pn.best_of_n ? c.bon : c.tilt;
      if (!pn.best_of_n) {  // start at π0
        const Estimate e = pn.minus_raw ? Estimate{} : point_estimate(a.base, pn.metric);
        d << 0.0 << ' ' << e.mean << ' ' << e.lo << ' ' << e.hi << '\n';
      }
      for (const auto& p : pts) {
        Estimate e = point_estimate(p, pn.metric);
        if (pn.minus_raw) {
          const Point* r = pn.best_of_n ? find_n(*raw, p.n) : find_kl(*raw, p.kl);
          if (!r) continue;
          e = difference(p.eval, r->eval, pn.metric);
        }
        d << (pn.best_of_n ? p.n : p.kl) << ' ' << e.mean << ' ' << e.lo << ' ' << e.hi << '\n';
      }
      d << "\n\n";
      const std::string col = utility_color(c.name);
      s << (first ? "" : ", \\\n     ") << gp_quote(dat.string()) << " index " << block
        << " using 1:3:4 with filledcurves fc rgb '" << col << "' notitle, '' index " << block
        << " using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '" << col << "' title "
        << gp_quote(c.label);
      first = false;
      ++block;
    }
    s << "\n";
  }
  s << "unset multiplot\n";
  s.close();
  d.close();
  const std::string cmd =
      "gnuplot " + gp_quote(gp.string()) + " 2>" + gp_quote((work / (stem + ".log")).string());
  if (std::system(cmd.c_str()) != 0) {
    std::ifstream log(work / (stem + ".log"));
    std::stringstream buf;
    buf << log.rdbuf();
    throw std::runtime_error("gnuplot failed on " + png.string() + ": " + buf.str());
  }
}

}  // namespace lsc_demo

#endif  // LSC_DEMO_REPORT_HPP
