#!/usr/bin/python3
"""Song, Miller & Abbott (2000) in Brian2 2.5.1, the model of /work/shared/peers/brian2/bench.py
build_stdp with a spike monitor: prints one JSON line with the output spikes counted per second and
the final weights in 10 bins of [0, gmax]. The numbers quoted in PlasticityTests.cs came from

  /usr/bin/python3 song2000_brian2.py numpy 12345 100
  for s in $(seq 1 12); do /usr/bin/python3 song2000_brian2.py cpp $s 100; done
  for s in $(seq 101 140); do /usr/bin/python3 song2000_brian2.py numpy $s 1; done

Usage: song2000_brian2.py {numpy,cython,cpp} SEED SECONDS
"""
import sys, json, tempfile
import numpy as np
import brian2 as b2
from brian2 import ms, mV, second, Hz
target, seed, T = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
b2.prefs.logging.console_log_level = "WARNING"
if target == "cpp":
    b2.set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="b2song_", dir="/tmp"))
else:
    b2.prefs.codegen.target = target
b2.defaultclock.dt = 0.1 * ms
b2.seed(seed)
taum, taue = 10 * ms, 5 * ms
taupre = taupost = 20 * ms
Ee, vt, vr, El = 0 * mV, -54 * mV, -60 * mV, -74 * mV
gmax = 0.01
dApre = 0.01 * gmax
dApost = -0.01 * taupre / taupost * 1.05 * gmax
inp = b2.PoissonGroup(1000, rates=15 * Hz)
post = b2.NeuronGroup(1, """dv/dt = (ge*(Ee-v) + El - v)/taum : volt
                            dge/dt = -ge/taue : 1""", threshold="v>vt", reset="v=vr", method="euler")
post.v = vr
S = b2.Synapses(inp, post, """w : 1
                   dApre/dt = -Apre/taupre : 1 (event-driven)
                   dApost/dt = -Apost/taupost : 1 (event-driven)""",
                on_pre="""ge += w
                          Apre += dApre
                          w = clip(w + Apost, 0, gmax)""",
                on_post="""Apost += dApost
                           w = clip(w + Apre, 0, gmax)""")
S.connect()
S.w = "rand()*gmax"
M = b2.SpikeMonitor(post)
b2.run(T * second)
t = np.asarray(M.t / second)
counts = np.histogram(t, bins=int(round(T)), range=(0, T))[0].tolist()
w = np.asarray(S.w[:])
print(json.dumps(dict(target=target, seed=seed, T=T, counts=counts,
                      hist10=np.histogram(w, bins=10, range=(0, gmax))[0].tolist())), flush=True)
