using BioLang.Language.IR;

namespace BioLang.Runtime.CodeGen;

/// <summary>
/// The reference backend: walks the IR for every element. Slow, obviously right, and the oracle
/// the compiled backends must match bit for bit (same operations in the same order).
/// </summary>
internal sealed class Interpreter : IBackend
{
    public string Name => "interpreter";

    /// <summary>The values one element's statements see.</summary>
    private sealed class Frame
    {
        public required double[] Own;
        public double[] Locals = [];
        public Func<VarRef, double>? ReadOther;
        public Action<VarRef, double>? WriteOther;
        public int Element;
        public double I;
        public double J;
        public long Step;
        public double T;
        public double Dt;
        public bool NotRefractory = true;
        public Func<double>? SinceLastUpdate;
        public double[] Host = [];
        public Action? MarkUpdated;
        public ulong Seed;
        public uint Stream;
    }

    private static double Eval(IrExpr e, Frame f) => e switch
    {
        IrConst c => c.Value,
        IrParam p => p.Value,
        IrVar { Ref.Scope: VarScope.Local } v => f.Locals[v.Ref.Index],
        IrVar { Ref.Scope: VarScope.Neuron } v when f.ReadOther is null => f.Own[v.Ref.Index],
        IrVar v => f.ReadOther!(v.Ref),
        IrSpecial s => s.Kind switch
        {
            Special.Time => f.T,
            Special.Dt => f.Dt,
            Special.I => f.I,
            _ => f.J,
        },
        IrRandom r => KernelRandom.Draw(r.Kind, f.Seed, f.Stream, f.Element, f.Step, r.Site),
        IrSinceLastUpdate => f.SinceLastUpdate!(),
        IrDecay d => Math.Exp(d.Rate * f.SinceLastUpdate!()),
        IrHost h => f.Host[h.Index],
        IrUnary { Op: UnaryOp.Negate } u => -Eval(u.Operand, f),
        IrBinary b when b.Op < BinaryOp.Less => IrMath.Arithmetic(b.Op, Eval(b.Left, f), Eval(b.Right, f)),
        IrCall c => Call(c, f),
        IrCond c => Test(c.Condition, f) ? Eval(c.Then, f) : Eval(c.Else, f),
        _ => throw new InvalidOperationException($"cannot evaluate {e.GetType().Name} as a number"),
    };

    private static double Call(IrCall c, Frame f)
    {
        Span<double> args = stackalloc double[c.Arguments.Length];
        for (var k = 0; k < args.Length; k++)
            args[k] = Eval(c.Arguments[k], f);
        return IrMath.Call(c.Function, args);
    }

    private static bool Test(IrExpr e, Frame f) => e switch
    {
        IrBool b => b.Value,
        IrNotRefractory => f.NotRefractory,
        IrUnary { Op: UnaryOp.Not } u => !Test(u.Operand, f),
        IrBinary { Op: BinaryOp.And } b => Test(b.Left, f) && Test(b.Right, f),
        IrBinary { Op: BinaryOp.Or } b => Test(b.Left, f) || Test(b.Right, f),
        IrBinary b => IrMath.Compare(b.Op, Eval(b.Left, f), Eval(b.Right, f)),
        IrCond c => Test(c.Condition, f) ? Test(c.Then, f) : Test(c.Else, f),
        _ => throw new InvalidOperationException($"cannot evaluate {e.GetType().Name} as a condition"),
    };

    private static void Run(IEnumerable<IrStmt> statements, Frame f)
    {
        foreach (var s in statements)
        {
            switch (s)
            {
                case IrAssign a:
                    var value = Eval(a.Value, f);
                    switch (a.Target.Scope)
                    {
                        case VarScope.Local:
                            f.Locals[a.Target.Index] = value;
                            break;
                        case VarScope.Neuron when f.WriteOther is null:
                            f.Own[a.Target.Index] = value;
                            break;
                        default:
                            f.WriteOther!(a.Target, value);
                            break;
                    }
                    break;
                case IrIf i:
                    Run(Test(i.Condition, f) ? i.Then : i.Else, f);
                    break;
                case IrMarkUpdated:
                    f.MarkUpdated!();
                    break;
            }
        }
    }

    private static HashSet<int> Written(IEnumerable<IrStmt> body)
    {
        var writes = new HashSet<VarRef>();
        IrRewrite.Writes(body, writes);
        return writes.Where(v => v.Scope == VarScope.Neuron).Select(v => v.Index).ToHashSet();
    }

    public NeuronUpdateKernel NeuronUpdate(NeuronUpdateSpec spec, double dt)
    {
        var all = spec.Body.AddRange(spec.Periodic.SelectMany(p => p.Statements));
        var written = Written(all).Order().ToArray();
        var locals = IrRewrite.LocalCount(all);
        return (g, start, end, step, worker) =>
        {
            var f = new Frame { Own = new double[g.Vars.Length], Locals = new double[locals], Step = step, T = step * dt, Dt = dt, Seed = g.Seed, Stream = spec.Stream, Host = g.Host };
            var n = start;
            var acc = 0.0;
            for (var i = start; i < end; i++)
            {
                for (var k = 0; k < g.Vars.Length; k++)
                    f.Own[k] = g.Vars[k][i];
                f.Element = i;
                f.I = i;
                if (spec.RefractorySteps is not null)
                    f.NotRefractory = (double)(step - g.LastSpike[i]) >= Eval(spec.RefractorySteps, f);
                foreach (var (period, statements) in spec.Periodic)
                    if (step % period == 0)
                        Run(statements, f);
                Run(spec.Body, f);
                foreach (var k in written)
                {
                    g.Vars[k][i] = f.Own[k];
                    acc += f.Own[k];
                }
                if (spec.Threshold is not null && (spec.RefractorySteps is null || f.NotRefractory) && Test(spec.Threshold, f))
                {
                    g.Spikes[n++] = i;
                    g.LastSpike[i] = step;
                }
            }
            g.Sentinel[worker] = acc;
            return n - start;
        };
    }

