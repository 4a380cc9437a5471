using System.Linq.Expressions;
using BioLang.Language.IR;
using Ex = System.Linq.Expressions.Expression;

namespace BioLang.Runtime.CodeGen;

/// <summary>Runs a whole-projection block over the synapses [start, end) of a projection whose rows are stored without gaps.</summary>
internal delegate void SynapseRangeKernel(SynapseArrays p, int start, int end, long step);

/// <summary>
/// Vector kernels for the blocks that visit every synapse (clock-driven equations, <c>every T</c> blocks): one
/// synapse per lane over consecutive synapse slots, the postsynaptic values each lane reads gathered through its
/// post index, the remainder run by the scalar kernel. Only blocks that write nothing but their own synapse (so
/// lanes never collide) and read nothing a lane cannot load qualify. Every operation is the lane-wise form of the
/// scalar one, so the result is the scalar kernel's bit for bit.
/// </summary>
internal static class SynapseVectorCompiler
{
    /// <summary>True when <paramref name="spec"/> can run as a vector kernel: synapse-local writes, vectorisable operations, double precision.</summary>
    public static bool Supports(StatementsSpec spec)
    {
        if (spec.Single || !VectorEmitter.Supports(spec.Body))
            return false;
        var writes = new HashSet<VarRef>();
        IrRewrite.Writes(spec.Body, writes);
        var reads = new HashSet<VarRef>();
        IrRewrite.Reads(spec.Body, reads);
        return writes.All(v => v.Scope is VarScope.Synapse or VarScope.Local)
               && reads.All(v => v.Scope is VarScope.Synapse or VarScope.Local or VarScope.Post)
               && !spec.Body.Any(s => Mentions(s, e => e is IrSpecial { Kind: Special.I or Special.J } or IrHost or IrNotRefractory));
    }

    private static bool Mentions(IrStmt s, Func<IrExpr, bool> predicate) => s switch
    {
        IrAssign a => IrRewrite.Mentions(a.Value, predicate),
        IrIf i => IrRewrite.Mentions(i.Condition, predicate) || i.Then.Any(x => Mentions(x, predicate)) || i.Else.Any(x => Mentions(x, predicate)),
        _ => false,
    };

    /// <summary>The vector loop over whole vectors of [start, end), then <paramref name="tail"/> for the rest.</summary>
    public static SynapseRangeKernel Compile(StatementsSpec spec, double dt, SimdShape shape, SynapseListKernel tail)
    {
        var vector = Vectorized(spec, dt, shape);
        var width = shape.Width;
        return (p, start, end, step) =>
        {
            var split = start + (end - start) / width * width;
            if (split > start)
                vector(p, start, split, step);
            if (end > split)
                tail(p, null, split, end - split, step);
        };
    }

    private sealed class Env(SimdShape shape, ParameterExpression seed, uint stream, ParameterExpression s, ParameterExpression step,
        ParameterExpression tVec, ParameterExpression scratch, double dt) : VectorEnvironment(shape)
    {
        public readonly Dictionary<int, ParameterExpression> Values = [];
        public readonly Dictionary<int, ParameterExpression> Post = [];

        public override ParameterExpression Value(int index, string name)
        {
            if (!Values.TryGetValue(index, out var p))
                Values[index] = p = Ex.Variable(Shape.V, "s_" + name);
            return p;
        }

        public override Ex Read(VarRef v) => v.Scope switch
        {
            VarScope.Synapse => Value(v.Index, v.Name),
            VarScope.Post => Post.TryGetValue(v.Index, out var p) ? p : Post[v.Index] = Ex.Variable(Shape.V, "post_" + v.Name),
            VarScope.Local => Local(v),
            _ => throw new InvalidOperationException($"a vector synapse kernel cannot read {v}"),
        };

        public override Ex Special(Special kind) => kind switch
        {
            Language.IR.Special.Time => tVec,
            Language.IR.Special.Dt => Constant(dt),
            _ => throw new InvalidOperationException($"a vector synapse kernel cannot read {kind}"),
        };

        public override Ex NotRefractory => throw new InvalidOperationException("refractoriness in a synapse");

        public override Ex Host(int index) => throw new InvalidOperationException("a host value in a synapse");

        public override Ex Lane(int lane) => Ex.Add(s, Ex.Constant(lane));

        public override ParameterExpression Scratch => scratch;

        public override Ex Random(RandomKind kind, int site, Ex element) =>
            ExpressionTreeBackend.Draw(kind, seed, stream, element, step, site);

        public override Ex? RandomLanes(RandomKind kind, int site) =>
            Shape.DrawLanes is { } draw ? Ex.Call(draw, Ex.Constant(kind), seed, Ex.Constant(stream), s, step, Ex.Constant(site)) : null;
    }

