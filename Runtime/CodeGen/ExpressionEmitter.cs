using System.Linq.Expressions;
using System.Reflection;
using BioLang.Language.IR;
using Ex = System.Linq.Expressions.Expression;

namespace BioLang.Runtime.CodeGen;

/// <summary>How a kernel reaches its variables: the emitter asks, the kernel template answers.</summary>
internal abstract class EmitEnvironment
{
    private readonly Dictionary<int, ParameterExpression> _locals = [];

    public abstract Ex Read(VarRef v);

    public abstract Ex Write(VarRef v, Ex value);

    public abstract Ex Special(Special kind);

    public abstract Ex Random(RandomKind kind, int site);

    public virtual Ex NotRefractory => throw new InvalidOperationException("refractoriness outside a neuron update");

    public virtual Ex Host(int index) => throw new InvalidOperationException("host values outside a neuron");

    public virtual Ex SinceLastUpdate => throw new InvalidOperationException("event-driven variables outside a synapse");

    public virtual Ex MarkUpdated() => throw new InvalidOperationException("event-driven variables outside a synapse");

    /// <summary>e^{rate·Δ} since the last event; environments with a decay table override it.</summary>
    public virtual Ex Decay(double rate) => Ex.Call(typeof(Math).GetMethod(nameof(Math.Exp), [typeof(double)])!, Ex.Multiply(Ex.Constant(rate), SinceLastUpdate));

    public ParameterExpression Local(VarRef v)
    {
        if (!_locals.TryGetValue(v.Index, out var p))
            _locals[v.Index] = p = Ex.Variable(typeof(double), "l_" + v.Name);
        return p;
    }

    public IEnumerable<ParameterExpression> Locals => _locals.Values;
}

/// <summary>IR to System.Linq.Expressions, operation for operation, so results match the interpreter bit for bit.</summary>
internal static class ExpressionEmitter
{
    private static MethodInfo M(Type t, string name, params Type[] args) => t.GetMethod(name, args) ?? throw new MissingMethodException(t.Name, name);

    private static readonly MethodInfo Pow = M(typeof(Math), nameof(Math.Pow), typeof(double), typeof(double));

