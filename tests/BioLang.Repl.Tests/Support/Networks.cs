namespace BioLang.Repl.Tests.Support;

/// <summary>Scripts the REPL, checkpoint and embedding tests share.</summary>
internal static class Networks
{
    /// <summary>A leaky neuron driven above threshold (no population), for tests that declare their own.</summary>
    public const string Leaky = """
        neuron Leaky =
            parameters
                tau = 10<ms>; v_rest = -65<mV>; v_th = -50<mV>
            state
                v = -65<mV>
                drive = 20<mV>
            equations
                dv/dt = (v_rest - v + drive) / tau
            spike when v > v_th
            reset
                v <- v_rest

        """;

    /// <summary>
    /// Everything a checkpoint must carry: per-neuron random initial state, refractoriness, two
    /// kinds of Poisson input (a constant rate drawn spike by spike, a time-varying one drawn every
    /// step), pair STDP with event-driven traces, per-synapse delays (spikes in flight at any
    /// moment), and a monitor of every kind. About 40 Hz in P.
    /// </summary>
    public const string Plastic = """
        open Plasticity

        neuron Lif =
            parameters
                tau = 10<ms>; v_rest = -65<mV>; v_th = -50<mV>; tau_syn = 5<ms>
            state
                v = uniform (-65<mV>) (-50<mV>)
                I = 0<mV>
            equations
                dv/dt = (v_rest - v + I) / tau  (unless refractory)
                dI/dt = -I / tau_syn
            spike when v > v_th
            reset
                v <- v_rest
            refractory 2<ms>

        synapse Exc =
            parameters scale = 1
            state w = uniform 1<mV> 3<mV>
            on pre
                post.I += w * scale

        let inp = poisson 200 15<Hz>
        let wave = poisson 20 (fun t i -> 20<Hz> * (1 + sin (2 * pi * 5<Hz> * t)))
        let P = population 100 Lif
        connect inp -> P with Exc + StdpAdditive (wmax = 4<mV>) probability 0.5 delay (uniform 0.5<ms> 4<ms>)
        connect wave -> P with Exc fixed_indegree 2
        connect P -> P with Exc probability 0.05 delay (uniform 1<ms> 5<ms>)
        monitor spikes P
        monitor spikes inp
        monitor P.v [0 .. 4] every 1<ms>
        monitor rate P every 5<ms>
        monitor weights inp -> P every 50<ms>
        """;

    /// <summary>An edit of <see cref="Plastic"/>'s synapse model: every synaptic kick 1.5 times as strong.</summary>
    public const string StrongerSynapses = """
        synapse Exc =
            parameters scale = 1.5
            state w = uniform 1<mV> 3<mV>
            on pre
                post.I += w * scale
        """;
}
