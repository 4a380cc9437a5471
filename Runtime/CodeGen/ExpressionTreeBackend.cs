using System.Linq.Expressions;
using BioLang.Language.IR;
using Ex = System.Linq.Expressions.Expression;

namespace BioLang.Runtime.CodeGen;

/// <summary>
/// The default backend: each kernel is one System.Linq.Expressions lambda over whole arrays, compiled
/// in milliseconds. Constants (parameters, dt, propagators) are folded into the code.
/// </summary>
internal sealed class ExpressionTreeBackend : IBackend
{
    public string Name => "expression-trees";

    private static readonly System.Reflection.MethodInfo DrawMethod =
        typeof(KernelRandom).GetMethod(nameof(KernelRandom.Draw))!;

    internal static Ex Draw(RandomKind kind, Ex seed, uint stream, Ex element, Ex step, int site) =>
        Ex.Call(DrawMethod, Ex.Constant(kind), seed, Ex.Constant(stream), element, step, Ex.Constant(site));

    // ---- neurons -----------------------------------------------------------------------------

    /// <summary>Own variables live in locals for the duration of one neuron: loaded once, stored once.</summary>
    internal sealed class NeuronEnv(Ex seed, uint stream, ParameterExpression i, Ex step, Ex t, double dt, ParameterExpression? notRef) : EmitEnvironment
    {
        public readonly Dictionary<int, ParameterExpression> Values = [];

        public ParameterExpression Value(int index, string name)
        {
            if (!Values.TryGetValue(index, out var p))
                Values[index] = p = Ex.Variable(typeof(double), "v_" + name);
            return p;
        }

        public override Ex Read(VarRef v) => v.Scope switch
        {
            VarScope.Neuron => Value(v.Index, v.Name),
            VarScope.Local => Local(v),
            _ => throw new InvalidOperationException($"a neuron kernel cannot read {v}"),
        };

        public override Ex Write(VarRef v, Ex value) => Ex.Assign(Read(v), value);

        public override Ex Special(Special kind) => kind switch
        {
            Language.IR.Special.Time => t,
            Language.IR.Special.Dt => Ex.Constant(dt),
            Language.IR.Special.I => Ex.Convert(i, typeof(double)),
            _ => throw new InvalidOperationException("j outside a synapse"),
        };

        public override Ex Random(RandomKind kind, int site) => Draw(kind, seed, stream, i, step, site);

        public override Ex NotRefractory => notRef ?? (Ex)Ex.Constant(true);

        public Ex? HostArray { get; init; }

        public override Ex Host(int index) => Ex.ArrayIndex(HostArray ?? throw new InvalidOperationException("no host values here"), Ex.Constant(index));
    }

    internal static (HashSet<int> Reads, HashSet<int> Writes) NeuronVars(IEnumerable<IrStmt> body, params IrExpr?[] extra)
    {
        var reads = new HashSet<VarRef>();
        var writes = new HashSet<VarRef>();
        IrRewrite.Reads(body, reads);
        IrRewrite.Writes(body, writes);
        foreach (var e in extra)
            if (e is not null)
                IrRewrite.Reads(e, reads);
        return (reads.Where(v => v.Scope == VarScope.Neuron).Select(v => v.Index).ToHashSet(),
                writes.Where(v => v.Scope == VarScope.Neuron).Select(v => v.Index).ToHashSet());
    }

    /// <summary>Vector kernels on by default; the scalar kernel alone is kept for measuring what SIMD brings (<c>BIOLANG_SIMD=0</c>).</summary>
    public bool Vectorize { get; init; } = SimdShape.Preferred is not null;

    /// <summary>The vector shape of the neuron kernels: <see cref="SimdShape.Preferred"/> unless a test asks for another.</summary>
    public SimdShape? Shape { get; init; }

    public NeuronUpdateKernel NeuronUpdate(NeuronUpdateSpec spec, double dt) => NeuronUpdateCompiler.Compile(spec, dt, Vectorize, Shape);

