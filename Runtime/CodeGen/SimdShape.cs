using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BioLang.Language.IR;
using Ex = System.Linq.Expressions.Expression;

namespace BioLang.Runtime.CodeGen;

/// <summary>
/// The vector type a neuron kernel computes with, and how to build each operation on it as an expression
/// tree: <see cref="Vector{T}"/> (the machine's preferred width, 256 bits on AVX2 and on AVX-512 machines
/// alike) or <see cref="Vector512{T}"/> (8 doubles, where AVX-512 runs it in hardware). Values are vectors of
/// double, conditions vectors of long (all ones or zero per lane). Every operation is the lane-wise IEEE
/// operation, so both shapes give the scalar kernel's results bit for bit.
/// </summary>
internal sealed class SimdShape
{
    public required string Name { get; init; }

    public required int Width { get; init; }

    /// <summary>The vector of doubles.</summary>
    public required Type V { get; init; }

    /// <summary>The vector of longs that holds masks and step counts.</summary>
    public required Type M { get; init; }

    public required MethodInfo GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual, EqualTo;
    public required MethodInfo LongGreaterThanOrEqual, Select, SelectMask, And, Or, Not;
    public required MethodInfo Abs, Sqrt, Floor, Ceiling, ToDouble, ElementOfDouble, ElementOfMask, AllEqual;
    public required Func<Ex, Ex> Broadcast, BroadcastLong;

    /// <summary>(array, index) → the vector of array[index .. index + Width).</summary>
    public required Func<Ex, Ex, Ex> Load, LoadLongs;

    /// <summary>(vector, array, index) → stores the vector at array[index ..].</summary>
    public required Func<Ex, Ex, Ex, Ex> Store;

    /// <summary>
    /// Loads and stores that check nothing: a kernel using them must first call <see cref="CheckRange"/> on every
    /// array it touches, once, with the range its loop covers.
    /// </summary>
    public required bool Unchecked { get; init; }

    /// <summary>(values, indices, s) → the vector of values[indices[s + k]] for each lane k (bounds-checked: the indices are data).</summary>
    public required Func<Ex, Ex, Ex, Ex> Gather;

    /// <summary>(array, start, end) → throws unless the array holds [start, end).</summary>
    public static Ex CheckRange(Ex array, Ex start, Ex end) =>
        Ex.Call(typeof(Simd512).GetMethod(nameof(Simd512.CheckRange))!, array, start, end);

    /// <summary>Draws for Width consecutive elements at once, bit for bit the scalar draws; null where the lanes are drawn one by one.</summary>
    public required MethodInfo? DrawLanes { get; init; }

    public required object AllTrue, AllFalse;

    public required Func<double[], object> FromDoubles;

    public Ex Mask(bool value) => Ex.Constant(value ? AllTrue : AllFalse, M);

    public Ex Lanes => Ex.Constant(FromDoubles([.. Enumerable.Range(0, Width).Select(x => (double)x)]), V);

    /// <summary>Vector&lt;T&gt; through System.Numerics.Vector's own methods.</summary>
    public static readonly SimdShape Numerics = CreateNumerics();

    /// <summary>Vector512&lt;T&gt; through the wrappers of <see cref="Simd512"/>; null where AVX-512 does not run it in hardware.</summary>
    public static readonly SimdShape? Wide = Vector512.IsHardwareAccelerated && Vector<double>.Count < 8 ? CreateWide() : null;

    /// <summary>
    /// The shape kernels use: the wide one where the hardware has it, unless <c>BIOLANG_SIMD=256</c> asks for
    /// Vector&lt;T&gt; (for comparisons); null (scalar kernels) with <c>BIOLANG_SIMD=0</c> or without SIMD hardware.
    /// </summary>
    public static SimdShape? Preferred { get; } = Environment.GetEnvironmentVariable("BIOLANG_SIMD") switch
    {
        "0" or "off" => null,
        "256" => Vector.IsHardwareAccelerated && Vector<double>.Count > 1 ? Numerics : null,
        _ => Wide ?? (Vector.IsHardwareAccelerated && Vector<double>.Count > 1 ? Numerics : null),
    };

