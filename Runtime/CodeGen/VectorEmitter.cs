using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using BioLang.Language.IR;
using Ex = System.Linq.Expressions.Expression;

namespace BioLang.Runtime.CodeGen;

/// <summary>
/// IR to SIMD expression trees over <see cref="Vector{T}"/> lanes (one neuron per lane). Every
/// operation is the lane-wise form of what <see cref="ExpressionEmitter"/> emits: IEEE add,
/// subtract, multiply, divide, square root, floor and ceiling are exact per lane; functions
/// without an identical vector form (exp, log, pow, min, max, ...) are called per lane with the
/// scalar method, so the vector kernel stays bit-identical to the interpreter. Conditions are
/// lane masks (<see cref="Vector{T}"/> of long: all ones or zero).
/// </summary>
internal static class VectorEmitter
{
    public static readonly int Width = Vector<double>.Count;

    private static readonly Type V = typeof(Vector<double>);
    private static readonly Type M = typeof(Vector<long>);

    private static MethodInfo Generic(string name, int parameters, Type t) =>
        typeof(Vector).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .First(m => m.Name == name && m.IsGenericMethodDefinition && m.GetParameters().Length == parameters)
            .MakeGenericMethod(t);

    private static MethodInfo Plain(string name, params Type[] args) =>
        typeof(Vector).GetMethod(name, BindingFlags.Public | BindingFlags.Static, args) ?? throw new MissingMethodException(nameof(Vector), name);

    internal static readonly MethodInfo GreaterThan = Plain(nameof(Vector.GreaterThan), V, V);
    internal static readonly MethodInfo GreaterThanOrEqual = Plain(nameof(Vector.GreaterThanOrEqual), V, V);
    internal static readonly MethodInfo LessThan = Plain(nameof(Vector.LessThan), V, V);
    internal static readonly MethodInfo LessThanOrEqual = Plain(nameof(Vector.LessThanOrEqual), V, V);
    internal static readonly MethodInfo EqualTo = Plain(nameof(Vector.Equals), V, V);
    internal static readonly MethodInfo Select = Plain(nameof(Vector.ConditionalSelect), M, V, V);
    internal static readonly MethodInfo SelectMask = Generic(nameof(Vector.ConditionalSelect), 3, typeof(long));
    internal static readonly MethodInfo And = Generic(nameof(Vector.BitwiseAnd), 2, typeof(long));
    internal static readonly MethodInfo Or = Generic(nameof(Vector.BitwiseOr), 2, typeof(long));
    internal static readonly MethodInfo Not = Generic(nameof(Vector.OnesComplement), 1, typeof(long));
    internal static readonly MethodInfo Abs = Generic(nameof(Vector.Abs), 1, typeof(double));
    internal static readonly MethodInfo Sqrt = Generic(nameof(Vector.SquareRoot), 1, typeof(double));
    internal static readonly MethodInfo Floor = Plain(nameof(Vector.Floor), V);
    internal static readonly MethodInfo Ceiling = Plain(nameof(Vector.Ceiling), V);
    public static readonly MethodInfo ToDouble = Plain(nameof(Vector.ConvertToDouble), M);
    public static readonly MethodInfo ElementOfDouble = Generic(nameof(Vector.GetElement), 2, typeof(double));
    public static readonly MethodInfo ElementOfMask = Generic(nameof(Vector.GetElement), 2, typeof(long));
    public static readonly MethodInfo AllEqual = Generic(nameof(Vector.EqualsAll), 2, typeof(long));

    public static readonly ConstructorInfo Broadcast = V.GetConstructor([typeof(double)])!;
    public static readonly ConstructorInfo LoadDoubles = V.GetConstructor([typeof(double[]), typeof(int)])!;
    public static readonly ConstructorInfo LoadLongs = M.GetConstructor([typeof(long[]), typeof(int)])!;
    public static readonly ConstructorInfo BroadcastLong = M.GetConstructor([typeof(long)])!;
    public static readonly MethodInfo StoreDoubles = V.GetMethod(nameof(Vector<double>.CopyTo), [typeof(double[]), typeof(int)])!;

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
internal abstract class VectorEnvironment
{
    private readonly Dictionary<double, ParameterExpression> _constants = [];
    private readonly Dictionary<int, ParameterExpression> _locals = [];

    /// <summary>Broadcast constants, hoisted out of the loop.</summary>
    public IEnumerable<(ParameterExpression Variable, double Value)> Constants => _constants.Select(kv => (kv.Value, kv.Key));

    public ParameterExpression Constant(double value)
    {
        if (!_constants.TryGetValue(value, out var p))
            _constants[value] = p = Ex.Variable(typeof(Vector<double>), $"c{_constants.Count}");
        return p;
    }