    public NeuronStatementsKernel NeuronStatements(StatementsSpec spec, double dt)
    {
        var g = Ex.Parameter(typeof(NeuronArrays), "g");
        var indices = Ex.Parameter(typeof(int[]), "indices");
        var start = Ex.Parameter(typeof(int), "start");
        var count = Ex.Parameter(typeof(int), "count");
        var step = Ex.Parameter(typeof(long), "step");
        var k = Ex.Variable(typeof(int), "k");
        var i = Ex.Variable(typeof(int), "i");
        var t = Ex.Variable(typeof(double), "t");
        var seed = Ex.Variable(typeof(ulong), "seed");
        var env = new NeuronEnv(seed, spec.Stream, i, step, t, dt, null);
        var (reads, writes) = NeuronVars(spec.Body);
        var used = reads.Union(writes).Order().ToList();
        var arrays = used.ToDictionary(x => x, x => Ex.Variable(typeof(double[]), $"a{x}"));
        var vars = Ex.PropertyOrField(g, nameof(NeuronArrays.Vars));

        var perElement = new List<Ex>
        {
            Ex.Assign(i, Ex.Condition(Ex.Equal(indices, Ex.Constant(null, typeof(int[]))), Ex.Add(start, k), Ex.ArrayIndex(indices, Ex.Add(start, k)))),
        };
        foreach (var x in used)
            perElement.Add(Ex.Assign(env.Value(x, $"{x}"), Ex.ArrayIndex(arrays[x], i)));
        perElement.Add(ExpressionEmitter.Emit(spec.Body, env));
        var acc = Ex.Variable(typeof(double), "acc");
        foreach (var x in writes.Order())
        {
            perElement.Add(Ex.Assign(Ex.ArrayAccess(arrays[x], i), env.Value(x, $"{x}")));
            perElement.Add(Ex.AddAssign(acc, env.Value(x, $"{x}")));
        }
        var loopBody = Ex.Block(env.Locals.Concat(env.Values.Values).ToList(), perElement);

        var setup = new List<Ex>
        {
            Ex.Assign(seed, Ex.PropertyOrField(g, nameof(NeuronArrays.Seed))),
            Ex.Assign(t, Ex.Multiply(Ex.Convert(step, typeof(double)), Ex.Constant(dt))),
        };
        foreach (var (x, array) in arrays)
            setup.Add(Ex.Assign(array, Ex.ArrayIndex(vars, Ex.Constant(x))));
        setup.Add(Ex.Assign(acc, Ex.Constant(0.0)));
        setup.Add(ExpressionEmitter.For(k, Ex.Constant(0), count, loopBody));
        setup.Add(Ex.IfThen(Ex.Not(Ex.Call(typeof(double).GetMethod(nameof(double.IsFinite), [typeof(double)])!, acc)),
            Ex.Assign(Ex.PropertyOrField(g, nameof(NeuronArrays.NotFinite)), Ex.Constant(true))));
        var body = Ex.Block(typeof(void), new[] { k, i, t, seed, acc }.Concat(arrays.Values), setup);
        return Ex.Lambda<NeuronStatementsKernel>(body, spec.Name, [g, indices, start, count, step]).Compile();
    }

    // ---- synapses ---------------------------------------------------------------------------

