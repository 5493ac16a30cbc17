#!/usr/bin/python3
"""Times PyTorch's CPU log-sigmoid on the sizes of lsc_bench, one thread, for BENCHMARKS.md.

Two rows per dtype and size, on the same distribution as lsc_bench (z ~ N(0, 2^2)):
  torch_logsigmoid      torch.nn.functional.logsigmoid(z), as a trainer calls it (the output
                        tensor is allocated on every call)
  torch_logsigmoid_out  torch._C._nn.log_sigmoid(z, out=y), into a preallocated tensor
                        (only if this build has the out= overload)
Each sample times enough calls to last >= min_time seconds; the median over the samples is
reported (fewer samples at the large sizes), as ns per element. Writes JSON to --out.

Usage: torch_logsigmoid.py --sizes 10,13,16,20,23,26 --out torch.json
"""
import argparse
import json
import platform
import statistics
import sys
import time


def measure(fn, n, min_time, samples):
    fn()  # warm-up: first-touch of the output, lazy init
    calls = 1
    while True:  # calibrate the number of calls per sample
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time or calls >= 1 << 20:
            break
        calls = max(calls * 2, int(calls * min_time / max(dt, 1e-9) * 1.2))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t0) / calls)
    med = statistics.median(times)
    return {
        "n": n,
        "calls_per_sample": calls,
        "samples": samples,
        "median_s": med,
        "min_s": min(times),
        "max_s": max(times),
        "ns_per_elem": med * 1e9 / n,
    }


def cpu_capability(torch):
    """The SIMD level ATen dispatches to, e.g. 'AVX2' (from torch.__config__.show())."""
    try:
        for line in torch.__config__.show().splitlines():
            if "CPU capability usage" in line:
                return line.split(":", 1)[1].strip()
    except Exception:  # noqa: BLE001
        pass
    return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,13,16,20,23,26", help="log2 sizes, comma separated")
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--quick", action="store_true", help="one short sample (smoke run)")
    args = ap.parse_args()

    result = {"available": False, "python": platform.python_version(), "rows": []}
    try:
        import torch
        import torch.nn.functional as F
    except Exception as e:  # noqa: BLE001 - report any import failure in the table
        result["error"] = f"import torch failed: {e}"
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)
        print(f"torch_logsigmoid: {result['error']}", file=sys.stderr)
        return 0

    torch.set_num_threads(1)
    result.update(
        available=True,
        torch_version=torch.__version__,
        num_threads=torch.get_num_threads(),
        cpu_capability=cpu_capability(torch),
    )
    has_out = hasattr(torch._C._nn, "log_sigmoid")
    gen = torch.Generator().manual_seed(20240601)
    for dtype_name, dtype in (("float", torch.float32), ("double", torch.float64)):
        for lg in [int(s) for s in args.sizes.split(",")]:
            n = 1 << lg
            z = torch.randn(n, generator=gen, dtype=dtype) * 2.0
            if args.quick:
                min_time, samples = 0.0, 1
            elif lg <= 16:
                min_time, samples = 0.05, 7
            elif lg <= 20:
                min_time, samples = 0.1, 5
            else:
                min_time, samples = 0.1, 3
            row = measure(lambda: F.logsigmoid(z), n, min_time, samples)
            row.update(type=dtype_name, case="torch_logsigmoid", log2_n=lg)
            result["rows"].append(row)
            if has_out:
                y = torch.empty_like(z)
                row = measure(lambda: torch._C._nn.log_sigmoid(z, out=y), n, min_time, samples)
                row.update(type=dtype_name, case="torch_logsigmoid_out", log2_n=lg)
                result["rows"].append(row)
            print(f"torch_logsigmoid: {dtype_name} 2^{lg} done", file=sys.stderr)
            del z
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