    private static SimdShape CreateNumerics()
    {
        var v = typeof(Vector<double>);
        var m = typeof(Vector<long>);
        MethodInfo Generic(string name, int parameters, Type t) =>
            typeof(Vector).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .First(x => x.Name == name && x.IsGenericMethodDefinition && x.GetParameters().Length == parameters)
                .MakeGenericMethod(t);
        MethodInfo Plain(string name, params Type[] args) =>
            typeof(Vector).GetMethod(name, BindingFlags.Public | BindingFlags.Static, args) ?? throw new MissingMethodException(nameof(Vector), name);
        var broadcast = v.GetConstructor([typeof(double)])!;
        var broadcastLong = m.GetConstructor([typeof(long)])!;
        var load = typeof(SimdVector).GetMethod(nameof(SimdVector.Load), [typeof(double[]), typeof(int)])!;
        var loadLongs = typeof(SimdVector).GetMethod(nameof(SimdVector.Load), [typeof(long[]), typeof(int)])!;
        var store = typeof(SimdVector).GetMethod(nameof(SimdVector.Store))!;
        var drawLanes = typeof(KernelRandom).GetMethod(nameof(KernelRandom.DrawLanes))!;
        return new SimdShape
        {
            Name = $"Vector<double> x{Vector<double>.Count}",
            Width = Vector<double>.Count,
            V = v,
            M = m,
            GreaterThan = Plain(nameof(Vector.GreaterThan), v, v),
            GreaterThanOrEqual = Plain(nameof(Vector.GreaterThanOrEqual), v, v),
            LessThan = Plain(nameof(Vector.LessThan), v, v),
            LessThanOrEqual = Plain(nameof(Vector.LessThanOrEqual), v, v),
            EqualTo = Plain(nameof(Vector.Equals), v, v),
            LongGreaterThanOrEqual = Plain(nameof(Vector.GreaterThanOrEqual), m, m),
            Select = Plain(nameof(Vector.ConditionalSelect), m, v, v),
            SelectMask = Generic(nameof(Vector.ConditionalSelect), 3, typeof(long)),
            And = Generic(nameof(Vector.BitwiseAnd), 2, typeof(long)),
            Or = Generic(nameof(Vector.BitwiseOr), 2, typeof(long)),
            Not = Generic(nameof(Vector.OnesComplement), 1, typeof(long)),
            Abs = Generic(nameof(Vector.Abs), 1, typeof(double)),
            Sqrt = Generic(nameof(Vector.SquareRoot), 1, typeof(double)),
            Floor = Plain(nameof(Vector.Floor), v),
            Ceiling = Plain(nameof(Vector.Ceiling), v),
            ToDouble = Plain(nameof(Vector.ConvertToDouble), m),
            ElementOfDouble = Generic(nameof(Vector.GetElement), 2, typeof(double)),
            ElementOfMask = Generic(nameof(Vector.GetElement), 2, typeof(long)),
            AllEqual = Generic(nameof(Vector.EqualsAll), 2, typeof(long)),
            Broadcast = x => Ex.New(broadcast, x),
            BroadcastLong = x => Ex.New(broadcastLong, x),
            Load = (a, i) => Ex.Call(load, a, i),
            LoadLongs = (a, i) => Ex.Call(loadLongs, a, i),
            Store = (value, a, i) => Ex.Call(store, value, a, i),
            Unchecked = true,
            Gather = (values, index, s) => Ex.Call(typeof(SimdVector).GetMethod(nameof(SimdVector.Gather))!, values, index, s),
            DrawLanes = Randomness.PhiloxLanes.Supported && Vector<double>.Count == 4 ? drawLanes : null,
            AllTrue = new Vector<long>(-1L),
            AllFalse = Vector<long>.Zero,
            FromDoubles = d => new Vector<double>(d),
        };
    }

