using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BioLang.Runtime.Randomness;

/// <summary>
/// Philox4x32-10 for four consecutive entities at once (one per SIMD lane), bit for bit the blocks
/// <see cref="Philox.Block"/> gives each of them: the lanes differ only in the entity word, and
/// AVX2's 32×32→64 multiply computes a round's two products for all four lanes. A neuron kernel
/// that draws a random number per neuron per step spends most of its time here otherwise.
/// </summary>
internal static class PhiloxLanes
{
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    public static bool Supported => Vector<double>.Count == 4 && Avx2.IsSupported;

    /// <summary>The four-lane blocks themselves (<see cref="Uniform256"/>, <see cref="Normal256"/>), whatever width Vector&lt;T&gt; has.</summary>
    public static bool Supported256 => Avx2.IsSupported;

    // Vector constants are written where they are used, not kept in static fields: a static field's
    // class-initialisation check is a possible call inside a kernel's loop, and around it the JIT keeps
    // every vector of the loop on the stack.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(ulong seed, uint stream, uint entity, ulong counter,
        out Vector256<ulong> r0, out Vector256<ulong> r1, out Vector256<ulong> r2, out Vector256<ulong> r3)
    {
        var c0 = Vector256.Create((ulong)(uint)counter);
        var c1 = Vector256.Create((ulong)(uint)(counter >> 32));
        var c2 = (Vector256.Create((ulong)entity) + Vector256.Create(0UL, 1UL, 2UL, 3UL)) & Vector256.Create(0xFFFFFFFFUL);
        var c3 = Vector256.Create((ulong)stream);
        var k0 = (uint)seed;
        var k1 = (uint)(seed >> 32);
        // Ten rounds written out (see Block8).
        Round4(ref c0, ref c1, ref c2, ref c3, k0, k1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round4(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        r0 = c0;
        r1 = c1;
        r2 = c2;
        r3 = c3;
    }

    /// <summary>One Philox round on four lanes: each 64-bit lane holds one 32-bit word, so the even-lane multiply gives full products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round4(ref Vector256<ulong> c0, ref Vector256<ulong> c1, ref Vector256<ulong> c2, ref Vector256<ulong> c3, uint k0, uint k1)
    {
        var product0 = Avx2.Multiply(c0.AsUInt32(), Vector256.Create((ulong)M0).AsUInt32());
        var product1 = Avx2.Multiply(c2.AsUInt32(), Vector256.Create((ulong)M1).AsUInt32());
        c0 = (product1 >>> 32) ^ c1 ^ Vector256.Create((ulong)k0);
        c2 = (product0 >>> 32) ^ c3 ^ Vector256.Create((ulong)k1);
        c1 = product1 & Vector256.Create(0xFFFFFFFFUL);
        c3 = product0 & Vector256.Create(0xFFFFFFFFUL);
    }

    /// <summary>Uniform [0, 1) draws of entities element .. element+3, equal to <see cref="CounterRng.Uniform(uint, uint, ulong)"/> for each.</summary>
    public static Vector<double> Uniform(ulong seed, uint stream, int element, ulong counter) =>
        Uniform256(seed, stream, element, counter).AsVector();

    public static Vector256<double> Uniform256(ulong seed, uint stream, int element, ulong counter)
    {
        Block(seed, stream, (uint)element, counter, out var r0, out var r1, out _, out _);
        var bits = ((r1 << 32) | r0) >>> 11;
        return Vector256.ConvertToDouble(bits) * TwoToMinus53;
    }

    /// <summary>Standard normal draws of entities element .. element+3 (Box–Muller per lane, as <see cref="CounterRng.Normal(uint, uint, ulong)"/>).</summary>
    public static Vector<double> Normal(ulong seed, uint stream, int element, ulong counter) =>
        Normal256(seed, stream, element, counter).AsVector();

    public static Vector256<double> Normal256(ulong seed, uint stream, int element, ulong counter)
    {
        Block(seed, stream, (uint)element, counter, out var r0, out var r1, out var r2, out var r3);
        Span<double> lanes = stackalloc double[4];
        for (var k = 0; k < 4; k++)
        {
            var radius = Math.Sqrt(-2.0 * Math.Log(CounterRng.ToUniformOpen((uint)r0.GetElement(k), (uint)r1.GetElement(k))));
            lanes[k] = radius * Math.Cos(2.0 * Math.PI * CounterRng.ToUniform((uint)r2.GetElement(k), (uint)r3.GetElement(k)));
        }
        return Vector256.Create((ReadOnlySpan<double>)lanes);
    }

    // ---- eight lanes (AVX-512) ------------------------------------------------------------------

    /// <summary>Eight entities per block call, where AVX-512 has the 32×32→64 multiply on 512-bit vectors.</summary>
    public static bool Supported512 => Avx512F.IsSupported && Avx512DQ.IsSupported;


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(ulong seed, uint stream, uint entity, ulong counter,
        out Vector512<ulong> r0, out Vector512<ulong> r1, out Vector512<ulong> r2, out Vector512<ulong> r3)
    {
        var c0 = Vector512.Create((ulong)(uint)counter);
        var c1 = Vector512.Create((ulong)(uint)(counter >> 32));
        var c2 = (Vector512.Create((ulong)entity) + Vector512.Create(0UL, 1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL)) & Vector512.Create(0xFFFFFFFFUL);
        var c3 = Vector512.Create((ulong)stream);
        var k0 = (uint)seed;
        var k1 = (uint)(seed >> 32);
        // Ten rounds written out: as a loop, the JIT kept the four words on the stack between rounds, and a
        // 64-byte reload from a stack slot that is not 64-byte aligned (where it lands depends on the thread's
        // stack) stalls on store forwarding, which made a neuron kernel's draws 2.5 times slower half the time.
        Round8(ref c0, ref c1, ref c2, ref c3, k0, k1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        Round8(ref c0, ref c1, ref c2, ref c3, k0 += W0, k1 += W1);
        r0 = c0;
        r1 = c1;
        r2 = c2;
        r3 = c3;
    }

    /// <summary>One Philox round on eight lanes: each 64-bit lane holds one 32-bit word, so the even-lane multiply gives full products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round8(ref Vector512<ulong> c0, ref Vector512<ulong> c1, ref Vector512<ulong> c2, ref Vector512<ulong> c3, uint k0, uint k1)
    {
        var product0 = Avx512F.Multiply(c0.AsUInt32(), Vector512.Create((ulong)M0).AsUInt32());
        var product1 = Avx512F.Multiply(c2.AsUInt32(), Vector512.Create((ulong)M1).AsUInt32());
        c0 = (product1 >>> 32) ^ c1 ^ Vector512.Create((ulong)k0);
        c2 = (product0 >>> 32) ^ c3 ^ Vector512.Create((ulong)k1);
        c1 = product1 & Vector512.Create(0xFFFFFFFFUL);
        c3 = product0 & Vector512.Create(0xFFFFFFFFUL);
    }

    /// <summary>Uniform [0, 1) draws of entities element .. element+7, each equal to <see cref="CounterRng.Uniform(uint, uint, ulong)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Uniform512(ulong seed, uint stream, int element, ulong counter)
    {
        Block8(seed, stream, (uint)element, counter, out var r0, out var r1, out _, out _);
        var bits = ((r1 << 32) | r0) >>> 11;
        return Vector512.ConvertToDouble(bits) * TwoToMinus53;
    }

    /// <summary>Standard normal draws of entities element .. element+7 (Box–Muller per lane, as <see cref="CounterRng.Normal(uint, uint, ulong)"/>).</summary>
    public static Vector512<double> Normal512(ulong seed, uint stream, int element, ulong counter)
    {
        Block8(seed, stream, (uint)element, counter, out var r0, out var r1, out var r2, out var r3);
        Span<double> lanes = stackalloc double[8];
        for (var k = 0; k < 8; k++)
        {
            var radius = Math.Sqrt(-2.0 * Math.Log(CounterRng.ToUniformOpen((uint)r0.GetElement(k), (uint)r1.GetElement(k))));
            lanes[k] = radius * Math.Cos(2.0 * Math.PI * CounterRng.ToUniform((uint)r2.GetElement(k), (uint)r3.GetElement(k)));
        }
        return Vector512.Create((ReadOnlySpan<double>)lanes);
    }
}