    public NeuronStatementsKernel NeuronStatements(StatementsSpec spec, double dt)
    {
        var written = Written(spec.Body).Order().ToArray();
        var locals = IrRewrite.LocalCount(spec.Body);
        return (g, indices, start, count, step) =>
        {
            var f = new Frame { Own = new double[g.Vars.Length], Locals = new double[locals], Step = step, T = step * dt, Dt = dt, Seed = g.Seed, Stream = spec.Stream, Host = g.Host };
            for (var k = 0; k < count; k++)
            {
                var i = indices is null ? start + k : indices[start + k];
                for (var x = 0; x < g.Vars.Length; x++)
                    f.Own[x] = g.Vars[x][i];
                f.Element = i;
                f.I = i;
                Run(spec.Body, f);
                foreach (var x in written)
                {
                    g.Vars[x][i] = f.Own[x];
                    if (!double.IsFinite(f.Own[x]))
                        g.NotFinite = true;
                }
            }
        };
    }

    private static Frame SynapseFrame(SynapseArrays p, StatementsSpec spec, long step, double dt, Func<int> synapse, Func<int> pre, Func<int> post)
    {
        var f = new Frame { Own = [], Locals = new double[IrRewrite.LocalCount(spec.Body)], Step = step, T = step * dt, Dt = dt, Seed = p.Seed, Stream = spec.Stream };
        f.SinceLastUpdate = () => (double)(step - (long)p.LastStep(synapse())) * dt;
        f.MarkUpdated = () => p.SetLastStep(synapse(), (int)step);
        f.ReadOther = v => v.Scope switch
        {
            VarScope.Synapse => p.Get(v.Index, synapse()),
            VarScope.Pre => p.PreVars[v.Index][pre()],
            _ => p.PostVars[v.Index][post()],
        };
        f.WriteOther = (v, value) =>
        {
            if (!double.IsFinite(p.Single && v.Scope == VarScope.Synapse ? (float)value : value))
                p.NotFinite = true;
            switch (v.Scope)
            {
                case VarScope.Synapse: p.Set(v.Index, synapse(), value); break;
                case VarScope.Pre: p.PreVars[v.Index][pre()] = value; break;
                default: p.PostVars[v.Index][post()] = value; break;
            }
        };
        return f;
    }

    public SynapseRowsKernel SynapseRows(StatementsSpec spec, double dt) =>
        (p, rows, count, step) =>
        {
            int s = 0, pre = 0, post = 0;
            var f = SynapseFrame(p, spec, step, dt, () => s, () => pre, () => post);
            for (var k = 0; k < count; k++)
            {
                var row = rows[k];
                pre = row + p.PreStart;
                var end = p.RowStart[row] + p.RowCount[row];
                for (s = p.RowStart[row]; s < end; s++)
                {
                    post = p.Post[s];
                    f.Element = s;
                    f.I = pre - p.PreStart;
                    f.J = post - p.PostStart;
                    Run(spec.Body, f);
                }
            }
        };

    public SynapseColsKernel SynapseCols(StatementsSpec spec, double dt) =>
        (p, cols, count, step) =>
        {
            int s = 0, pre = 0, post = 0;
            var f = SynapseFrame(p, spec, step, dt, () => s, () => pre, () => post);
            for (var k = 0; k < count; k++)
            {
                var col = cols[k];
                post = col + p.PostStart;
                for (var idx = p.ColStart![col]; idx < p.ColStart[col + 1]; idx++)
                {
                    s = p.ColSynapses![idx];
                    pre = p.Pre is null ? -1 : p.Pre[s];
                    f.Element = s;
                    f.I = pre - p.PreStart;
                    f.J = post - p.PostStart;
                    Run(spec.Body, f);
                }
            }
        };

    public PairFunction Pair(IrExpr expr, ulong seed, uint stream, string name)
    {
        var value = expr.Type == IrType.Bool ? new IrCond(expr, new IrConst(1, expr.Dimension), new IrConst(0, expr.Dimension), expr.Dimension) : expr;
        return (i, j) =>
        {
            var f = new Frame { Own = [], Element = i, Step = j, I = i, J = j, Seed = seed, Stream = stream };
            return Eval(value, f);
        };
    }

    /// <summary>The oracle visits synapses row by row only.</summary>
    public SynapseRangeKernel? SynapseRange(StatementsSpec spec, double dt) => null;

    public SynapseListKernel SynapseList(StatementsSpec spec, double dt) =>
        (p, synapses, start, count, step) =>
        {
            int s = 0, pre = 0, post = 0;
            var f = SynapseFrame(p, spec, step, dt, () => s, () => pre, () => post);
            for (var k = 0; k < count; k++)
            {
                s = synapses is null ? start + k : synapses[start + k];
                pre = p.Pre is null ? -1 : p.Pre[s];
                post = p.Post[s];
                f.Element = s;
                f.I = pre - p.PreStart;
                f.J = post - p.PostStart;
                Run(spec.Body, f);
            }
        };
}