    private static SimdShape CreateWide()
    {
        var ops = typeof(Simd512);
        MethodInfo Op(string name, params Type[] args) => ops.GetMethod(name, args) ?? throw new MissingMethodException(nameof(Simd512), name);
        var v = typeof(Vector512<double>);
        var m = typeof(Vector512<long>);
        var broadcast = Op(nameof(Simd512.Broadcast), typeof(double));
        var broadcastLong = Op(nameof(Simd512.Broadcast), typeof(long));
        var load = Op(nameof(Simd512.Load), typeof(double[]), typeof(int));
        var loadLongs = Op(nameof(Simd512.Load), typeof(long[]), typeof(int));
        var store = Op(nameof(Simd512.Store), v, typeof(double[]), typeof(int));
        return new SimdShape
        {
            Name = "Vector512<double> x8",
            Width = 8,
            V = v,
            M = m,
            GreaterThan = Op(nameof(Simd512.GreaterThan), v, v),
            GreaterThanOrEqual = Op(nameof(Simd512.GreaterThanOrEqual), v, v),
            LessThan = Op(nameof(Simd512.LessThan), v, v),
            LessThanOrEqual = Op(nameof(Simd512.LessThanOrEqual), v, v),
            EqualTo = Op(nameof(Simd512.EqualTo), v, v),
            LongGreaterThanOrEqual = Op(nameof(Simd512.GreaterThanOrEqual), m, m),
            Select = Op(nameof(Simd512.Select), m, v, v),
            SelectMask = Op(nameof(Simd512.Select), m, m, m),
            And = Op(nameof(Simd512.And), m, m),
            Or = Op(nameof(Simd512.Or), m, m),
            Not = Op(nameof(Simd512.Not), m),
            Abs = Op(nameof(Simd512.Abs), v),
            Sqrt = Op(nameof(Simd512.Sqrt), v),
            Floor = Op(nameof(Simd512.Floor), v),
            Ceiling = Op(nameof(Simd512.Ceiling), v),
            ToDouble = Op(nameof(Simd512.ToDouble), m),
            ElementOfDouble = Op(nameof(Simd512.Element), v, typeof(int)),
            ElementOfMask = Op(nameof(Simd512.Element), m, typeof(int)),
            AllEqual = Op(nameof(Simd512.AllEqual), m, m),
            Broadcast = x => Ex.Call(broadcast, x),
            BroadcastLong = x => Ex.Call(broadcastLong, x),
            Load = (a, i) => Ex.Call(load, a, i),
            LoadLongs = (a, i) => Ex.Call(loadLongs, a, i),
            Store = (value, a, i) => Ex.Call(store, value, a, i),
            Unchecked = true,
            Gather = (values, index, s) => Ex.Call(ops.GetMethod(nameof(Simd512.Gather))!, values, index, s),
            DrawLanes = Randomness.PhiloxLanes.Supported256 ? ops.GetMethod(nameof(Simd512.DrawLanes))! : null,
            AllTrue = Vector512<long>.AllBitsSet,
            AllFalse = Vector512<long>.Zero,
            FromDoubles = d => Vector512.Create(d),
        };
    }
}

/// <summary>Vector&lt;T&gt; loads and stores without bounds checks, for kernels that call <see cref="Simd512.CheckRange"/> first.</summary>
public static class SimdVector
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Load(double[] a, int i) => Vector.LoadUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a), (nuint)i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<long> Load(long[] a, int i) => Vector.LoadUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a), (nuint)i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector<double> v, double[] a, int i) => v.StoreUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a), (nuint)i);

    public static Vector<double> Gather(double[] values, int[] index, int s)
    {
        Span<double> lanes = stackalloc double[Vector<double>.Count];
        for (var k = 0; k < lanes.Length; k++)
            lanes[k] = values[index[s + k]];
        return new Vector<double>(lanes);
    }
}

