// lsc alignment demo — command line and orchestration. SPDX-License-Identifier: MIT
#ifndef LSC_DEMO_APP_HPP
#define LSC_DEMO_APP_HPP

#include "analysis.hpp"
#include "csv_reader.hpp"
#include "report.hpp"
#include "simulator.hpp"
#include "utilities.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace lsc_demo {

struct Options {
  SimConfig sim;
  UtilityOptions util;
  Index bootstrap = 200;
  unsigned threads = 2;
  std::string out = "lsc-demo-out";
  std::string csv;
  std::string write_sample;
  bool plots = true;
  bool quick = false;
  double headline_kl = 2.0;
  double trade_off_rho = -0.7;
};

inline const char* usage() {
  return "usage: lsc_alignment_demo [options]\n"
         "\n"
         "Compares aligned policies built from LSC utilities (lsc::conjunction) with raw rewards "
         "and\n"
         "trainer baselines, on simulated reward models (default) or on your rewards (--csv).\n"
         "\n"
         "  --prompts P           simulated prompts (default 1000; --quick: 200)\n"
         "  --candidates M        base-policy candidates per prompt (default 64; --quick: 32)\n"
         "  --ref-samples R       separate base-policy samples per prompt for the reference "
         "(default 5)\n"
         "  --properties K        properties / reward models (default 2: helpful, harmless)\n"
         "  --rho r               correlation of the properties in the trade-off setting (default "
         "-0.7)\n"
         "  --seed S              random seed (default 20240201)\n"
         "  --quantile q          reference quantile level (default 0.85)\n"
         "  --ref-method m        gaussian (mean + Phi^-1(q)*std, default) or empirical\n"
         "  --bootstrap B         bootstrap resamples over prompts (default 200; --quick: 100)\n"
         "  --threads T           worker threads (default 2)\n"
         "  --out DIR             output directory (default ./lsc-demo-out): table.md, "
         "summary.md,\n"
         "                        curves.csv, *.png\n"
         "  --csv FILE            analyse your rewards instead (format: "
         "examples/alignment/README.md)\n"
         "  --write-sample-csv F  write a small simulated data set in the --csv format and exit\n"
         "  --no-plots            skip the PNG plots\n"
         "  --quick               a smaller, faster run\n"
         "  --help                this text\n";
}

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline Options parse_args(const std::vector<std::string>& args) {
  Options o;
  std::optional<Index> prompts, candidates, boot;
  auto value = [&](std::size_t& i) -> const std::string& {
    if (i + 1 >= args.size()) throw UsageError("option " + args[i] + " needs a value");
    return args[++i];
  };
  auto integer = [&](std::size_t& i, long long lo) {
    const std::string& opt = args[i];
    const std::string& v = value(i);
    std::size_t used = 0;
    long long x = 0;
    try {
      x = std::stoll(v, &used);
    } catch (...) {
      used = 0;
    }
    if (used != v.size() || x < lo)
      throw UsageError(opt + ": '" + v + "' is not an integer >= " + std::to_string(lo));
    return x;
  };
  auto real = [&](std::size_t& i) {
    const std::string& opt = args[i];
    const std::string& v = value(i);
    std::size_t used = 0;
    double x = 0;
    try {
      x = std::stod(v, &used);
    } catch (...) {
      used = 0;
    }
    if (used != v.size()) throw UsageError(opt + ": '" + v + "' is not a number");
    return x;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h")
      throw UsageError("");
    else if (a == "--prompts")
      prompts = static_cast<Index>(integer(i, 10));
    else if (a == "--candidates")
      candidates = static_cast<Index>(integer(i, 2));
    else if (a == "--ref-samples")
      o.sim.ref_samples = static_cast<Index>(integer(i, 1));
    else if (a == "--properties")
      o.sim.properties = static_cast<Index>(integer(i, 1));
    else if (a == "--rho")
      o.trade_off_rho = real(i);
    else if (a == "--seed")
      o.sim.seed = static_cast<std::uint64_t>(integer(i, 0));
    else if (a == "--quantile") {
      o.util.quantile = real(i);
      if (!(o.util.quantile > 0 && o.util.quantile < 1))
        throw UsageError("--quantile must be in (0, 1)");
    } else if (a == "--ref-method") {
      const std::string& v = value(i);
      if (v == "gaussian")
        o.util.method = RefMethod::gaussian;
      else if (v == "empirical")
        o.util.method = RefMethod::empirical;
      else
        throw UsageError("--ref-method: '" + v + "' is neither gaussian nor empirical");
    } else if (a == "--bootstrap")
      boot = static_cast<Index>(integer(i, 10));
    else if (a == "--threads")
      o.threads = static_cast<unsigned>(integer(i, 1));
    else if (a == "--out")
      o.out = value(i);
    else if (a == "--csv")
      o.csv = value(i);
    else if (a == "--write-sample-csv")
      o.write_sample = value(i);
    else if (a == "--no-plots")
      o.plots = false;
    else if (a == "--quick")
      o.quick = true;
    else
      throw UsageError("unknown option '" + a + "'");
  }
  if (o.quick) {
    o.sim.prompts = 200;
    o.sim.candidates = 32;
    o.bootstrap = 100;
  }
  if (prompts) o.sim.prompts = *prompts;
  if (candidates) o.sim.candidates = *candidates;
  if (boot) o.bootstrap = *boot;
  const double min_rho =
      o.sim.properties > 1 ? -1.0 / static_cast<double>(o.sim.properties - 1) : -1.0;
  if (!(o.trade_off_rho > min_rho && o.trade_off_rho < 1.0))
    throw UsageError(
        fmt::format("--rho must be in ({:g}, 1) for {} properties", min_rho, o.sim.properties));
  return o;
}

