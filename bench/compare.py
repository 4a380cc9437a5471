#!/usr/bin/env python3
"""Runs BioLang and Brian2 side by side on the same workloads and prints the ratios.

Each workload runs Brian2 (../shared/peers/brian2/bench.py, C++ standalone, one and two OpenMP
threads) and BioLang (bench/workloads/*.bnn, one and two threads) in alternation, rep after rep,
in one session, so both see the same machine state. Each side is reported at its best thread
count. A rep uses seed 12345 + rep on both sides; the two simulators draw different random
networks, so rates are compared as means over reps and a workload whose rates differ by more
than 10% is reported as WRONG, not fast.

    bench/compare.py [--reps 3] [--only coba-4000,stdp] [--quick] [--write bench/RESULTS.md]

Times:
  loop_s    the simulation loop alone (Brian: device._last_run_time; BioLang: timing.run_s)
  e2e_s     wall time of the whole process, start to results written (Brian: python + codegen +
            C++ compile + run; BioLang: process start + parse + compile + build + run + write)
  compile_s Brian: code generation + C++ build; BioLang: kernel generation (timing.compile_s)
Memory: peak resident set size of the process (ru_maxrss), and for BioLang the bytes its
projections hold per synapse (projections.*.bytes / synapses from summary.json).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEER = os.path.normpath(os.path.join(ROOT, "..", "shared", "peers", "brian2"))
PY = "/usr/bin/python3"
BIOLANG = os.path.join(ROOT, "Repl", "bin", "Release", "net10.0", "biolang")
BASE_SEED = 12345

# name: (brian workload, n, bio seconds, biolang script, constants)
WORKLOADS = {
    "coba-1000": ("coba", 1000, 1.0, "coba.bnn", {"N": "1000"}),
    "coba-4000": ("coba", 4000, 1.0, "coba.bnn", {"N": "4000"}),
    "coba-4000-10s": ("coba", 4000, 10.0, "coba.bnn", {"N": "4000"}),
    "coba-16000": ("coba", 16000, 1.0, "coba.bnn", {"N": "16000"}),
    "coba-64000": ("coba", 64000, 1.0, "coba.bnn", {"N": "64000"}),
    "cuba-4000": ("cuba", 4000, 1.0, "cuba.bnn", {"N": "4000"}),
    "stdp": ("stdp", 1000, 100.0, "stdp.bnn", {"N": "1000"}),
    "dastdp": ("dastdp", 1000, 10.0, "dastdp.bnn", {"N": "1000"}),
    "coba-stdp-4000": ("coba_stdp", 4000, 1.0, "coba_stdp.bnn", {"N": "4000"}),
}
# Workloads bench.py lacks are in bench/brian2_extra.py, with the same output format.
EXTRA = {"coba_stdp"}
QUICK = ["coba-4000", "cuba-4000", "stdp", "dastdp"]


def run(cmd, timeout=1800, env=None):
    """Runs a process; returns (stdout, wall seconds, peak RSS in MB, exit code).

    The child is reaped with wait4 so its own peak resident set size is known (RUSAGE_CHILDREN
    would be the maximum over every child so far)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out, err = [], []
    readers = [threading.Thread(target=lambda: out.append(proc.stdout.read())),
               threading.Thread(target=lambda: err.append(proc.stderr.read()))]
    for r in readers:
        r.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    wall = time.perf_counter() - start
    for r in readers:
        r.join()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        sys.stderr.write("".join(err)[-2000:])
    return "".join(out), wall, usage.ru_maxrss / 1024.0, code


def brian(workload, n, t, seed, threads):
    script = os.path.join(HERE, "brian2_extra.py") if workload in EXTRA else os.path.join(PEER, "bench.py")
    cmd = [PY, script, workload, "--target", "cpp", "--n", str(n), "--t", str(t),
           "--reps", "1", "--seed", str(seed)]
    if threads > 1:
        cmd += ["--threads", str(threads)]
    env = dict(os.environ, OMP_NUM_THREADS=str(max(1, threads)))
    out, wall, rss, code = run(cmd, env=env)
    line = next((l for l in out.splitlines() if l.startswith("{")), None)
    if code != 0 or line is None:
        return None
    d = json.loads(line)
    return dict(loop_s=d["wall_run_s"], e2e_s=wall, compile_s=d["compile_s"], rate_hz=d["mean_rate_hz"],
                spikes=d["total_spikes"], synapses=d["n_synapses"], rss_mb=rss, threads=max(1, threads),
                weights=d.get("weights"))


