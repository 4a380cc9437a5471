using BenchmarkDotNet.Attributes;
using BioLang.Language.Compilation;
using BioLang.Language.IR;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Engine;

namespace BioLang.Bench;

/// <summary>
/// The kernels that dominate the workloads of bench/compare.py, one step each: the COBA neuron
/// update (scalar and SIMD), spike delivery through a CSR projection, an STDP synapse's event
/// handlers with lazily decayed traces, and a constant-rate Poisson group.
/// Per-neuron and per-event costs are the reported mean divided by the element counts printed here.
/// </summary>
[MemoryDiagnoser]
public class Kernels
{
    private const string Coba = """
        neuron Coba =
            parameters
                tau_m = 20<ms>; tau_e = 5<ms>; tau_i = 10<ms>; E_l = -60<mV>; V_t = -50<mV>; V_r = -60<mV>; E_e = 0<mV>; E_i = -80<mV>
            state
                v = E_l + (randn () * 5 - 5) * 1<mV>
                ge = randn () * 1.5 + 4
                gi = randn () * 12 + 20
            equations
                dv/dt = (ge * (E_e - v) + gi * (E_i - v) + (E_l - v)) / tau_m  (unless refractory)
                dge/dt = -ge / tau_e
                dgi/dt = -gi / tau_i
            spike when v > V_t
            reset
                v <- V_r
            refractory 5<ms>
            method euler
        synapse Excitatory =
            parameters w = 0.6
            on pre
                post.ge += w
        plasticity Stdp =
            parameters tau_pre = 20<ms>; tau_post = 20<ms>; A_pre = 0.01; A_post = -0.0105; wmax = 1
            state
                w = 0.5
                apre = 0
                apost = 0
            equations (event-driven)
                dapre/dt = -apre / tau_pre
                dapost/dt = -apost / tau_post
            on pre
                apre += A_pre
                w <- clip (w + apost) 0 wmax
            on post
                apost += A_post
                w <- clip (w + apre) 0 wmax
        synapse Driver =
            on pre
                post.ge += 0.01
        dt = 0.1<ms>
        let P = population 4000 Coba
        let noise = poisson 1000 15<Hz>
        connect P -> P with Excitatory probability 0.02
        connect noise -> P[0 .. 999] with Driver + Stdp one_to_one
        """;

    private Network _network = null!;
    private NeuronGroupRuntime _neurons = null!;
    private ProjectionRuntime _static = null!;
    private ProjectionRuntime _plastic = null!;
    private GroupRuntime _poisson = null!;
    private WorkerPool _pool = null!;
    private long _step;

    [Params(true, false)]
    public bool Simd { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = BioCompiler.CompileText(Coba).Model!;
        _network = Network.Build(model, new NetworkOptions { Backend = new ExpressionTreeBackend { Vectorize = Simd } });
        _neurons = (NeuronGroupRuntime)_network.Group("P");
        _poisson = _network.Group("noise");
        _static = _network.Projections[0];
        _plastic = _network.Projections[1];
        _pool = new WorkerPool(1);
        // Warm the network into its irregular regime, so spikes and events flow at the usual rates.
        _network.Run(2000);
        _step = _network.Step;
        Console.WriteLine($"neurons {_neurons.Size}, static synapses {_static.SynapseCount}, plastic synapses {_plastic.SynapseCount}, Poisson sources {_poisson.Size}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _network.Dispose();
    }

    /// <summary>Integrates and thresholds 4000 COBA neurons (Euler, refractoriness).</summary>
    [Benchmark]
    public void NeuronUpdate() => _neurons.Update(_step++, _pool);

    /// <summary>Delivers one step's spikes of 4000 neurons to their 2% targets.</summary>
    [Benchmark]
    public void SpikeDelivery() => _static.Propagate(_step++);

    /// <summary>STDP on pre and post events with event-driven traces (1000 synapses, Poisson at 15 Hz).</summary>
    [Benchmark]
    public void PlasticEvents() => _plastic.Propagate(_step++);

    /// <summary>One step of 1000 constant-rate Poisson sources (next-spike sampling).</summary>
    [Benchmark]
    public void PoissonInput() => _poisson.Update(_step++, _pool);
}
