using System.Linq.Expressions;
using System.Numerics;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using Ex = System.Linq.Expressions.Expression;

namespace BioLang.Runtime.CodeGen;

/// <summary>Integrates neurons [start, end), writing spiking neurons at Spikes[outStart..] and adding its NaN sentinel; returns the spike count.</summary>
internal delegate int NeuronRangeKernel(NeuronArrays g, int start, int end, long step, int worker, int outStart);

/// <summary>
/// The neuron update kernel: a SIMD loop over whole vectors of neurons (one per lane) and a scalar
/// loop for the remainder, both emitted from the same statements, so the result is the same
/// bit for bit whichever loop a neuron falls in.
/// </summary>
internal static class NeuronUpdateCompiler
{
    /// <summary>The kernel for <paramref name="spec"/>; vectorised with <paramref name="shape"/> (the preferred one by default) where its statements allow.</summary>
    public static NeuronUpdateKernel Compile(NeuronUpdateSpec spec, double dt, bool vectorize, SimdShape? shape = null)
    {
        var scalar = Scalar(spec, dt);
        var all = spec.Body.AddRange(spec.Periodic.SelectMany(p => p.Statements));
        shape ??= SimdShape.Preferred;
        var canVectorize = vectorize && shape is not null
                           && VectorEmitter.Supports(all)
                           && (spec.Threshold is null || VectorEmitter.Supports(spec.Threshold))
                           && (spec.RefractorySteps is null || VectorEmitter.Supports(spec.RefractorySteps));
        var vector = canVectorize ? Vectorized(spec, dt, shape!) : null;
        var width = shape?.Width ?? 1;
        return (g, start, end, step, worker) =>
        {
            g.Sentinel[worker] = 0;
            var split = vector is null ? start : start + (end - start) / width * width;
            var n = split > start ? vector!(g, start, split, step, worker, start) : 0;
            return n + scalar(g, split, end, step, worker, start + n);
        };
    }