def biolang(script, constants, t, seed, threads):
    outdir = tempfile.mkdtemp(prefix="biolang_bench_")
    cmd = [BIOLANG, "run", os.path.join(HERE, "workloads", script), "--out", outdir, "--quiet", "--no-plots",
           "--seed", str(seed), "--threads", str(threads), "--duration", f"{t}s"]
    for k, v in constants.items():
        cmd += ["--set", f"{k}={v}"]
    out, wall, rss, code = run(cmd)
    try:
        if code != 0:
            return None
        with open(os.path.join(outdir, "summary.json")) as f:
            d = json.load(f)
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    pops = d["populations"]
    # The rate of the simulated neurons, as bench.py counts them: inputs (Poisson) excluded.
    counted = {k: v for k, v in pops.items() if k not in ("input", "reward")}
    neurons = sum(v["size"] for v in counted.values())
    spikes = sum(v["spikes"] for v in counted.values())
    projections = d["projections"].values()
    synapses = sum(p["synapses"] for p in projections if p["synapses"] > 0)
    bytes_ = sum(p["synapse_bytes"] for p in projections)
    neuron_bytes = sum(v.get("bytes", 0) for v in counted.values())
    plastic = [p for p in projections if "w" in p]
    plastic_bytes = sum(p["synapse_bytes"] for p in plastic) / max(1, sum(p["synapses"] for p in plastic)) if plastic else None
    return dict(loop_s=d["timing"]["run_s"], e2e_s=wall, compile_s=d["timing"]["compile_s"],
                rate_hz=spikes / (neurons * d["bio_time_s"]), spikes=spikes, synapses=synapses,
                bytes_per_synapse=bytes_ / synapses if synapses else 0, plastic_bytes_per_synapse=plastic_bytes,
                bytes_per_neuron=neuron_bytes / neurons if neurons else 0, rss_mb=rss, threads=threads,
                weights=plastic[0]["w"] if plastic else None)


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs, {cpu}, {platform.system()} {platform.release()}"