    /// <summary>Synapse variables are read and written in place: each synapse is visited once, and post neurons are scattered.</summary>
    private sealed class SynapseEnv(
        Ex seed, uint stream, ParameterExpression s, ParameterExpression pre, ParameterExpression post,
        Ex preStart, Ex postStart, Ex step, Ex t, double dt,
        IReadOnlyDictionary<int, ParameterExpression> own, IReadOnlyDictionary<int, ParameterExpression> preArrays, IReadOnlyDictionary<int, ParameterExpression> postArrays,
        ParameterExpression lastUpdate, SynapseEnv.PackedLayout? packed, ParameterExpression acc) : EmitEnvironment
    {
        /// <summary>Single precision: every variable and the last-event step in one record per synapse (<see cref="SynapseArrays.Packed"/>).</summary>
        public sealed record PackedLayout(ParameterExpression Array, ParameterExpression Stride, ParameterExpression LastSlot);

        private Ex Slot(Ex index) => Ex.ArrayAccess(packed!.Array, Ex.Add(Ex.Multiply(s, packed.Stride), index));

        private Ex LastStep => packed is null
            ? Ex.ArrayIndex(lastUpdate, s)
            : Ex.Call(typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToInt32Bits))!, Slot(packed.LastSlot));

        public override Ex SinceLastUpdate =>
            Ex.Multiply(Ex.Convert(Ex.Subtract(step, Ex.Convert(LastStep, typeof(long))), typeof(double)), Ex.Constant(dt));

        public override Ex MarkUpdated() => packed is null
            ? Ex.Assign(Ex.ArrayAccess(lastUpdate, s), Ex.Convert(step, typeof(int)))
            : Ex.Assign(Slot(packed.LastSlot), Ex.Call(typeof(BitConverter).GetMethod(nameof(BitConverter.Int32BitsToSingle))!, Ex.Convert(step, typeof(int))));

        /// <summary>Decay tables of this kernel, by rate: entry k is e^{rate·(k·dt)}, exactly what exp gives for k steps.</summary>
        public readonly Dictionary<double, (ParameterExpression Variable, double[] Table)> Tables = [];

        public const int TableSize = 4096;

        public override Ex Decay(double rate)
        {
            if (!Tables.TryGetValue(rate, out var table))
            {
                var values = new double[TableSize];
                for (var k = 0; k < TableSize; k++)
                    values[k] = Math.Exp(rate * ((double)(long)k * dt));
                Tables[rate] = table = (Ex.Variable(typeof(double[]), $"decay{Tables.Count}"), values);
            }
            var steps = Ex.Variable(typeof(long), "steps");
            var exp = typeof(Math).GetMethod(nameof(Math.Exp), [typeof(double)])!;
            return Ex.Block(typeof(double), [steps],
                Ex.Assign(steps, Ex.Subtract(step, Ex.Convert(LastStep, typeof(long)))),
                Ex.Condition(Ex.LessThan(steps, Ex.Constant((long)TableSize)),
                    Ex.ArrayIndex(table.Variable, Ex.Convert(steps, typeof(int))),
                    Ex.Call(exp, Ex.Multiply(Ex.Constant(rate), Ex.Multiply(Ex.Convert(steps, typeof(double)), Ex.Constant(dt))))));
        }

        public override Ex Read(VarRef v) => v.Scope switch
        {
            VarScope.Synapse when packed is not null => Ex.Convert(Slot(Ex.Constant(v.Index)), typeof(double)),
            VarScope.Synapse => Ex.ArrayAccess(own[v.Index], s),
            VarScope.Pre => Ex.ArrayAccess(preArrays[v.Index], pre),
            VarScope.Post => Ex.ArrayAccess(postArrays[v.Index], post),
            VarScope.Local => Local(v),
            _ => throw new InvalidOperationException($"a synapse kernel cannot read {v}"),
        };

        /// <summary>Stores the value and adds what was stored to the kernel's sentinel, which is not finite when a stored value was not (see <see cref="SynapseArrays.NotFinite"/>).</summary>
        public override Ex Write(VarRef v, Ex value)
        {
            if (v.Scope == VarScope.Local)
                return Ex.Assign(Read(v), value);
            var single = v.Scope == VarScope.Synapse && packed is not null;
            var stored = Ex.Variable(single ? typeof(float) : typeof(double), "stored");
            return Ex.Block(typeof(void), [stored],
                Ex.Assign(stored, single ? Ex.Convert(value, typeof(float)) : value),
                single ? Ex.Assign(Slot(Ex.Constant(v.Index)), stored) : Ex.Assign(Read(v), stored),
                Ex.AddAssign(acc, single ? Ex.Convert(stored, typeof(double)) : stored));
        }

        public override Ex Special(Special kind) => kind switch
        {
            Language.IR.Special.Time => t,
            Language.IR.Special.Dt => Ex.Constant(dt),
            Language.IR.Special.I => Ex.Convert(Ex.Subtract(pre, preStart), typeof(double)),
            _ => Ex.Convert(Ex.Subtract(post, postStart), typeof(double)),
        };

        public override Ex Random(RandomKind kind, int site) => Draw(kind, seed, stream, s, step, site);
    }

    private sealed class SynapseTemplate
    {
        public readonly ParameterExpression P = Ex.Parameter(typeof(SynapseArrays), "p");
        public readonly ParameterExpression Step = Ex.Parameter(typeof(long), "step");
        public readonly ParameterExpression S = Ex.Variable(typeof(int), "s");
        public readonly ParameterExpression Pre = Ex.Variable(typeof(int), "pre");
        public readonly ParameterExpression PostIndex = Ex.Variable(typeof(int), "post");
        public readonly ParameterExpression T = Ex.Variable(typeof(double), "t");
        public readonly ParameterExpression Seed = Ex.Variable(typeof(ulong), "seed");
        public readonly ParameterExpression PostArray = Ex.Variable(typeof(int[]), "postOf");
        public readonly ParameterExpression LastUpdate = Ex.Variable(typeof(int[]), "lastUpdate");
        public readonly ParameterExpression Acc = Ex.Variable(typeof(double), "acc");
        public readonly Dictionary<int, ParameterExpression> Own = [];
        public readonly Dictionary<int, ParameterExpression> PreArrays = [];
        public readonly Dictionary<int, ParameterExpression> PostArrays = [];
        public readonly SynapseEnv.PackedLayout? Packed;
        public readonly SynapseEnv Env;
        public readonly Ex Body;
        private readonly bool _single;

        public SynapseTemplate(StatementsSpec spec, double dt, bool single)
        {
            _single = single;
            var vars = new HashSet<VarRef>();
            IrRewrite.Reads(spec.Body, vars);
            IrRewrite.Writes(spec.Body, vars);
            if (single)
                Packed = new SynapseEnv.PackedLayout(Ex.Variable(typeof(float[]), "packed"), Ex.Variable(typeof(int), "stride"), Ex.Variable(typeof(int), "lastSlot"));
            foreach (var v in vars)
            {
                var map = v.Scope switch { VarScope.Synapse when !single => Own, VarScope.Pre => PreArrays, VarScope.Post => PostArrays, _ => null };
                if (map is not null && !map.ContainsKey(v.Index))
                    map[v.Index] = Ex.Variable(typeof(double[]), $"{v.Scope}_{v.Name}");
            }
            Env = new SynapseEnv(Seed, spec.Stream, S, Pre, PostIndex,
                Ex.PropertyOrField(P, nameof(SynapseArrays.PreStart)), Ex.PropertyOrField(P, nameof(SynapseArrays.PostStart)), Step, T, dt, Own, PreArrays, PostArrays, LastUpdate, Packed, Acc);
            var statements = ExpressionEmitter.Emit(spec.Body, Env);
            Body = Ex.Block(Env.Locals.ToList(), statements);
        }

        public List<Ex> Setup(double dt)
        {
            var setup = new List<Ex>
            {
                Ex.Assign(Seed, Ex.PropertyOrField(P, nameof(SynapseArrays.Seed))),
                Ex.Assign(T, Ex.Multiply(Ex.Convert(Step, typeof(double)), Ex.Constant(dt))),
                Ex.Assign(PostArray, Ex.PropertyOrField(P, nameof(SynapseArrays.Post))),
                Ex.Assign(LastUpdate, Ex.PropertyOrField(P, nameof(SynapseArrays.LastUpdate))),
                Ex.Assign(Acc, Ex.Constant(0.0)),
            };
            void Load(Dictionary<int, ParameterExpression> map, string field)
            {
                foreach (var (k, array) in map)
                    setup.Add(Ex.Assign(array, Ex.ArrayIndex(Ex.PropertyOrField(P, field), Ex.Constant(k))));
            }
            foreach (var (variable, table) in Env.Tables.Values)
                setup.Add(Ex.Assign(variable, Ex.Constant(table)));
            Load(Own, nameof(SynapseArrays.Vars));
            if (Packed is not null)
            {
                setup.Add(Ex.Assign(Packed.Array, Ex.PropertyOrField(P, nameof(SynapseArrays.Packed))));
                setup.Add(Ex.Assign(Packed.Stride, Ex.PropertyOrField(P, nameof(SynapseArrays.Stride))));
                setup.Add(Ex.Assign(Packed.LastSlot, Ex.PropertyOrField(P, nameof(SynapseArrays.PackedVars))));
            }
            Load(PreArrays, nameof(SynapseArrays.PreVars));
            Load(PostArrays, nameof(SynapseArrays.PostVars));
            return setup;
        }

        /// <summary>After the loop: raise the projection's flag when a stored value was not finite.</summary>
        public Ex Finish() =>
            Ex.IfThen(Ex.Not(Ex.Call(typeof(double).GetMethod(nameof(double.IsFinite), [typeof(double)])!, Acc)),
                Ex.Assign(Ex.PropertyOrField(P, nameof(SynapseArrays.NotFinite)), Ex.Constant(true)));

        public IEnumerable<ParameterExpression> Variables =>
            new[] { S, Pre, PostIndex, T, Seed, PostArray, LastUpdate, Acc }.Concat(Own.Values).Concat(PreArrays.Values).Concat(PostArrays.Values)
                .Concat(Packed is null ? [] : [Packed.Array, Packed.Stride, Packed.LastSlot])
                .Concat(Env.Tables.Values.Select(t => t.Variable));
    }

    public SynapseRowsKernel SynapseRows(StatementsSpec spec, double dt)
    {
        var tpl = new SynapseTemplate(spec, dt, spec.Single);
        var rows = Ex.Parameter(typeof(int[]), "rows");
        var count = Ex.Parameter(typeof(int), "count");
        var k = Ex.Variable(typeof(int), "k");
        var row = Ex.Variable(typeof(int), "row");
        var end = Ex.Variable(typeof(int), "end");
        var rowStart = Ex.Variable(typeof(int[]), "rowStart");
        var rowCount = Ex.Variable(typeof(int[]), "rowCount");
        var preStart = Ex.Variable(typeof(int), "preStart");
        var perSynapse = Ex.Block(Ex.Assign(tpl.PostIndex, Ex.ArrayIndex(tpl.PostArray, tpl.S)), tpl.Body);
        var perRow = Ex.Block(
            Ex.Assign(row, Ex.ArrayIndex(rows, k)),
            Ex.Assign(tpl.Pre, Ex.Add(row, preStart)),
            Ex.Assign(end, Ex.Add(Ex.ArrayIndex(rowStart, row), Ex.ArrayIndex(rowCount, row))),
            ExpressionEmitter.For(tpl.S, Ex.ArrayIndex(rowStart, row), end, perSynapse));
        var setup = tpl.Setup(dt);
        setup.Add(Ex.Assign(rowStart, Ex.PropertyOrField(tpl.P, nameof(SynapseArrays.RowStart))));
        setup.Add(Ex.Assign(rowCount, Ex.PropertyOrField(tpl.P, nameof(SynapseArrays.RowCount))));
        setup.Add(Ex.Assign(preStart, Ex.PropertyOrField(tpl.P, nameof(SynapseArrays.PreStart))));
        setup.Add(ExpressionEmitter.For(k, Ex.Constant(0), count, perRow));
        setup.Add(tpl.Finish());
        var body = Ex.Block(typeof(void), tpl.Variables.Concat([k, row, end, rowStart, rowCount, preStart]), setup);
        return Ex.Lambda<SynapseRowsKernel>(body, spec.Name, [tpl.P, rows, count, tpl.Step]).Compile();
    }

    /// <summary>How many synapses ahead an on-post kernel prefetches.</summary>
    private const int PrefetchAhead = 10;

    public SynapseColsKernel SynapseCols(StatementsSpec spec, double dt)
    {
        var tpl = new SynapseTemplate(spec, dt, spec.Single);
        var cols = Ex.Parameter(typeof(int[]), "cols");
        var count = Ex.Parameter(typeof(int), "count");
        var k = Ex.Variable(typeof(int), "k");
        var col = Ex.Variable(typeof(int), "col");
        var idx = Ex.Variable(typeof(int), "idx");
        var colStart = Ex.Variable(typeof(int[]), "colStart");
        var colSynapses = Ex.Variable(typeof(int[]), "colSynapses");
        var preOf = Ex.Variable(typeof(int[]), "preOf");
        var postStart = Ex.Variable(typeof(int), "postStart");
        var perSynapse = Ex.Block(
            Ex.Assign(tpl.S, Ex.ArrayIndex(colSynapses, idx)),
            Ex.Assign(tpl.Pre, Ex.Condition(Ex.Equal(preOf, Ex.Constant(null, typeof(int[]))), Ex.Constant(-1), Ex.ArrayIndex(preOf, tpl.S))),
            tpl.Body);
        // The synapses of a column lie in different rows, each with its state on its own cache lines: ask for
        // those of the synapse PrefetchAhead places on while this one is handled.
        var colEnd = Ex.Variable(typeof(int), "colEnd");
        var ahead = Ex.Variable(typeof(int), "ahead");
        var prefetch = new List<Ex> { Ex.Assign(ahead, Ex.ArrayIndex(colSynapses, Ex.Add(idx, Ex.Constant(PrefetchAhead)))) };
        Ex Line(ParameterExpression array, Ex index) =>
            Ex.Call(typeof(Prefetch).GetMethod(nameof(Prefetch.Line))!.MakeGenericMethod(array.Type.GetElementType()!), array, index);
        foreach (var array in tpl.Own.Values.Append(tpl.LastUpdate).Append(preOf))
            prefetch.Add(Line(array, ahead));
        if (tpl.Packed is not null)
            prefetch.Add(Line(tpl.Packed.Array, Ex.Multiply(ahead, tpl.Packed.Stride)));
        var perCol = Ex.Block(
            Ex.Assign(col, Ex.ArrayIndex(cols, k)),
            Ex.Assign(tpl.PostIndex, Ex.Add(col, postStart)),
            Ex.Assign(colEnd, Ex.ArrayIndex(colStart, Ex.Add(col, Ex.Constant(1)))),
            ExpressionEmitter.For(idx, Ex.ArrayIndex(colStart, col), colEnd, Ex.Block(
                Ex.IfThen(Ex.LessThan(Ex.Add(idx, Ex.Constant(PrefetchAhead)), colEnd), Ex.Block(prefetch)),
                perSynapse)));
        var setup = tpl.Setup(dt);
        setup.Add(Ex.Assign(colStart, Ex.PropertyOrField(tpl.P, nameof(SynapseArrays.ColStart))));
        setup.Add(Ex.Assign(colSynapses, Ex.PropertyOrField(tpl.P, nameof(SynapseArrays.ColSynapses))));
        setup.Add(Ex.Assign(preOf, Ex.PropertyOrField(tpl.P, nameof(SynapseArrays.Pre))));
        setup.Add(Ex.Assign(postStart, Ex.PropertyOrField(tpl.P, nameof(SynapseArrays.PostStart))));
        setup.Add(ExpressionEmitter.For(k, Ex.Constant(0), count, perCol));
        setup.Add(tpl.Finish());
        var body = Ex.Block(typeof(void), tpl.Variables.Concat([k, col, idx, colStart, colSynapses, preOf, postStart, colEnd, ahead]), setup);
        return Ex.Lambda<SynapseColsKernel>(body, spec.Name, [tpl.P, cols, count, tpl.Step]).Compile();
    }

    private sealed class PairEnv(Ex seed, uint stream, ParameterExpression i, ParameterExpression j) : EmitEnvironment
    {
        public override Ex Read(VarRef v) => v.Scope == VarScope.Local ? Local(v) : throw new InvalidOperationException($"a connection rule cannot read {v}");

        public override Ex Write(VarRef v, Ex value) => throw new InvalidOperationException("a connection rule cannot assign");

        public override Ex Special(Special kind) => kind switch
        {
            Language.IR.Special.I => Ex.Convert(i, typeof(double)),
            Language.IR.Special.J => Ex.Convert(j, typeof(double)),
            _ => throw new InvalidOperationException($"a connection rule cannot read {kind}"),
        };

        public override Ex Random(RandomKind kind, int site) => Draw(kind, seed, stream, i, Ex.Convert(j, typeof(long)), site);
    }

    public PairFunction Pair(IrExpr expr, ulong seed, uint stream, string name)
    {
        var i = Ex.Parameter(typeof(int), "i");
        var j = Ex.Parameter(typeof(int), "j");
        var env = new PairEnv(Ex.Constant(seed), stream, i, j);
        var value = ExpressionEmitter.Emit(expr, env);
        if (value.Type == typeof(bool))
            value = Ex.Condition(value, Ex.Constant(1.0), Ex.Constant(0.0));
        return Ex.Lambda<PairFunction>(value, name, [i, j]).Compile();
    }

    /// <summary>A vector kernel where <see cref="SynapseVectorCompiler"/> supports the block, its remainder run by the list kernel.</summary>
    public SynapseRangeKernel? SynapseRange(StatementsSpec spec, double dt) =>
        Vectorize && (Shape ?? SimdShape.Preferred) is { } shape && SynapseVectorCompiler.Supports(spec)
            ? SynapseVectorCompiler.Compile(spec, dt, shape, SynapseList(spec, dt))
            : null;

    public SynapseListKernel SynapseList(StatementsSpec spec, double dt)
    {
        var tpl = new SynapseTemplate(spec, dt, spec.Single);
        var synapses = Ex.Parameter(typeof(int[]), "synapses");
        var start = Ex.Parameter(typeof(int), "start");
        var count = Ex.Parameter(typeof(int), "count");
        var k = Ex.Variable(typeof(int), "k");
        var preOf = Ex.Variable(typeof(int[]), "preOf");
        var perSynapse = Ex.Block(
            Ex.Assign(tpl.S, Ex.Condition(Ex.Equal(synapses, Ex.Constant(null, typeof(int[]))), Ex.Add(start, k), Ex.ArrayIndex(synapses, Ex.Add(start, k)))),
            Ex.Assign(tpl.Pre, Ex.Condition(Ex.Equal(preOf, Ex.Constant(null, typeof(int[]))), Ex.Constant(-1), Ex.ArrayIndex(preOf, tpl.S))),
            Ex.Assign(tpl.PostIndex, Ex.ArrayIndex(tpl.PostArray, tpl.S)),
            tpl.Body);
        var setup = tpl.Setup(dt);
        setup.Add(Ex.Assign(preOf, Ex.PropertyOrField(tpl.P, nameof(SynapseArrays.Pre))));
        setup.Add(ExpressionEmitter.For(k, Ex.Constant(0), count, perSynapse));
        setup.Add(tpl.Finish());
        var body = Ex.Block(typeof(void), tpl.Variables.Concat([k, preOf]), setup);
        return Ex.Lambda<SynapseListKernel>(body, spec.Name, [tpl.P, synapses, start, count, tpl.Step]).Compile();
    }
}