// Runs fn(0..n-1) on `threads` workers.
inline void parallel_for(std::size_t n, unsigned threads,
                         const std::function<void(std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex m;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < n;) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads && t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

inline std::string command_line(const std::vector<std::string>& args) {
  std::string s = "lsc_alignment_demo";
  for (const auto& a : args) s += " " + a;
  return s;
}

// Analyses the given pools (one per setting), writes nothing.
inline std::vector<Analysis> analyse(std::vector<Analysis> shells, const std::vector<Pool>& pools,
                                     const Options& o, bool proxy_detail, std::ostream& err) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  std::vector<Context> ctx(pools.size());
  std::vector<std::vector<Utility>> utils(pools.size());
  parallel_for(pools.size(), o.threads, [&](std::size_t s) {
    ctx[s] = make_context(pools[s], proxy_detail, o.bootstrap, o.sim.seed);
    utils[s] = compute_utilities(pools[s], o.util);
  });
  std::vector<std::pair<std::size_t, std::size_t>> tasks;
  for (std::size_t s = 0; s < pools.size(); ++s) {
    shells[s].metrics = ctx[s].metrics;
    shells[s].base = ctx[s].base;
    shells[s].curves.resize(utils[s].size());
    for (std::size_t u = 0; u < utils[s].size(); ++u) tasks.emplace_back(s, u);
  }
  std::mutex m;
  std::size_t done = 0;
  parallel_for(tasks.size(), o.threads, [&](std::size_t t) {
    const auto [s, u] = tasks[t];
    shells[s].curves[u] = run_utility(ctx[s], utils[s][u]);
    std::lock_guard<std::mutex> lock(m);
    ++done;
    err << fmt::format("lsc_alignment_demo: [{:2}/{}] {:<15} {:<20} {:5.1f} s\n", done,
                       tasks.size(), shells[s].name, utils[s][u].label,
                       std::chrono::duration<double>(clock::now() - t0).count())
        << std::flush;
  });
  return shells;
}

