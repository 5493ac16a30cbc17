#!/usr/bin/python3
"""Writes BENCHMARKS.md from one run of lsc_bench (Google Benchmark JSON) and of
torch_logsigmoid.py (JSON). Every number in the output comes from those two files or from
the machine (lscpu, /proc/cpuinfo, dpkg); nothing is typed by hand.

Usage: report.py --bench lsc_bench.json --torch torch.json --out BENCHMARKS.md
                 [--command "scripts/bench"] [--elapsed SECONDS]
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

# Case -> (group, baseline case or None, description). Order = row order in the tables.
CASES = [
    ("memcpy", "baseline", None, "memcpy of the batch"),
    ("centre", "baseline", "memcpy", "r - ref, plain loop"),
    ("raw_sum_k2", "baseline", None, "Σ_j w_j r_ij, K = 2"),
    ("raw_sum_k4", "baseline", None, "Σ_j w_j r_ij, K = 4"),
    ("raw_sum_k8", "baseline", None, "Σ_j w_j r_ij, K = 8"),
    ("kernel", "lsc", "memcpy", "lsc::kernels::log_sigmoid"),
    ("expr", "lsc", "memcpy", "lsc::log_sigmoid(Eigen::Map)"),
    ("kernel_transform", "lsc", "centre", "lsc::kernels::transform (log σ(r - ref))"),
    ("expr_transform", "lsc", "centre", "lsc::transform(Eigen::Map, Eigen::Map)"),
    ("conjunction_k2", "lsc", "raw_sum_k2", "lsc::kernels::conjunction, K = 2"),
    ("conjunction_k4", "lsc", "raw_sum_k4", "lsc::kernels::conjunction, K = 4"),
    ("conjunction_k8", "lsc", "raw_sum_k8", "lsc::kernels::conjunction, K = 8"),
    ("std_loop", "peer", "memcpy", "scalar std:: loop, min(z,0) - log1p(exp(-|z|))"),
    ("naive", "peer", "memcpy", "naive std::log(1/(1+std::exp(-z)))"),
    ("eigen_composed", "peer", "memcpy", "Eigen 3.4: z.min(0) - (-z.abs()).exp().log1p()"),
    ("torch_logsigmoid", "peer", "memcpy", "torch F.logsigmoid(z) (allocates its output)"),
    ("torch_logsigmoid_out", "peer", "memcpy", "torch log_sigmoid(z, out=y) (preallocated)"),
]
CASE_INFO = {c[0]: c for c in CASES}
PEERS_VS_KERNEL = {"std_loop", "naive", "eigen_composed", "torch_logsigmoid", "torch_logsigmoid_out",
                   "expr"}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, check=False, capture_output=True,
                              text=True).stdout.strip()
    except Exception:  # noqa: BLE001
        return ""


def machine_info():
    lscpu = sh("LC_ALL=C lscpu")
    info = {}
    for line in lscpu.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            info[k.strip()] = v.strip()
    flags = set(info.get("Flags", "").split())
    wanted = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
              "avx512vbmi", "avx512_bf16", "avx512_fp16"]
    return {
        "model": info.get("Model name", "unknown"),
        "family_model": f"family {info.get('CPU family', '?')}, model {info.get('Model', '?')}",
        "cpus": info.get("CPU(s)", "?"),
        "hypervisor": info.get("Hypervisor vendor", "none"),
        "flags": [f for f in wanted if f in flags],
        "kernel": sh("uname -sr"),
        "os": sh(". /etc/os-release && echo \"$PRETTY_NAME\""),
        "libbenchmark": sh("dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null"),
        "memory": sh("LC_ALL=C free -g | awk '/^Mem:/ {print $2 \" GiB\"}'"),
        "load_now": sh("cut -d' ' -f1-3 /proc/loadavg"),
    }


def git_revision(root):
    rev = sh(f"git -C '{root}' rev-parse --short HEAD")
    dirty = sh(f"git -C '{root}' status --porcelain -- include benchmarks")
    return rev + (" (include/ or benchmarks/ modified)" if dirty else "")


def load_bench(path):
    with open(path) as f:
        data = json.load(f)
    rows = {}
    stats = defaultdict(dict)
    for b in data["benchmarks"]:
        if b.get("run_type") != "aggregate":
            continue
        parts = [p for p in b["run_name"].split("/") if ":" not in p]
        typ, case, lg = parts[0], parts[1], int(parts[2])
        stats[(typ, case, lg)][b["aggregate_name"]] = b
    for key, agg in stats.items():
        med = agg.get("median")
        if med is None:
            continue
        unit = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[med["time_unit"]]
        n = 1 << key[2]
        cpu_ns = med["cpu_time"] * unit
        bytes_per_item = med["bytes_per_second"] / med["items_per_second"]
        cv = agg.get("cv", {}).get("cpu_time")
        rows[key] = {
            "ns": cpu_ns,
            "real_ns": med["real_time"] * unit,
            "ns_per_elem": cpu_ns / n,
            "gbs": bytes_per_item * n / cpu_ns,  # bytes per ns = GB/s
            "cv": cv,
            "reps": med.get("repetitions"),
            "iterations": med.get("iterations"),
        }
    return data["context"], rows


def load_torch(path, rows):
    if not path or not os.path.exists(path):
        return {"available": False, "error": "not run"}
    with open(path) as f:
        data = json.load(f)
    for r in data.get("rows", []):
        key = (r["type"], r["case"], r["log2_n"])
        spread = (r["max_s"] - r["min_s"]) / r["median_s"] if r["median_s"] else None
        rows[key] = {
            "ns": r["median_s"] * 1e9,
            "real_ns": r["median_s"] * 1e9,
            "ns_per_elem": r["ns_per_elem"],
            "gbs": 2 * (4 if r["type"] == "float" else 8) * r["n"] / (r["median_s"] * 1e9),
            "cv": None,
            "spread": spread,
            "reps": r["samples"],
        }
    return data


def fmt(x, digits=3):
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.{digits - 1}f}" if x >= 1 else f"{x:.{digits}f}"


def targets(rows):
    """(description, value text, met?, how far) for each target of issue 3 (kernels and benchmarks), from this run."""
    out = []

    def t(typ, case, lg):
        r = rows.get((typ, case, lg))
        return r["ns"] if r else None

    def speedup(desc, typ, lg, peer, need):
        a, b = t(typ, peer, lg), t(typ, "kernel", lg)
        if a is None or b is None:
            out.append((desc, "not measured", None, ""))
            return
        s = a / b
        met = s >= need
        how = f"{s / need:.2f}x the target" if met else f"short by {need / s:.2f}x (needs {need:g}x)"
        out.append((desc, f"{s:.2f}x faster", met, how))

    def at_most(desc, num, den, need, unit="x the time"):
        if num is None or den is None:
            out.append((desc, "not measured", None, ""))
            return
        r = num / den
        met = r <= need
        how = (f"{need / r:.2f}x headroom" if met else
               f"over by {r / need:.2f}x (needs ≤ {need:g}x)")
        out.append((desc, f"{r:.2f}{unit}", met, how))

    speedup("float kernel, 2^20: ≥ 5x faster than Eigen's composed expression", "float", 20,
            "eigen_composed", 5)
    speedup("float kernel, 2^20: ≥ 30x faster than the scalar std:: loop", "float", 20,
            "std_loop", 30)
    torch_case = "torch_logsigmoid_out" if ("float", "torch_logsigmoid_out", 20) in rows \
        else "torch_logsigmoid"
    speedup(f"float kernel, 2^20: ≥ 10x faster than PyTorch's CPU logsigmoid ({torch_case})",
            "float", 20, torch_case, 10)
    at_most("float kernel, 2^26: ≤ 2x the time of memcpy", t("float", "kernel", 26),
            t("float", "memcpy", 26), 2)
    speedup("double kernel, 2^20: ≥ 10x faster than Eigen's composed expression", "double", 20,
            "eigen_composed", 10)
    at_most("fused conjunction, K = 4, 2^20 rows, float: ≤ 2x the raw weighted sum",
            t("float", "conjunction_k4", 20), t("float", "raw_sum_k4", 20), 2)
    # Eigen API vs raw kernel: every measured size and type; the worst one decides.
    worst = None
    for (typ, case, lg), r in rows.items():
        if case != "expr":
            continue
        k = t(typ, "kernel", lg)
        if k:
            ratio = r["ns"] / k
            if worst is None or ratio > worst[0]:
                worst = (ratio, typ, lg)
    if worst:
        at_20 = t("float", "expr", 20), t("float", "kernel", 20)
        desc = (f"Eigen-expression API within 1.25x of the raw kernel (worst case: "
                f"{worst[1]} 2^{worst[2]}; float 2^20: "
                f"{at_20[0] / at_20[1]:.2f}x)" if all(at_20) else
                f"Eigen-expression API within 1.25x of the raw kernel (worst: {worst[1]} 2^{worst[2]})")
        at_most(desc, worst[0] * 1.0, 1.0, 1.25, "x the kernel's time")
    k13 = t("float", "kernel", 13)
    if k13 is None:
        out.append(("a batch of 8192 floats in ≤ 3 µs", "not measured", None, ""))
    else:
        us = k13 / 1e3
        met = us <= 3.0
        out.append(("a batch of 8192 floats (kernel, 2^13) in ≤ 3 µs", f"{us:.2f} µs", met,
                    f"{3.0 / us:.2f}x headroom" if met else f"over by {us / 3.0:.2f}x"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--torch")
    ap.add_argument("--out", required=True)
    ap.add_argument("--command", default="scripts/bench")
    ap.add_argument("--elapsed", type=float)
    args = ap.parse_args()

    ctx, rows = load_bench(args.bench)
    torch = load_torch(args.torch, rows)
    m = machine_info()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    types = [t for t in ("float", "double") if any(k[0] == t for k in rows)]
    sizes = sorted({k[2] for k in rows})

    L = []
    L.append("# lsc benchmarks")
    L.append("")
    L.append(f"Generated by `{args.command}` on {ctx.get('date', '?')} — do not edit by hand; "
             "rerun the command. Every number below comes from that one run.")
    L.append("")
    L.append("## Setup")
    L.append("")
    L.append(f"- **CPU**: {m['model']} ({m['family_model']}), {m['cpus']} CPUs, "
             f"hypervisor: {m['hypervisor']}, memory {m['memory']}")
    caches = ", ".join(f"L{c['level']} {c['type'][0].lower()} {c['size'] // 1024} KiB"
                       + (f" x{c['num_sharing']}" if c.get("num_sharing") else "")
                       for c in ctx.get("caches", []))
    L.append(f"- **Caches** (as Google Benchmark sees them): {caches}")
    L.append(f"- **CPU flags** (subset): {' '.join(m['flags'])}")
    L.append(f"- **OS**: {m['os']}, {m['kernel']}")
    L.append(f"- **Compiler**: {ctx.get('lsc_compiler', '?')}; build type "
             f"{ctx.get('lsc_build_type', '?')}; flags `{ctx.get('lsc_flags', '?')}`")
    L.append(f"- **Eigen** {ctx.get('eigen_version', '?')}, SIMD in use: {ctx.get('eigen_simd', '?')}")
    L.append(f"- **lsc** {ctx.get('lsc_version', '?')} at commit {git_revision(root)}; "
             f"Google Benchmark {m['libbenchmark']} (Debian; its own build type: "
             f"{ctx.get('library_build_type', '?')}, which affects the harness, not the timed code)")
    if torch.get("available"):
        L.append(f"- **PyTorch** {torch.get('torch_version')} (Debian python3-torch, Python "
                 f"{torch.get('python')}), threads: {torch.get('num_threads')}, ATen CPU "
                 f"capability: {torch.get('cpu_capability')}")
    else:
        L.append(f"- **PyTorch**: not measured ({torch.get('error', 'unavailable')})")
    L.append(f"- **Load average**: {' '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))} at the "
             f"start of the C++ suite, {m['load_now']} when this file was written "
             f"({m['cpus']} CPUs, shared with other jobs)")
    if args.elapsed:
        L.append(f"- **Wall time of the whole command**: {args.elapsed / 60:.1f} min")
    L.append("")
    L.append("## Method")
    L.append("")
    L.append(
        "Single thread. Sizes n = 2^" + ", 2^".join(str(s) for s in sizes) +
        " elements (the K cases: n rows of K rewards, run where n·K ≤ 2^26). Inputs: centred "
        "rewards z ~ N(0, 2²), rewards ~ N(0.5, 2²), references ~ N(0, 1), 64-byte aligned, "
        "allocated and touched once. Each benchmark is repeated (7 repetitions up to 2^16, 5 at "
        "2^20, 3 above; each repetition ≥ 0.05–0.1 s), repetitions of all benchmarks interleaved "
        "in random order; the table shows the **median CPU time** of the repetitions "
        "(CPU time, not wall time, because the machine is shared: wall time includes the time "
        "other jobs held the core). ns/elem is that time over n (over rows for the K cases); "
        "GB/s counts the compulsory traffic (bytes read + bytes written, not write-allocate); "
        "“× base” is the row's time over its baseline's time in this run. PyTorch is timed by "
        "`benchmarks/torch_logsigmoid.py` in a separate process right after, same sizes, one "
        "thread, median of wall-clock samples. **Noise**: “cv” is the coefficient of variation "
        "of the repetitions (torch: (max−min)/median); treat differences below a few cv as "
        "noise.")
    L.append("")
    L.append("Baselines: memcpy for the element-wise rows, `centre` for the transform rows, "
             "`raw_sum_kK` for `conjunction_kK`.")
    L.append("")

    # Targets.
    L.append("## Targets (issue 3), computed from this run")
    L.append("")
    L.append("| target | measured | status | margin |")
    L.append("| --- | --- | --- | --- |")
    for desc, value, met, how in targets(rows):
        status = "—" if met is None else ("**met**" if met else "**missed**")
        L.append(f"| {desc} | {value} | {status} | {how} |")
    L.append("")

    for typ in types:
        L.append(f"## {typ}")
        L.append("")
        L.append("ns per element (per row for K cases), and in parentheses the ratio to the "
                 "baseline's time (× base).")
        L.append("")
        L.append("| case | baseline | " + " | ".join(f"2^{s}" for s in sizes) + " | max cv |")
        L.append("| --- | --- | " + " | ".join("---:" for _ in sizes) + " | ---: |")
        for case, group, base, desc in CASES:
            cells, cvs, any_row = [], [], False
            for s in sizes:
                r = rows.get((typ, case, s))
                if r is None:
                    cells.append("—")
                    continue
                any_row = True
                cell = fmt(r["ns_per_elem"])
                b = rows.get((typ, base, s)) if base else None
                if b:
                    cell += f" ({r['ns'] / b['ns']:.2f}×)"
                cells.append(cell)
                v = r.get("cv") if r.get("cv") is not None else r.get("spread")
                if v is not None:
                    cvs.append(v)
            if not any_row:
                continue
            cv = f"{100 * max(cvs):.0f}%" if cvs else "—"
            L.append(f"| `{case}` — {desc} | {base or '—'} | " + " | ".join(cells) + f" | {cv} |")
        L.append("")
        L.append(f"{typ}: GB/s (compulsory bytes read + written per second)")
        L.append("")
        L.append("| case | " + " | ".join(f"2^{s}" for s in sizes) + " |")
        L.append("| --- | " + " | ".join("---:" for _ in sizes) + " |")
        for case, group, base, desc in CASES:
            cells = [fmt(rows[(typ, case, s)]["gbs"]) if (typ, case, s) in rows else "—"
                     for s in sizes]
            if all(c == "—" for c in cells):
                continue
            L.append(f"| `{case}` | " + " | ".join(cells) + " |")
        L.append("")
        L.append(f"{typ}: speed-up of the lsc kernel over each peer (peer time / kernel time; "
                 "for `expr`, kernel time / expr time is its inverse)")
        L.append("")
        L.append("| peer | " + " | ".join(f"2^{s}" for s in sizes) + " |")
        L.append("| --- | " + " | ".join("---:" for _ in sizes) + " |")
        for case, _, _, _ in CASES:
            if case not in PEERS_VS_KERNEL:
                continue
            cells = []
            for s in sizes:
                r, k = rows.get((typ, case, s)), rows.get((typ, "kernel", s))
                cells.append(f"{r['ns'] / k['ns']:.2f}×" if r and k else "—")
            if all(c == "—" for c in cells):
                continue
            L.append(f"| `{case}` | " + " | ".join(cells) + " |")
        L.append("")

    notes_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES.md")
    if os.path.exists(notes_path):
        with open(notes_path) as f:
            L.append(f.read().rstrip())
        L.append("")

    with open(args.out, "w") as f:
        f.write("\n".join(L) + "\n")
    print(f"report: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