    private static NeuronRangeKernel Scalar(NeuronUpdateSpec spec, double dt)
    {
        var g = Ex.Parameter(typeof(NeuronArrays), "g");
        var start = Ex.Parameter(typeof(int), "start");
        var end = Ex.Parameter(typeof(int), "end");
        var step = Ex.Parameter(typeof(long), "step");
        var worker = Ex.Parameter(typeof(int), "worker");
        var outStart = Ex.Parameter(typeof(int), "outStart");
        var i = Ex.Variable(typeof(int), "i");
        var n = Ex.Variable(typeof(int), "n");
        var t = Ex.Variable(typeof(double), "t");
        var seed = Ex.Variable(typeof(ulong), "seed");
        var acc = Ex.Variable(typeof(double), "acc");
        var last = Ex.Variable(typeof(long[]), "last");
        var spikes = Ex.Variable(typeof(int[]), "spikes");
        var notRef = spec.RefractorySteps is null ? null : Ex.Variable(typeof(bool), "notRef");
        var env = new ExpressionTreeBackend.NeuronEnv(seed, spec.Stream, i, step, t, dt, notRef) { HostArray = Ex.PropertyOrField(g, nameof(NeuronArrays.Host)) };

        var allStatements = spec.Body.AddRange(spec.Periodic.SelectMany(p => p.Statements));
        var (reads, writes) = ExpressionTreeBackend.NeuronVars(allStatements, spec.Threshold, spec.RefractorySteps);
        var used = reads.Union(writes).Order().ToList();
        var arrays = used.ToDictionary(k => k, k => Ex.Variable(typeof(double[]), $"a{k}"));
        var vars = Ex.PropertyOrField(g, nameof(NeuronArrays.Vars));

        var perNeuron = new List<Ex>();
        foreach (var k in used)
            perNeuron.Add(Ex.Assign(env.Value(k, $"{k}"), Ex.ArrayIndex(arrays[k], i)));
        if (notRef is not null)
            perNeuron.Add(Ex.Assign(notRef, Ex.GreaterThanOrEqual(
                Ex.Convert(Ex.Subtract(step, Ex.ArrayIndex(last, i)), typeof(double)),
                ExpressionEmitter.Emit(spec.RefractorySteps!, env))));
        var dueFlags = new List<ParameterExpression>();
        foreach (var (period, statements) in spec.Periodic)
        {
            var due = Ex.Variable(typeof(bool), $"due{dueFlags.Count}");
            dueFlags.Add(due);
            perNeuron.Add(Ex.IfThen(due, ExpressionEmitter.Emit(statements, env)));
        }
        perNeuron.Add(ExpressionEmitter.Emit(spec.Body, env));
        Ex? written = null;
        foreach (var k in writes.Order())
        {
            var value = env.Value(k, $"{k}");
            perNeuron.Add(Ex.Assign(Ex.ArrayAccess(arrays[k], i), value));
            written = written is null ? value : Ex.Add(written, value);
        }
        // A sum of the new values is not finite when one of them is not: it finds a blow-up with one add per variable
        // (and, rarely, a sum of huge finite values, which the check then clears by looking).
        if (written is not null)
            perNeuron.Add(Ex.AddAssign(acc, written));
        if (spec.Threshold is not null)
        {
            Ex condition = ExpressionEmitter.Emit(spec.Threshold, env);
            if (notRef is not null)
                condition = Ex.AndAlso(notRef, condition);
            perNeuron.Add(Ex.IfThen(condition, Ex.Block(
                Ex.Assign(Ex.ArrayAccess(spikes, Ex.PostIncrementAssign(n)), i),
                Ex.Assign(Ex.ArrayAccess(last, i), step))));
        }
        var locals = env.Locals.Concat(env.Values.Values).ToList();
        if (notRef is not null) locals.Add(notRef);
        var loopBody = Ex.Block(locals, perNeuron);

        var setup = new List<Ex>
        {
            Ex.Assign(seed, Ex.PropertyOrField(g, nameof(NeuronArrays.Seed))),
            Ex.Assign(t, Ex.Multiply(Ex.Convert(step, typeof(double)), Ex.Constant(dt))),
            Ex.Assign(last, Ex.PropertyOrField(g, nameof(NeuronArrays.LastSpike))),
            Ex.Assign(spikes, Ex.PropertyOrField(g, nameof(NeuronArrays.Spikes))),
            Ex.Assign(n, outStart),
            Ex.Assign(acc, Ex.Constant(0.0)),
        };
        foreach (var (k, array) in arrays)
            setup.Add(Ex.Assign(array, Ex.ArrayIndex(vars, Ex.Constant(k))));
        for (var d = 0; d < dueFlags.Count; d++)
            setup.Add(Ex.Assign(dueFlags[d], Ex.Equal(Ex.Modulo(step, Ex.Constant(spec.Periodic[d].Steps)), Ex.Constant(0L))));
        setup.Add(ExpressionEmitter.For(i, start, end, loopBody));
        setup.Add(Ex.AddAssign(Ex.ArrayAccess(Ex.PropertyOrField(g, nameof(NeuronArrays.Sentinel)), worker), acc));
        setup.Add(Ex.Subtract(n, outStart));
        var body = Ex.Block(typeof(int), new[] { i, n, t, seed, acc, last, spikes }.Concat(arrays.Values).Concat(dueFlags), setup);
        return Ex.Lambda<NeuronRangeKernel>(body, spec.Name, [g, start, end, step, worker, outStart]).Compile();
    }


    /// <summary>The lanes of one vector of neurons: values loaded once, stored once.</summary>
    private sealed class Env(SimdShape shape, ParameterExpression seed, uint stream, ParameterExpression i, ParameterExpression step, ParameterExpression tVec,
        ParameterExpression lanes, ParameterExpression scratch, double dt, ParameterExpression? notRef) : VectorEnvironment(shape)
    {
        public readonly Dictionary<int, ParameterExpression> Values = [];

        public override ParameterExpression Value(int index, string name)
        {
            if (!Values.TryGetValue(index, out var p))
                Values[index] = p = Ex.Variable(Shape.V, "v_" + name);
            return p;
        }

        public override Ex Read(VarRef v) => v.Scope switch
        {
            VarScope.Neuron => Value(v.Index, v.Name),
            VarScope.Local => Local(v),
            _ => throw new InvalidOperationException($"a neuron kernel cannot read {v}"),
        };

        public override Ex Special(Special kind) => kind switch
        {
            Language.IR.Special.Time => tVec,
            Language.IR.Special.Dt => Constant(dt),
            Language.IR.Special.I => Ex.Add(Shape.Broadcast(Ex.Convert(i, typeof(double))), lanes),
            _ => throw new InvalidOperationException("j outside a synapse"),
        };

        public override Ex NotRefractory => notRef ?? Shape.Mask(true);

        public Ex? HostArray { get; init; }

        public override Ex Host(int index) => Shape.Broadcast(Ex.ArrayIndex(HostArray!, Ex.Constant(index)));

        public override Ex Lane(int lane) => Ex.Add(i, Ex.Constant(lane));

        public override ParameterExpression Scratch => scratch;

        public override Ex Random(RandomKind kind, int site, Ex element) =>
            ExpressionTreeBackend.Draw(kind, seed, stream, element, step, site);

        public override Ex? RandomLanes(RandomKind kind, int site) =>
            Shape.DrawLanes is { } draw
                ? Ex.Call(draw, Ex.Constant(kind), seed, Ex.Constant(stream), i, step, Ex.Constant(site))
                : null;
    }

