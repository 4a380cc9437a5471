#!/usr/bin/python3
"""Brian2 workloads the peer's bench.py does not have, in its style and output format (one JSON
line per repetition, the same timing fields): coba_stdp, COBA with additive pair STDP on the
excitatory synapses (bench/workloads/coba_stdp.bnn is the same model in BioLang).

  /usr/bin/python3 bench/brian2_extra.py coba_stdp [--n 4000] [--t 1] [--reps 1] [--seed 12345] [--threads 0]
"""
import argparse
import json
import shutil
import tempfile
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("workload", choices=["coba_stdp"])
ap.add_argument("--target", default="cpp", choices=["cpp"])
ap.add_argument("--n", type=int, default=4000)
ap.add_argument("--t", type=float, default=1.0)
ap.add_argument("--reps", type=int, default=1)
ap.add_argument("--seed", type=int, default=12345)
ap.add_argument("--threads", type=int, default=0)
args = ap.parse_args()

import brian2 as b2  # noqa: E402
from brian2 import ms, mV  # noqa: E402

b2.prefs.logging.console_log_level = "WARNING"
builddir = tempfile.mkdtemp(prefix="b2_coba_stdp_", dir="/tmp")
b2.set_device("cpp_standalone", directory=builddir, build_on_run=False)
if args.threads:
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads
b2.defaultclock.dt = 0.1 * ms
b2.seed(args.seed)

N = args.n
Ne = int(0.8 * N)
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
El, Vt, Vr, Ee, Ei = -60 * mV, -50 * mV, -60 * mV, 0 * mV, -80 * mV
eqs = """
dv/dt = (ge*(Ee-v) + gi*(Ei-v) + (El-v))/taum : volt (unless refractory)
dge/dt = -ge/taue : 1
dgi/dt = -gi/taui : 1
"""
P = b2.NeuronGroup(N, eqs, threshold="v>Vt", reset="v=Vr", refractory=5 * ms, method="euler",
                   namespace=dict(taum=taum, taue=taue, taui=taui, El=El, Vt=Vt, Vr=Vr, Ee=Ee, Ei=Ei), name="P")
P.v = "El + (randn()*5 - 5)*mV"
P.ge = "randn()*1.5 + 4"
P.gi = "randn()*12 + 20"
wmax = 1.2
Ce = b2.Synapses(P[:Ne], P, """w : 1
    dApre/dt = -Apre/taupre : 1 (event-driven)
    dApost/dt = -Apost/taupost : 1 (event-driven)""",
                 on_pre="""ge += w
    Apre += dApre
    w = clip(w + Apost, 0, wmax)""",
                 on_post="""Apost += dApost
    w = clip(w + Apre, 0, wmax)""",
                 namespace=dict(taupre=20 * ms, taupost=20 * ms, wmax=wmax, dApre=0.01 * wmax, dApost=-0.01 * wmax * 1.05), name="Ce")
Ci = b2.Synapses(P[Ne:], P, on_pre="gi += 6.7", name="Ci")
Ce.connect(p=80.0 / N)
Ci.connect(p=80.0 / N)
Ce.w = 0.6
M = b2.SpikeMonitor(P, record=False, name="M")
net = b2.Network([P, Ce, Ci, M])
net.run(args.t * b2.second)
t0 = time.perf_counter()
b2.device.build(directory=builddir, compile=True, run=False, with_output=False)
compile_s = time.perf_counter() - t0
for rep in range(args.reps):
    t0 = time.perf_counter()
    b2.device.run(builddir, with_output=False, run_args=[])
    binary_s = time.perf_counter() - t0
    run_s = b2.device._last_run_time
    w = np.asarray(Ce.w[:], dtype=float)
    spikes = int(M.num_spikes)
    print(json.dumps(dict(workload="coba_stdp", target="cpp", rep=rep, compile_s=round(compile_s, 4),
                          setup_s=round(binary_s - run_s, 4), bio_time_s=args.t, dt_ms=0.1, wall_run_s=round(run_s, 4),
                          n_neurons=N, n_synapses=int(len(Ce.w[:]) + len(Ci.i[:])), total_spikes=spikes,
                          mean_rate_hz=round(spikes / (N * args.t), 4), binary_wall_s=round(binary_s, 4),
                          weights=dict(wmax=wmax, mean=float(w.mean()), std=float(w.std()),
                                       hist10=np.histogram(w, bins=10, range=(0, wmax))[0].tolist()),
                          brian2=b2.__version__, n_threads=max(1, args.threads))), flush=True)
shutil.rmtree(builddir, ignore_errors=True)
