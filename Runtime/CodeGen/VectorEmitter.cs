using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using BioLang.Language.IR;
using Ex = System.Linq.Expressions.Expression;

namespace BioLang.Runtime.CodeGen;

/// <summary>
/// IR to SIMD expression trees over the lanes of a <see cref="SimdShape"/> (one neuron per lane). Every
/// operation is the lane-wise form of what <see cref="ExpressionEmitter"/> emits: IEEE add,
/// subtract, multiply, divide, square root, floor and ceiling are exact per lane; functions
/// without an identical vector form (exp, log, pow, min, max, ...) are called per lane with the
/// scalar method, so the vector kernel stays bit-identical to the interpreter. Conditions are
/// lane masks (vectors of long: all ones or zero).
/// </summary>
internal static class VectorEmitter
{
    /// <summary>True when every operation of the statements has a vector form here (else the scalar kernel is used).</summary>
    public static bool Supports(IEnumerable<IrStmt> statements) => statements.All(Supports);

    private static bool Supports(IrStmt s) => s switch
    {
        IrAssign a => Supports(a.Value),
        IrIf i => Supports(i.Condition) && Supports(i.Then) && Supports(i.Else),
        _ => false,
    };

    public static bool Supports(IrExpr e) => e switch
    {
        IrConst or IrParam or IrBool or IrVar or IrNotRefractory or IrRandom or IrHost => true,
        IrSpecial s => s.Kind is Special.Time or Special.Dt or Special.I,
        IrUnary u => Supports(u.Operand),
        IrBinary b => Supports(b.Left) && Supports(b.Right),
        IrCall c => c.Arguments.All(Supports),
        IrCond c => Supports(c.Condition) && Supports(c.Then) && Supports(c.Else),
        _ => false,
    };
}

/// <summary>How a vector kernel reaches its lanes' values; the template answers.</summary>
internal abstract class VectorEnvironment(SimdShape shape)
{
    public SimdShape Shape { get; } = shape;

    private readonly Dictionary<double, ParameterExpression> _constants = [];
    private readonly Dictionary<int, ParameterExpression> _locals = [];

    /// <summary>Broadcast constants, hoisted out of the loop.</summary>
    public IEnumerable<(ParameterExpression Variable, double Value)> Constants => _constants.Select(kv => (kv.Value, kv.Key));

    public ParameterExpression Constant(double value)
    {
        if (!_constants.TryGetValue(value, out var p))
            _constants[value] = p = Ex.Variable(Shape.V, $"c{_constants.Count}");
        return p;
    }

    public ParameterExpression Local(VarRef v)
    {
        if (!_locals.TryGetValue(v.Index, out var p))
            _locals[v.Index] = p = Ex.Variable(Shape.V, "l_" + v.Name);
        return p;
    }

    public IEnumerable<ParameterExpression> Locals => _locals.Values;

    public abstract Ex Read(VarRef v);

    public abstract Ex Special(Special kind);

    public abstract Ex NotRefractory { get; }

    public abstract Ex Host(int index);

    /// <summary>Lane k's value of a scalar expression built per lane (random draws need each lane's element index).</summary>
    public abstract Ex Lane(int lane);

    /// <summary>A per-lane scratch buffer for building vectors from scalar calls.</summary>
    public abstract ParameterExpression Scratch { get; }

    public abstract Ex Random(RandomKind kind, int site, Ex element);

    /// <summary>All lanes' draws in one call, when the lanes are consecutive elements; null to draw lane by lane.</summary>
    public virtual Ex? RandomLanes(RandomKind kind, int site) => null;

    public abstract ParameterExpression Value(int index, string name);
}