inline void write_outputs(const std::vector<Analysis>& analyses,
                          const std::vector<std::string>& intro, const std::string& command,
                          const Options& o, bool sim, std::ostream& out, std::ostream& err) {
  namespace fs = std::filesystem;
  const std::string table = markdown_table(analyses, intro, o.headline_kl);
  const std::string curves = curves_csv(analyses);
  const fs::path dir(o.out);
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "table.md");
    f << table;
    if (!f) throw std::runtime_error("cannot write " + (dir / "table.md").string());
  }
  if (sim) {
    std::ofstream f(dir / "summary.md");
    f << markdown_summary(analyses, command, o.headline_kl);
    if (!f) throw std::runtime_error("cannot write " + (dir / "summary.md").string());
  }
  {
    std::ofstream f(dir / "curves.csv");
    f << curves;
    if (!f) throw std::runtime_error("cannot write " + (dir / "curves.csv").string());
  }
  out << table << std::flush;
  if (!o.plots) return;
  if (!gnuplot_available()) {
    err << "lsc_alignment_demo: gnuplot is not on PATH; skipping the plots (table.md and "
           "curves.csv are written)\n";
    return;
  }
  const fs::path work =
      fs::temp_directory_path() /
      fmt::format("lsc-demo-{}-{}", std::hash<std::string>{}(fs::absolute(dir).string()),
                  std::chrono::steady_clock::now().time_since_epoch().count());
  fs::create_directories(work);
  std::vector<std::string> written;
  try {
    for (const auto& a : analyses) {
      const MetricSet& ms = a.metrics;
      const std::string& primary = ms.labels[uz(ms.primary)];
      std::vector<Panel> panels{
          {&a, ms.primary, false, primary + " vs KL"},
          {&a, ms.primary, false, "minus the raw sum's, at the same KL (paired CI)", true},
          {&a, ms.worst, false, "under-fitting: " + ms.labels[uz(ms.worst)]}};
      if (ms.gap >= 0)
        panels.push_back({&a, ms.gap, false, "reward hacking: " + ms.labels[uz(ms.gap)]});
      else if (ms.linear() > 1)
        panels.push_back({&a, 0, false, ms.labels[0] + " vs KL"});
      panels.push_back({&a, ms.primary, true, primary + ", best-of-N"});
      panels.push_back({&a, ms.primary, true, "best-of-N, minus the raw sum's (paired CI)", true});
      const std::string file = a.name + ".png";
      plot_panels(panels, 2, dir / file, work, a.name, a.title + " (bands: 95% bootstrap CI)");
      written.push_back(file);
    }
    if (sim) {
      std::vector<Panel> panels;
      for (const auto& a : analyses) {
        panels.push_back({&a, a.metrics.primary, false, a.title});
        panels.push_back(
            {&a, a.metrics.primary, false, a.title + ": minus the raw sum's (paired CI)", true});
      }
      plot_panels(panels, 2, dir / "overview.png", work, "overview",
                  analyses[0].metrics.labels[uz(analyses[0].metrics.primary)] +
                      " vs KL(pi || pi0), per setting");
      written.push_back("overview.png");
    }
  } catch (...) {
    fs::remove_all(work);
    throw;
  }
  fs::remove_all(work);
  err << "lsc_alignment_demo: wrote " << (dir / "table.md").string() << (sim ? ", summary.md" : "")
      << ", curves.csv";
  for (const auto& w : written) err << ", " << w;
  err << "\n";
}

