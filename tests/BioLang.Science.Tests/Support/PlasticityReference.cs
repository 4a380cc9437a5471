namespace BioLang.Science.Tests.Support;

/// <summary>The parameters of a triplet rule (Pfister &amp; Gerstner 2006, Table 4 names), amplitudes as fractions of wmax.</summary>
internal sealed record TripletParameters(
    double TauPlus, double TauMinus, double TauX, double TauY,
    double A2p, double A3p, double A2m, double A3m, double Wmax);

/// <summary>
/// Plasticity rules computed from their definitions, spike by spike, independently of the
/// simulator: the truth the simulated changes are checked against.
/// </summary>
internal static class PlasticityReference
{
    /// <summary>
    /// Triplet STDP (Pfister &amp; Gerstner 2006, J. Neurosci. 26:9673, eqs. 3-4) on given spike
    /// trains, the traces written as what they stand for rather than integrated. All-to-all: a
    /// trace is the sum of e^(-(t - t_f)/tau) over every earlier spike of its side. Nearest: only
    /// the latest earlier spike counts (the trace saturates at 1). "Earlier" excludes the spike
    /// being processed, so r2 and o2 are read before their own increment. A presynaptic and a
    /// postsynaptic spike in the same step are taken pre first, as the simulator's schedule is.
    /// </summary>
    public static double Triplet(double[] pre, double[] post, TripletParameters p, double w0, bool nearest)
    {
        var events = pre.Select(t => (Time: t, IsPre: true))
            .Concat(post.Select(t => (Time: t, IsPre: false)))
            .OrderBy(e => e.Time).ThenBy(e => e.IsPre ? 0 : 1)
            .ToArray();
        var w = w0;
        for (var k = 0; k < events.Length; k++)
        {
            var (t, isPre) = events[k];
            var earlierPre = events.Take(k).Where(e => e.IsPre).Select(e => e.Time).ToArray();
            var earlierPost = events.Take(k).Where(e => !e.IsPre).Select(e => e.Time).ToArray();
            if (isPre)
            {
                var o1 = Trace(earlierPost, t, p.TauMinus, nearest);
                var r2 = Trace(earlierPre, t, p.TauX, nearest);
                w = Math.Clamp(w - o1 * (p.A2m + p.A3m * r2) * p.Wmax, 0, p.Wmax);
            }
            else
            {
                var r1 = Trace(earlierPre, t, p.TauPlus, nearest);
                var o2 = Trace(earlierPost, t, p.TauY, nearest);
                w = Math.Clamp(w + r1 * (p.A2p + p.A3p * o2) * p.Wmax, 0, p.Wmax);
            }
        }
        return w;
    }

    /// <summary>Σ e^(-(t - t_f)/tau) over the spikes t_f (all-to-all), or the latest term alone (nearest).</summary>
    private static double Trace(double[] spikes, double t, double tau, bool nearest)
    {
        if (spikes.Length == 0)
            return 0;
        return nearest ? Math.Exp(-(t - spikes.Max()) / tau) : spikes.Sum(s => Math.Exp(-(t - s) / tau));
    }

    /// <summary>
    /// The released fraction u·x at each spike of a train under the Tsodyks-Markram model
    /// (Tsodyks, Pawelzik &amp; Markram 1998): between spikes u decays to 0 with tau_f and x
    /// recovers to 1 with tau_d; at a spike u jumps by U·(1 - u), u·x is released and x loses it.
    /// </summary>
    public static double[] TsodyksMarkram(double[] spikes, double u0, double tauD, double tauF)
    {
        var released = new double[spikes.Length];
        double u = 0, x = 1;
        for (var k = 0; k < spikes.Length; k++)
        {
            if (k > 0)
            {
                var gap = spikes[k] - spikes[k - 1];
                u *= Math.Exp(-gap / tauF);
                x = 1 - (1 - x) * Math.Exp(-gap / tauD);
            }
            u += u0 * (1 - u);
            released[k] = u * x;
            x -= u * x;
        }
        return released;
    }

    /// <summary>The steady state of <see cref="TsodyksMarkram"/> for a regular train of period T: u*·x*, in closed form.</summary>
    public static double TsodyksMarkramSteadyState(double period, double u0, double tauD, double tauF)
    {
        var u = u0 / (1 - (1 - u0) * Math.Exp(-period / tauF));
        var x = (1 - Math.Exp(-period / tauD)) / (1 - (1 - u) * Math.Exp(-period / tauD));
        return u * x;
    }
}