    private static NeuronRangeKernel Vectorized(NeuronUpdateSpec spec, double dt, SimdShape shape)
    {
        var width = shape.Width;
        var g = Ex.Parameter(typeof(NeuronArrays), "g");
        var start = Ex.Parameter(typeof(int), "start");
        var end = Ex.Parameter(typeof(int), "end");
        var step = Ex.Parameter(typeof(long), "step");
        var worker = Ex.Parameter(typeof(int), "worker");
        var outStart = Ex.Parameter(typeof(int), "outStart");
        var i = Ex.Variable(typeof(int), "i");
        var n = Ex.Variable(typeof(int), "n");
        var k = Ex.Variable(typeof(int), "k");
        var tVec = Ex.Variable(shape.V, "t");
        var stepVec = Ex.Variable(shape.M, "stepVec");
        var lanes = Ex.Variable(shape.V, "lanes");
        var scratch = Ex.Variable(typeof(double[]), "scratch");
        var seed = Ex.Variable(typeof(ulong), "seed");
        var acc = Ex.Variable(shape.V, "acc");
        var last = Ex.Variable(typeof(long[]), "last");
        var spikes = Ex.Variable(typeof(int[]), "spikes");
        var mask = Ex.Variable(shape.M, "mask");
        var zeroMask = Ex.Variable(shape.M, "zeroMask");
        // Closure constants are unboxed at every use; vectors live in locals set before the loop.
        var periodVec = Ex.Variable(shape.M, "period");
        var periodSteps = spec.RefractorySteps is { } r && Folder.TryValue(r, out var p) ? (long)Math.Round(p) : 0;
        var notRef = spec.RefractorySteps is null ? null : Ex.Variable(shape.M, "notRef");
        var env = new Env(shape, seed, spec.Stream, i, step, tVec, lanes, scratch, dt, notRef) { HostArray = Ex.PropertyOrField(g, nameof(NeuronArrays.Host)) };

        var all = spec.Body.AddRange(spec.Periodic.SelectMany(p => p.Statements));
        var (reads, writes) = ExpressionTreeBackend.NeuronVars(all, spec.Threshold, spec.RefractorySteps);
        var used = reads.Union(writes).Order().ToList();
        var arrays = used.ToDictionary(x => x, x => Ex.Variable(typeof(double[]), $"a{x}"));
        var vars = Ex.PropertyOrField(g, nameof(NeuronArrays.Vars));

        var perVector = new List<Ex>();
        foreach (var x in used)
            perVector.Add(Ex.Assign(env.Value(x, $"{x}"), shape.Load(arrays[x], i)));
        if (notRef is not null)
        {
            var sinceSpike = Ex.Subtract(stepVec, shape.LoadLongs(last, i));
            // A constant period (the usual case) compares whole steps; (double)(a) >= b is the same test when b is a whole number.
            perVector.Add(Ex.Assign(notRef, Folder.TryValue(spec.RefractorySteps!, out var period) && period == Math.Round(period) && Math.Abs(period) < 1e15
                ? Ex.Call(shape.LongGreaterThanOrEqual, sinceSpike, periodVec)
                : Ex.Call(shape.GreaterThanOrEqual, Ex.Call(shape.ToDouble, sinceSpike), VectorEmit.Emit(spec.RefractorySteps!, env))));
        }
        var dueFlags = new List<ParameterExpression>();
        foreach (var (_, statements) in spec.Periodic)
        {
            var due = Ex.Variable(typeof(bool), $"due{dueFlags.Count}");
            dueFlags.Add(due);
            perVector.Add(Ex.IfThen(due, VectorEmit.Emit(statements, env)));
        }
        perVector.Add(VectorEmit.Emit(spec.Body, env));
        Ex? written = null;
        foreach (var x in writes.Order())
        {
            var value = env.Value(x, $"{x}");
            perVector.Add(shape.Store(value, arrays[x], i));
            written = written is null ? value : Ex.Add(written, value);
        }
        // One add into the loop-carried sentinel per vector: a chain of one add per variable would bound the loop by its latency.
        if (written is not null)
            perVector.Add(Ex.AddAssign(acc, written));
        if (spec.Threshold is not null)
        {
            Ex condition = VectorEmit.Emit(spec.Threshold, env);
            if (notRef is not null)
                condition = Ex.Call(shape.And, notRef, condition);
            var lane = Ex.Block(
                Ex.IfThen(Ex.NotEqual(Ex.Call(shape.ElementOfMask, mask, k), Ex.Constant(0L)), Ex.Block(
                    Ex.Assign(Ex.ArrayAccess(spikes, Ex.PostIncrementAssign(n)), Ex.Add(i, k)),
                    Ex.Assign(Ex.ArrayAccess(last, Ex.Add(i, k)), step))));
            perVector.Add(Ex.Assign(mask, condition));
            perVector.Add(Ex.IfThen(Ex.Not(Ex.Call(shape.AllEqual, mask, zeroMask)),
                ExpressionEmitter.For(k, Ex.Constant(0), Ex.Constant(width), lane)));
        }
        var locals = env.Locals.Concat(env.Values.Values).Append(mask).ToList();
        if (notRef is not null) locals.Add(notRef);
        var loopBody = Ex.Block(locals, perVector);

        var setup = new List<Ex>
        {
            Ex.Assign(seed, Ex.PropertyOrField(g, nameof(NeuronArrays.Seed))),
            Ex.Assign(tVec, shape.Broadcast(Ex.Multiply(Ex.Convert(step, typeof(double)), Ex.Constant(dt)))),
            Ex.Assign(stepVec, shape.BroadcastLong(step)),
            Ex.Assign(lanes, shape.Lanes),
            Ex.Assign(scratch, Ex.NewArrayBounds(typeof(double), Ex.Constant(width))),
            Ex.Assign(last, Ex.PropertyOrField(g, nameof(NeuronArrays.LastSpike))),
            Ex.Assign(spikes, Ex.PropertyOrField(g, nameof(NeuronArrays.Spikes))),
            Ex.Assign(n, outStart),
            Ex.Assign(acc, Ex.Default(shape.V)),
            Ex.Assign(zeroMask, Ex.Default(shape.M)),
            Ex.Assign(periodVec, shape.BroadcastLong(Ex.Constant(periodSteps))),
        };
        foreach (var (x, array) in arrays)
        {
            setup.Add(Ex.Assign(array, Ex.ArrayIndex(vars, Ex.Constant(x))));
            if (shape.Unchecked)
                setup.Add(SimdShape.CheckRange(array, start, end));
        }
        if (shape.Unchecked && notRef is not null)
            setup.Add(SimdShape.CheckRange(last, start, end));
        foreach (var (variable, value) in env.Constants)
            setup.Add(Ex.Assign(variable, shape.Broadcast(Ex.Constant(value))));
        for (var d = 0; d < dueFlags.Count; d++)
            setup.Add(Ex.Assign(dueFlags[d], Ex.Equal(Ex.Modulo(step, Ex.Constant(spec.Periodic[d].Steps)), Ex.Constant(0L))));
        var exit = Ex.Label("exit");
        setup.Add(Ex.Assign(i, start));
        setup.Add(Ex.Loop(Ex.IfThenElse(Ex.LessThan(i, end),
            Ex.Block(loopBody, Ex.AddAssign(i, Ex.Constant(width))),
            Ex.Break(exit)), exit));
        // Sum the lanes: a non-finite value in any lane makes the sentinel non-finite.
        Ex sum = Ex.Constant(0.0);
        for (var lane = 0; lane < width; lane++)
            sum = Ex.Add(sum, Ex.Call(shape.ElementOfDouble, acc, Ex.Constant(lane)));
        setup.Add(Ex.AddAssign(Ex.ArrayAccess(Ex.PropertyOrField(g, nameof(NeuronArrays.Sentinel)), worker), sum));
        setup.Add(Ex.Subtract(n, outStart));
        var variables = new[] { i, n, k, tVec, stepVec, lanes, scratch, seed, acc, last, spikes, zeroMask, periodVec }
            .Concat(arrays.Values).Concat(dueFlags).Concat(env.Constants.Select(c => c.Variable));
        var body = Ex.Block(typeof(int), variables, setup);
        return Ex.Lambda<NeuronRangeKernel>(body, spec.Name + "_simd", [g, start, end, step, worker, outStart]).Compile();
    }
}