inline int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  Options o;
  try {
    o = parse_args(args);
  } catch (const UsageError& e) {
    if (std::string(e.what()).empty()) {
      out << usage();
      return 0;
    }
    err << "lsc_alignment_demo: " << e.what() << "\n\n" << usage();
    return 2;
  }
  try {
    if (!o.write_sample.empty()) {
      SimConfig c = o.sim;
      c.prompts = 24;
      c.candidates = 8;
      c.ref_samples = 4;
      const Pool pool = simulate(c, default_scenarios(c.properties, o.trade_off_rho)[0]);
      std::ofstream f(o.write_sample);
      f << "# written by: lsc_alignment_demo --write-sample-csv (well-specified setting, seed "
        << c.seed << ")\n";
      write_rewards_csv(f, pool);
      if (!f) throw std::runtime_error("cannot write " + o.write_sample);
      err << "lsc_alignment_demo: wrote " << o.write_sample << "\n";
      return 0;
    }
    std::vector<std::string> intro;
    const std::string cmd = command_line(args);
    if (!o.csv.empty()) {
      Pool pool = read_rewards_csv_file(o.csv);  // throws CsvError before anything is written
      Analysis a;
      a.name = "user-data";
      a.title = "User data: " + std::filesystem::path(o.csv).filename().string();
      a.description = fmt::format(
          "{} prompts, {} candidates ({} per prompt), {} reference samples, reward models: {}{}.",
          pool.prompts(), pool.candidates(),
          pool.min_group() == pool.max_group()
              ? std::to_string(pool.min_group())
              : fmt::format("{}-{}", pool.min_group(), pool.max_group()),
          pool.ref_rewards.rows(), fmt::join(pool.reward_names, ", "),
          pool.gold.cols() ? fmt::format("; gold: {}", fmt::join(pool.gold_names, ", "))
                           : "; no gold columns");
      a.params = {{"input", o.csv},
                  {"reference", describe(o.util)},
                  {"bootstrap resamples", std::to_string(o.bootstrap)},
                  {"bootstrap seed", std::to_string(o.sim.seed)}};
      intro = {
          "## LSC vs raw rewards on user data", "",
          fmt::format(
              "Produced by `{}`. π0 = uniform over each prompt's candidate rows; references: {}.",
              cmd, describe(o.util))};
      auto res = analyse({a}, {pool}, o, true, err);
      write_outputs(res, intro, cmd, o, false, out, err);
    } else {
      std::vector<Analysis> shells;
      std::vector<Pool> pools;
      for (const auto& s : default_scenarios(o.sim.properties, o.trade_off_rho)) {
        Analysis a;
        a.name = s.name;
        a.title = s.title;
        a.description = s.description + ".";
        a.params = describe(o.sim, s);
        a.params.emplace_back("reference", describe(o.util));
        a.params.emplace_back("bootstrap resamples", std::to_string(o.bootstrap));
        shells.push_back(std::move(a));
      }
      err << fmt::format("lsc_alignment_demo: simulating {} settings, P = {}, M = {}, seed {}\n",
                         shells.size(), o.sim.prompts, o.sim.candidates, o.sim.seed);
      for (const auto& s : default_scenarios(o.sim.properties, o.trade_off_rho))
        pools.push_back(simulate(o.sim, s));
      intro = {fmt::format(
          "Produced by `{}` (seed {}, P = {} prompts, M = {} base-policy candidates per prompt, K "
          "= {} "
          "properties; references: {} over {} separate base-policy samples; {} bootstrap resamples "
          "over prompts). Every number below is written by the program; intervals are 95% "
          "bootstrap "
          "percentile intervals with γ held fixed.",
          cmd, o.sim.seed, o.sim.prompts, o.sim.candidates, o.sim.properties, describe(o.util),
          o.sim.ref_samples, o.bootstrap)};
      auto res = analyse(std::move(shells), pools, o, false, err);
      write_outputs(res, intro, cmd, o, true, out, err);
    }
  } catch (const CsvError& e) {
    err << "lsc_alignment_demo: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "lsc_alignment_demo: error: " << e.what() << "\n";
    return 1;
  }
  err << fmt::format("lsc_alignment_demo: done in {:.1f} s\n",
                     std::chrono::duration<double>(clock::now() - t0).count());
  return 0;
}

}  // namespace lsc_demo

#endif  // LSC_DEMO_APP_HPP