/// <summary>
/// Vector512 operations with the signatures the kernels expect of <see cref="Vector"/>: comparisons give
/// vectors of long, selections take them. Small enough for the JIT to inline into every kernel.
/// </summary>
public static class Simd512
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> GreaterThan(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThan(a, b).AsInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> GreaterThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThanOrEqual(a, b).AsInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> LessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b).AsInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> LessThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqual(a, b).AsInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> EqualTo(Vector512<double> a, Vector512<double> b) => Vector512.Equals(a, b).AsInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> GreaterThanOrEqual(Vector512<long> a, Vector512<long> b) => Vector512.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Select(Vector512<long> mask, Vector512<double> a, Vector512<double> b) => Vector512.ConditionalSelect(mask.AsDouble(), a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> Select(Vector512<long> mask, Vector512<long> a, Vector512<long> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> And(Vector512<long> a, Vector512<long> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> Or(Vector512<long> a, Vector512<long> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> Not(Vector512<long> a) => ~a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Abs(Vector512<double> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Sqrt(Vector512<double> a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Floor(Vector512<double> a) => Vector512.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Ceiling(Vector512<double> a) => Vector512.Ceiling(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> ToDouble(Vector512<long> a) => Vector512.ConvertToDouble(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Element(Vector512<double> a, int k) => a.GetElement(k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static long Element(Vector512<long> a, int k) => a.GetElement(k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllEqual(Vector512<long> a, Vector512<long> b) => Vector512.EqualsAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Gather(double[] values, int[] index, int s) =>
        Vector512.Create(values[index[s]], values[index[s + 1]], values[index[s + 2]], values[index[s + 3]],
            values[index[s + 4]], values[index[s + 5]], values[index[s + 6]], values[index[s + 7]]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Broadcast(double x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> Broadcast(long x) => Vector512.Create(x);
    /// <summary>The guard of the unchecked loads and stores: the kernel's loop touches [start, end) of <paramref name="a"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckRange(Array a, int start, int end)
    {
        if (start < 0 || end > a.Length)
            OutOfRange(a, start, end);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void OutOfRange(Array a, int start, int end) =>
        throw new IndexOutOfRangeException($"kernel range [{start}, {end}) outside an array of {a.Length}");

    // Loads and stores without bounds checks: the kernels call CheckRange first (SimdShape.Unchecked).
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(double[] a, int i) => Vector512.LoadUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a), (nuint)i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<long> Load(long[] a, int i) => Vector512.LoadUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a), (nuint)i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> v, double[] a, int i) => v.StoreUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a), (nuint)i);

    /// <summary>Draws of elements element .. element + 7, bit for bit the scalar draws: one eight-lane Philox block, or two four-lane ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> DrawLanes(RandomKind kind, ulong seed, uint stream, int element, long step, int site)
    {
        var counter = (ulong)step * KernelRandom.SitesPerStep + (ulong)site;
        if (Randomness.PhiloxLanes.Supported512)
            return kind == RandomKind.Uniform
                ? Randomness.PhiloxLanes.Uniform512(seed, stream, element, counter)
                : Randomness.PhiloxLanes.Normal512(seed, stream, element, counter);
        return Vector512.Create(KernelRandom.DrawLanes256(kind, seed, stream, element, step, site), KernelRandom.DrawLanes256(kind, seed, stream, element + 4, step, site));
    }
}

/// <summary>
/// Software prefetch for kernels that visit synapses in an order the hardware cannot guess (on post
/// goes down a column: each synapse in another row, its state on other cache lines).
/// </summary>
public static class Prefetch
{
    /// <summary>Asks for the cache line holding a[i]; nothing for a null array or where SSE is missing. Never faults.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(T[]? a, int i)
        where T : unmanaged
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported && a is not null)
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a), (nint)(uint)i)));
    }
}