    private static SynapseRangeKernel Vectorized(StatementsSpec spec, double dt, SimdShape shape)
    {
        var p = Ex.Parameter(typeof(SynapseArrays), "p");
        var start = Ex.Parameter(typeof(int), "start");
        var end = Ex.Parameter(typeof(int), "end");
        var step = Ex.Parameter(typeof(long), "step");
        var s = Ex.Variable(typeof(int), "s");
        var seed = Ex.Variable(typeof(ulong), "seed");
        var tVec = Ex.Variable(shape.V, "t");
        var scratch = Ex.Variable(typeof(double[]), "scratch");
        var postOf = Ex.Variable(typeof(int[]), "postOf");
        var env = new Env(shape, seed, spec.Stream, s, step, tVec, scratch, dt);
        // Emitting the body first tells which synapse and postsynaptic variables it touches.
        var body = VectorEmit.Emit(spec.Body, env);

        var writes = new HashSet<VarRef>();
        IrRewrite.Writes(spec.Body, writes);
        var own = env.Values.Keys.Order().ToDictionary(k => k, k => Ex.Variable(typeof(double[]), $"own{k}"));
        var post = env.Post.Keys.Order().ToDictionary(k => k, k => Ex.Variable(typeof(double[]), $"post{k}"));

        var perVector = new List<Ex>();
        foreach (var (k, array) in own)
            perVector.Add(Ex.Assign(env.Values[k], shape.Load(array, s)));
        foreach (var (k, array) in post)
            perVector.Add(Ex.Assign(env.Post[k], shape.Gather(array, postOf, s)));
        perVector.Add(body);
        // The sentinel: lane sums of every stored value, not finite when one of them was not (see SynapseArrays.NotFinite).
        var acc = Ex.Variable(shape.V, "acc");
        foreach (var k in writes.Where(v => v.Scope == VarScope.Synapse).Select(v => v.Index).Distinct().Order())
        {
            perVector.Add(shape.Store(env.Values[k], own[k], s));
            perVector.Add(Ex.AddAssign(acc, env.Values[k]));
        }
        var loopBody = Ex.Block(env.Locals.Concat(env.Values.Values).Concat(env.Post.Values).ToList(), perVector);

        var setup = new List<Ex>
        {
            Ex.Assign(seed, Ex.PropertyOrField(p, nameof(SynapseArrays.Seed))),
            Ex.Assign(tVec, shape.Broadcast(Ex.Multiply(Ex.Convert(step, typeof(double)), Ex.Constant(dt)))),
            Ex.Assign(scratch, Ex.NewArrayBounds(typeof(double), Ex.Constant(shape.Width))),
            Ex.Assign(postOf, Ex.PropertyOrField(p, nameof(SynapseArrays.Post))),
            SimdShape.CheckRange(postOf, start, end),
            Ex.Assign(acc, Ex.Default(shape.V)),
        };
        foreach (var (k, array) in own)
        {
            setup.Add(Ex.Assign(array, Ex.ArrayIndex(Ex.PropertyOrField(p, nameof(SynapseArrays.Vars)), Ex.Constant(k))));
            setup.Add(SimdShape.CheckRange(array, start, end));
        }
        foreach (var (k, array) in post)
            setup.Add(Ex.Assign(array, Ex.ArrayIndex(Ex.PropertyOrField(p, nameof(SynapseArrays.PostVars)), Ex.Constant(k))));
        foreach (var (variable, value) in env.Constants)
            setup.Add(Ex.Assign(variable, shape.Broadcast(Ex.Constant(value))));
        var exit = Ex.Label("exit");
        setup.Add(Ex.Assign(s, start));
        setup.Add(Ex.Loop(Ex.IfThenElse(Ex.LessThan(s, end),
            Ex.Block(loopBody, Ex.AddAssign(s, Ex.Constant(shape.Width))),
            Ex.Break(exit)), exit));
        Ex sum = Ex.Constant(0.0);
        for (var lane = 0; lane < shape.Width; lane++)
            sum = Ex.Add(sum, Ex.Call(shape.ElementOfDouble, acc, Ex.Constant(lane)));
        setup.Add(Ex.IfThen(Ex.Not(Ex.Call(typeof(double).GetMethod(nameof(double.IsFinite), [typeof(double)])!, sum)),
            Ex.Assign(Ex.PropertyOrField(p, nameof(SynapseArrays.NotFinite)), Ex.Constant(true))));
        var variables = new[] { s, seed, tVec, scratch, postOf }.Append(acc).Concat(own.Values).Concat(post.Values).Concat(env.Constants.Select(c => c.Variable));
        return Ex.Lambda<SynapseRangeKernel>(Ex.Block(typeof(void), variables, setup), spec.Name + "_simd", [p, start, end, step]).Compile();
    }
}