    private static MethodInfo BuiltinMethod(Builtin f) => f switch
    {
        Builtin.Exp => M(typeof(Math), nameof(Math.Exp), typeof(double)),
        Builtin.Log => M(typeof(Math), nameof(Math.Log), typeof(double)),
        Builtin.Log10 => M(typeof(Math), nameof(Math.Log10), typeof(double)),
        Builtin.Sqrt => M(typeof(Math), nameof(Math.Sqrt), typeof(double)),
        Builtin.Abs => M(typeof(Math), nameof(Math.Abs), typeof(double)),
        Builtin.Min => M(typeof(Math), nameof(Math.Min), typeof(double), typeof(double)),
        Builtin.Max => M(typeof(Math), nameof(Math.Max), typeof(double), typeof(double)),
        Builtin.Clip => M(typeof(IrMath), nameof(IrMath.Clip), typeof(double), typeof(double), typeof(double)),
        Builtin.Sin => M(typeof(Math), nameof(Math.Sin), typeof(double)),
        Builtin.Cos => M(typeof(Math), nameof(Math.Cos), typeof(double)),
        Builtin.Tan => M(typeof(Math), nameof(Math.Tan), typeof(double)),
        Builtin.Tanh => M(typeof(Math), nameof(Math.Tanh), typeof(double)),
        Builtin.Sinh => M(typeof(Math), nameof(Math.Sinh), typeof(double)),
        Builtin.Cosh => M(typeof(Math), nameof(Math.Cosh), typeof(double)),
        Builtin.Atan => M(typeof(Math), nameof(Math.Atan), typeof(double)),
        Builtin.Atan2 => M(typeof(Math), nameof(Math.Atan2), typeof(double), typeof(double)),
        Builtin.Floor => M(typeof(Math), nameof(Math.Floor), typeof(double)),
        Builtin.Ceil => M(typeof(Math), nameof(Math.Ceiling), typeof(double)),
        Builtin.Round => M(typeof(IrMath), nameof(IrMath.Round), typeof(double)),
        Builtin.Sign => M(typeof(IrMath), nameof(IrMath.Sign), typeof(double)),
        Builtin.Heaviside => M(typeof(IrMath), nameof(IrMath.Heaviside), typeof(double)),
        Builtin.Exprel => M(typeof(IrMath), nameof(IrMath.Exprel), typeof(double)),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, null),
    };

    private static readonly MethodInfo Mod = M(typeof(IrMath), nameof(IrMath.Mod), typeof(double), typeof(double));

    public static Ex Emit(IrExpr e, EmitEnvironment env) => e switch
    {
        IrConst c => Ex.Constant(c.Value),
        IrParam p => Ex.Constant(p.Value),
        IrBool b => Ex.Constant(b.Value),
        IrVar v => env.Read(v.Ref),
        IrSpecial s => env.Special(s.Kind),
        IrNotRefractory => env.NotRefractory,
        IrSinceLastUpdate => env.SinceLastUpdate,
        IrDecay d => env.Decay(d.Rate),
        IrHost h => env.Host(h.Index),
        IrRandom r => env.Random(r.Kind, r.Site),
        IrUnary { Op: UnaryOp.Negate } u => Ex.Negate(Emit(u.Operand, env)),
        IrUnary u => Ex.Not(Emit(u.Operand, env)),
        IrBinary b => Binary(b, env),
        IrCall c => Ex.Call(BuiltinMethod(c.Function), c.Arguments.Select(a => Emit(a, env))),
        IrCond c => Ex.Condition(Emit(c.Condition, env), Emit(c.Then, env), Emit(c.Else, env)),
        _ => throw new InvalidOperationException($"cannot emit {e.GetType().Name}"),
    };

    private static Ex Binary(IrBinary b, EmitEnvironment env)
    {
        var l = Emit(b.Left, env);
        var r = Emit(b.Right, env);
        return b.Op switch
        {
            BinaryOp.Add => Ex.Add(l, r),
            BinaryOp.Subtract => Ex.Subtract(l, r),
            BinaryOp.Multiply => Ex.Multiply(l, r),
            BinaryOp.Divide => Ex.Divide(l, r),
            BinaryOp.Modulo => Ex.Call(Mod, l, r),
            BinaryOp.Power => Ex.Call(Pow, l, r),
            BinaryOp.Less => Ex.LessThan(l, r),
            BinaryOp.LessEqual => Ex.LessThanOrEqual(l, r),
            BinaryOp.Greater => Ex.GreaterThan(l, r),
            BinaryOp.GreaterEqual => Ex.GreaterThanOrEqual(l, r),
            BinaryOp.Equal => Ex.Equal(l, r),
            BinaryOp.NotEqual => Ex.NotEqual(l, r),
            BinaryOp.And => Ex.AndAlso(l, r),
            BinaryOp.Or => Ex.OrElse(l, r),
            _ => throw new ArgumentOutOfRangeException(nameof(b), b.Op, null),
        };
    }

    public static Ex Emit(IEnumerable<IrStmt> statements, EmitEnvironment env)
    {
        var list = statements.Select(s => Emit(s, env)).ToList();
        return list.Count == 0 ? Ex.Empty() : Ex.Block(typeof(void), list);
    }

    private static Ex Emit(IrStmt s, EmitEnvironment env) => s switch
    {
        IrAssign a => env.Write(a.Target, Emit(a.Value, env)),
        IrIf i => Ex.IfThenElse(Emit(i.Condition, env), Emit(i.Then, env), Emit(i.Else, env)),
        IrMarkUpdated => env.MarkUpdated(),
        _ => throw new InvalidOperationException($"cannot emit {s.GetType().Name}"),
    };

    /// <summary><c>for (var i = from; i &lt; to; i++) body(i)</c>.</summary>
    public static Ex For(ParameterExpression i, Ex from, Ex to, Ex body)
    {
        var exit = Ex.Label("exit");
        return Ex.Block(
            Ex.Assign(i, from),
            Ex.Loop(
                Ex.IfThenElse(
                    Ex.LessThan(i, to),
                    Ex.Block(body, Ex.PreIncrementAssign(i)),
                    Ex.Break(exit)),
                exit));
    }
}