/// <summary>The emission half of <see cref="VectorEmitter"/>.</summary>
internal static class VectorEmit
{
    private static MethodInfo Scalar(Builtin f) => f switch
    {
        Builtin.Exp => typeof(Math).GetMethod(nameof(Math.Exp), [typeof(double)])!,
        Builtin.Log => typeof(Math).GetMethod(nameof(Math.Log), [typeof(double)])!,
        Builtin.Log10 => typeof(Math).GetMethod(nameof(Math.Log10), [typeof(double)])!,
        Builtin.Min => typeof(Math).GetMethod(nameof(Math.Min), [typeof(double), typeof(double)])!,
        Builtin.Max => typeof(Math).GetMethod(nameof(Math.Max), [typeof(double), typeof(double)])!,
        Builtin.Clip => typeof(IrMath).GetMethod(nameof(IrMath.Clip))!,
        Builtin.Sin => typeof(Math).GetMethod(nameof(Math.Sin), [typeof(double)])!,
        Builtin.Cos => typeof(Math).GetMethod(nameof(Math.Cos), [typeof(double)])!,
        Builtin.Tan => typeof(Math).GetMethod(nameof(Math.Tan), [typeof(double)])!,
        Builtin.Tanh => typeof(Math).GetMethod(nameof(Math.Tanh), [typeof(double)])!,
        Builtin.Sinh => typeof(Math).GetMethod(nameof(Math.Sinh), [typeof(double)])!,
        Builtin.Cosh => typeof(Math).GetMethod(nameof(Math.Cosh), [typeof(double)])!,
        Builtin.Atan => typeof(Math).GetMethod(nameof(Math.Atan), [typeof(double)])!,
        Builtin.Atan2 => typeof(Math).GetMethod(nameof(Math.Atan2), [typeof(double), typeof(double)])!,
        Builtin.Round => typeof(IrMath).GetMethod(nameof(IrMath.Round))!,
        Builtin.Sign => typeof(IrMath).GetMethod(nameof(IrMath.Sign))!,
        Builtin.Heaviside => typeof(IrMath).GetMethod(nameof(IrMath.Heaviside))!,
        Builtin.Exprel => typeof(IrMath).GetMethod(nameof(IrMath.Exprel))!,
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, null),
    };

    internal static readonly MethodInfo Pow = typeof(Math).GetMethod(nameof(Math.Pow), [typeof(double), typeof(double)])!;
    internal static readonly MethodInfo Mod = typeof(IrMath).GetMethod(nameof(IrMath.Mod))!;

    private static Ex Mask(MethodInfo compare, Ex l, Ex r) => Ex.Call(compare, l, r);

    public static Ex Emit(IrExpr e, VectorEnvironment env) => e switch
    {
        IrConst c => env.Constant(c.Value),
        IrParam p => env.Constant(p.Value),
        IrBool b => env.Shape.Mask(b.Value),
        IrVar v => env.Read(v.Ref),
        IrSpecial s => env.Special(s.Kind),
        IrNotRefractory => env.NotRefractory,
        IrHost h => env.Host(h.Index),
        IrRandom r => env.RandomLanes(r.Kind, r.Site) ?? PerLane(env, k => env.Random(r.Kind, r.Site, env.Lane(k))),
        // x·(-1) rather than 0 - x, so a zero keeps the sign the scalar negation gives it.
        IrUnary { Op: UnaryOp.Negate } u => Ex.Multiply(Emit(u.Operand, env), env.Constant(-1.0)),
        IrUnary u => Ex.Call(env.Shape.Not, Emit(u.Operand, env)),
        IrBinary b => Binary(b, env),
        IrCall { Function: Builtin.Abs } c => Ex.Call(env.Shape.Abs, Emit(c.Arguments[0], env)),
        IrCall { Function: Builtin.Sqrt } c => Ex.Call(env.Shape.Sqrt, Emit(c.Arguments[0], env)),
        IrCall { Function: Builtin.Floor } c => Ex.Call(env.Shape.Floor, Emit(c.Arguments[0], env)),
        IrCall { Function: Builtin.Ceil } c => Ex.Call(env.Shape.Ceiling, Emit(c.Arguments[0], env)),
        IrCall { Function: Builtin.Clip } c => Clip(c, env),
        IrCall c => Call(Scalar(c.Function), c.Arguments.Select(a => Emit(a, env)).ToList(), env),
        IrCond c => c.Then.Type == IrType.Bool
            ? Ex.Call(env.Shape.SelectMask, Emit(c.Condition, env), Emit(c.Then, env), Emit(c.Else, env))
            : Ex.Call(env.Shape.Select, Emit(c.Condition, env), Emit(c.Then, env), Emit(c.Else, env)),
        _ => throw new InvalidOperationException($"cannot vectorise {e.GetType().Name}"),
    };

    private static Ex Binary(IrBinary b, VectorEnvironment env)
    {
        var l = Emit(b.Left, env);
        var r = Emit(b.Right, env);
        var shape = env.Shape;
        return b.Op switch
        {
            BinaryOp.Add => Ex.Add(l, r),
            BinaryOp.Subtract => Ex.Subtract(l, r),
            BinaryOp.Multiply => Ex.Multiply(l, r),
            BinaryOp.Divide => Ex.Divide(l, r),
            BinaryOp.Modulo => Call(Mod, [l, r], env),
            BinaryOp.Power => Call(Pow, [l, r], env),
            BinaryOp.Less => Mask(shape.LessThan, l, r),
            BinaryOp.LessEqual => Mask(shape.LessThanOrEqual, l, r),
            BinaryOp.Greater => Mask(shape.GreaterThan, l, r),
            BinaryOp.GreaterEqual => Mask(shape.GreaterThanOrEqual, l, r),
            BinaryOp.Equal => Mask(shape.EqualTo, l, r),
            BinaryOp.NotEqual => Ex.Call(shape.Not, Mask(shape.EqualTo, l, r)),
            BinaryOp.And => Ex.Call(shape.And, l, r),
            BinaryOp.Or => Ex.Call(shape.Or, l, r),
            _ => throw new ArgumentOutOfRangeException(nameof(b), b.Op, null),
        };
    }

    /// <summary>clip x lo hi as <see cref="IrMath.Clip"/> defines it, lane by lane: x &lt; lo ? lo : x &gt; hi ? hi : x (a NaN x stays NaN).</summary>
    private static Ex Clip(IrCall c, VectorEnvironment env)
    {
        var shape = env.Shape;
        var x = Ex.Variable(shape.V, "clip_x");
        var lo = Ex.Variable(shape.V, "clip_lo");
        var hi = Ex.Variable(shape.V, "clip_hi");
        return Ex.Block(shape.V, [x, lo, hi],
            Ex.Assign(x, Emit(c.Arguments[0], env)),
            Ex.Assign(lo, Emit(c.Arguments[1], env)),
            Ex.Assign(hi, Emit(c.Arguments[2], env)),
            Ex.Call(shape.Select, Ex.Call(shape.LessThan, x, lo), lo, Ex.Call(shape.Select, Ex.Call(shape.GreaterThan, x, hi), hi, x)));
    }

    /// <summary>A scalar method applied lane by lane: arguments evaluated once as vectors, results gathered through the scratch buffer.</summary>
    private static Ex Call(MethodInfo method, IReadOnlyList<Ex> args, VectorEnvironment env)
    {
        var temps = args.Select((a, k) => Ex.Variable(env.Shape.V, $"arg{k}")).ToList();
        var body = new List<Ex>();
        for (var k = 0; k < args.Count; k++)
            body.Add(Ex.Assign(temps[k], args[k]));
        body.Add(PerLane(env, lane => Ex.Call(method, temps.Select(t => (Ex)Ex.Call(env.Shape.ElementOfDouble, t, Ex.Constant(lane))))));
        return Ex.Block(env.Shape.V, temps, body);
    }

    /// <summary>Builds a vector from one scalar expression per lane.</summary>
    private static Ex PerLane(VectorEnvironment env, Func<int, Ex> lane)
    {
        var body = new List<Ex>();
        for (var k = 0; k < env.Shape.Width; k++)
            body.Add(Ex.Assign(Ex.ArrayAccess(env.Scratch, Ex.Constant(k)), lane(k)));
        body.Add(env.Shape.Load(env.Scratch, Ex.Constant(0)));
        return Ex.Block(env.Shape.V, body);
    }

    /// <summary>Statements over all lanes; under an <c>if</c>, assignments keep the old value in lanes where the condition is false.</summary>
    public static Ex Emit(IEnumerable<IrStmt> statements, VectorEnvironment env, Ex? active = null)
    {
        var list = statements.Select(s => Emit(s, env, active)).ToList();
        return list.Count == 0 ? Ex.Empty() : Ex.Block(typeof(void), list);
    }

    private static Ex Emit(IrStmt s, VectorEnvironment env, Ex? active)
    {
        switch (s)
        {
            case IrAssign a:
            {
                var target = a.Target.Scope == VarScope.Local ? env.Local(a.Target) : env.Value(a.Target.Index, a.Target.Name);
                var value = Emit(a.Value, env);
                return Ex.Assign(target, active is null ? value : Ex.Call(env.Shape.Select, active, value, target));
            }
            case IrIf i:
            {
                var shape = env.Shape;
                var condition = Ex.Variable(shape.M, "cond");
                var then = active is null ? (Ex)condition : Ex.Call(shape.And, active, condition);
                var notCondition = Ex.Call(shape.Not, condition);
                var otherwise = active is null ? notCondition : Ex.Call(shape.And, active, notCondition);
                var thenMask = Ex.Variable(shape.M, "thenMask");
                var elseMask = Ex.Variable(shape.M, "elseMask");
                return Ex.Block([condition, thenMask, elseMask],
                    Ex.Assign(condition, Emit(i.Condition, env)),
                    Ex.Assign(thenMask, then),
                    Ex.Assign(elseMask, otherwise),
                    Emit(i.Then, env, thenMask),
                    Emit(i.Else, env, elseMask));
            }
            default:
                throw new InvalidOperationException($"cannot vectorise {s.GetType().Name}");
        }
    }
}