    public ParameterExpression Local(VarRef v)
    {
        if (!_locals.TryGetValue(v.Index, out var p))
            _locals[v.Index] = p = Ex.Variable(typeof(Vector<double>), "l_" + v.Name);
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
        IrBool b => Ex.Constant(b.Value ? new Vector<long>(-1L) : Vector<long>.Zero),
        IrVar v => env.Read(v.Ref),
        IrSpecial s => env.Special(s.Kind),
        IrNotRefractory => env.NotRefractory,
        IrHost h => env.Host(h.Index),
        IrRandom r => env.RandomLanes(r.Kind, r.Site) ?? PerLane(env, k => env.Random(r.Kind, r.Site, env.Lane(k))),
        // x·(-1) rather than 0 - x, so a zero keeps the sign the scalar negation gives it.
        IrUnary { Op: UnaryOp.Negate } u => Ex.Multiply(Emit(u.Operand, env), env.Constant(-1.0)),
        IrUnary u => Ex.Call(VectorEmitter.Not, Emit(u.Operand, env)),
        IrBinary b => Binary(b, env),
        IrCall { Function: Builtin.Abs } c => Ex.Call(VectorEmitter.Abs, Emit(c.Arguments[0], env)),
        IrCall { Function: Builtin.Sqrt } c => Ex.Call(VectorEmitter.Sqrt, Emit(c.Arguments[0], env)),
        IrCall { Function: Builtin.Floor } c => Ex.Call(VectorEmitter.Floor, Emit(c.Arguments[0], env)),
        IrCall { Function: Builtin.Ceil } c => Ex.Call(VectorEmitter.Ceiling, Emit(c.Arguments[0], env)),
        IrCall c => Call(Scalar(c.Function), c.Arguments.Select(a => Emit(a, env)).ToList(), env),
        IrCond c => c.Then.Type == IrType.Bool
            ? Ex.Call(VectorEmitter.SelectMask, Emit(c.Condition, env), Emit(c.Then, env), Emit(c.Else, env))
            : Ex.Call(VectorEmitter.Select, Emit(c.Condition, env), Emit(c.Then, env), Emit(c.Else, env)),
        _ => throw new InvalidOperationException($"cannot vectorise {e.GetType().Name}"),
    };

    private static Ex Binary(IrBinary b, VectorEnvironment env)
    {
        var l = Emit(b.Left, env);
        var r = Emit(b.Right, env);
        return b.Op switch
        {
            BinaryOp.Add => Ex.Add(l, r),
            BinaryOp.Subtract => Ex.Subtract(l, r),
            BinaryOp.Multiply => Ex.Multiply(l, r),
            BinaryOp.Divide => Ex.Divide(l, r),
            BinaryOp.Modulo => Call(Mod, [l, r], env),
            BinaryOp.Power => Call(Pow, [l, r], env),
            BinaryOp.Less => Mask(VectorEmitter.LessThan, l, r),
            BinaryOp.LessEqual => Mask(VectorEmitter.LessThanOrEqual, l, r),
            BinaryOp.Greater => Mask(VectorEmitter.GreaterThan, l, r),
            BinaryOp.GreaterEqual => Mask(VectorEmitter.GreaterThanOrEqual, l, r),
            BinaryOp.Equal => Mask(VectorEmitter.EqualTo, l, r),
            BinaryOp.NotEqual => Ex.Call(VectorEmitter.Not, Mask(VectorEmitter.EqualTo, l, r)),
            BinaryOp.And => Ex.Call(VectorEmitter.And, l, r),
            BinaryOp.Or => Ex.Call(VectorEmitter.Or, l, r),
            _ => throw new ArgumentOutOfRangeException(nameof(b), b.Op, null),
        };
    }

    /// <summary>A scalar method applied lane by lane: arguments evaluated once as vectors, results gathered through the scratch buffer.</summary>
    private static Ex Call(MethodInfo method, IReadOnlyList<Ex> args, VectorEnvironment env)
    {
        var temps = args.Select((a, k) => Ex.Variable(typeof(Vector<double>), $"arg{k}")).ToList();
        var body = new List<Ex>();
        for (var k = 0; k < args.Count; k++)
            body.Add(Ex.Assign(temps[k], args[k]));
        body.Add(PerLane(env, lane => Ex.Call(method, temps.Select(t => (Ex)Ex.Call(VectorEmitter.ElementOfDouble, t, Ex.Constant(lane))))));
        return Ex.Block(typeof(Vector<double>), temps, body);
    }

    /// <summary>Builds a vector from one scalar expression per lane.</summary>
    private static Ex PerLane(VectorEnvironment env, Func<int, Ex> lane)
    {
        var body = new List<Ex>();
        for (var k = 0; k < VectorEmitter.Width; k++)
            body.Add(Ex.Assign(Ex.ArrayAccess(env.Scratch, Ex.Constant(k)), lane(k)));
        body.Add(Ex.New(VectorEmitter.LoadDoubles, env.Scratch, Ex.Constant(0)));
        return Ex.Block(typeof(Vector<double>), body);
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
                return Ex.Assign(target, active is null ? value : Ex.Call(VectorEmitter.Select, active, value, target));
            }
            case IrIf i:
            {
                var condition = Ex.Variable(typeof(Vector<long>), "cond");
                var then = active is null ? (Ex)condition : Ex.Call(VectorEmitter.And, active, condition);
                var notCondition = Ex.Call(VectorEmitter.Not, condition);
                var otherwise = active is null ? notCondition : Ex.Call(VectorEmitter.And, active, notCondition);
                var thenMask = Ex.Variable(typeof(Vector<long>), "thenMask");
                var elseMask = Ex.Variable(typeof(Vector<long>), "elseMask");
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