def best(results):
    """Median over reps for each thread count, then the faster thread count."""
    by_threads = {}
    for r in results:
        by_threads.setdefault(r["threads"], []).append(r)
    summary = []
    for threads, rs in by_threads.items():
        summary.append(dict(threads=threads,
                            loop_s=statistics.median(r["loop_s"] for r in rs),
                            e2e_s=statistics.median(r["e2e_s"] for r in rs),
                            compile_s=statistics.median(r["compile_s"] for r in rs),
                            rate_hz=statistics.mean(r["rate_hz"] for r in rs),
                            spikes=statistics.mean(r["spikes"] for r in rs),
                            rss_mb=max(r["rss_mb"] for r in rs),
                            bytes_per_synapse=rs[0].get("bytes_per_synapse"),
                            plastic_bytes_per_synapse=rs[0].get("plastic_bytes_per_synapse"),
                            bytes_per_neuron=rs[0].get("bytes_per_neuron"),
                            synapses=rs[0]["synapses"],
                            weights=rs[-1].get("weights")))
    return min(summary, key=lambda s: s["loop_s"]) if summary else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default=None, help="comma-separated workload names: " + ", ".join(WORKLOADS))
    ap.add_argument("--quick", action="store_true", help="only " + ", ".join(QUICK))
    ap.add_argument("--threads", default="1,2", help="thread counts to try on both sides")
    ap.add_argument("--write", default=None, help="write the table (markdown) to this file")
    ap.add_argument("--jsonl", default=None, help="append every single run as a JSON line to this file")
    args = ap.parse_args()

    names = args.only.split(",") if args.only else (QUICK if args.quick else list(WORKLOADS))
    threads = [int(t) for t in args.threads.split(",")]
    if subprocess.run([PY, "-c", "import brian2"], capture_output=True).returncode != 0:
        sys.exit("Brian2 is not installed for /usr/bin/python3; run ../shared/peers/brian2/run_all.sh once "
                 "(or: apt-get install python3-brian cython3 python3-scipy)")
    build = subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "Repl")], capture_output=True, text=True)
    if build.returncode != 0:
        sys.exit(build.stdout[-3000:])

    command = " ".join(["bench/compare.py"] + sys.argv[1:])
    rows = []
    for name in names:
        workload, n, t, script, constants = WORKLOADS[name]
        ours, theirs = [], []
        for rep in range(args.reps):
            seed = BASE_SEED + rep
            for th in threads:
                b = brian(workload, n, t, seed, th if th > 1 else 0)
                if b:
                    theirs.append(b)
                o = biolang(script, constants, t, seed, th)
                if o:
                    ours.append(o)
                for side, r in (("brian2", b), ("biolang", o)):
                    if args.jsonl and r:
                        with open(args.jsonl, "a") as f:
                            f.write(json.dumps(dict(workload=name, side=side, rep=rep, seed=seed, **r)) + "\n")
            print(f"{name} rep {rep + 1}/{args.reps} done", file=sys.stderr, flush=True)
        rows.append((name, best(ours), best(theirs)))

    lines = [f"Measured {datetime.date.today().isoformat()} on {machine()}.",
             f"Command: `{command}` (Brian2 {brian_version()} C++ standalone; medians of {args.reps} reps per thread count, best thread count shown).",
             "",
             "| workload | BioLang loop s | Brian2 loop s | loop ratio | BioLang e2e s | Brian2 e2e s | e2e ratio | BioLang compile s | Brian2 compile s | BioLang rate Hz | Brian2 rate Hz | rates | threads (BioLang/Brian2) | bytes/synapse (all / plastic) | bytes/neuron | peak RSS MB (BioLang/Brian2) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, o, b in rows:
        if o is None or b is None:
            lines.append(f"| {name} | {'failed' if o is None else o['loop_s']} | {'failed' if b is None else b['loop_s']} | | | | | | | | | | | | | |")
            continue
        agree = abs(o["rate_hz"] - b["rate_hz"]) <= 0.10 * b["rate_hz"]
        lines.append(
            f"| {name} | {o['loop_s']:.4g} | {b['loop_s']:.4g} | **{b['loop_s'] / o['loop_s']:.2f}x** | "
            f"{o['e2e_s']:.3g} | {b['e2e_s']:.3g} | **{b['e2e_s'] / o['e2e_s']:.1f}x** | "
            f"{o['compile_s']:.3g} | {b['compile_s']:.3g} | {o['rate_hz']:.4g} | {b['rate_hz']:.4g} | "
            f"{'agree' if agree else 'WRONG'} | {o['threads']}/{b['threads']} | {o['bytes_per_synapse']:.1f}"
            f"{'' if o.get('plastic_bytes_per_synapse') is None else ' / %.1f' % o['plastic_bytes_per_synapse']} | "
            f"{o.get('bytes_per_neuron') or 0:.0f} | {o['rss_mb']:.0f}/{b['rss_mb']:.0f} |")
    for name, o, b in rows:
        if o and b and o.get("weights") and b.get("weights"):
            ow, bw = o["weights"], b["weights"]
            lines.append("")
            lines.append(f"{name} final weights: BioLang mean {ow['mean']:.4g} (std {ow['std']:.4g}); "
                         f"Brian2 mean {bw['mean']:.4g} (std {bw['std']:.4g}), Brian2 histogram {bw.get('hist10')}")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        with open(args.write, "w") as f:
            f.write(text)


def brian_version():
    r = subprocess.run([PY, "-c", "import brian2; print(brian2.__version__)"], capture_output=True, text=True)
    return r.stdout.strip() or "?"


if __name__ == "__main__":
    main()
