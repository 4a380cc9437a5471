using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BioLang.Runtime.Engine;

/// <summary>
/// Arrays whose first element sits on a 64-byte boundary, so that a vector kernel's loads and stores
/// never straddle a cache line (an 8-byte misalignment made the DA-STDP neuron kernel 2.5 times
/// slower, depending on where the GC happened to place the state arrays).
/// </summary>
/// <remarks>
/// .NET has no aligned array allocation; arrays on the pinned object heap never move, so one that
/// happens to be aligned stays aligned. A misaligned candidate is followed by a filler sized to
/// shift the next allocation onto the boundary; after a few misses (at once for an array the heap places in a region of its own) the last candidate is used
/// (alignment is a matter of speed, never of correctness).
/// </remarks>
internal static class AlignedArray
{
    public const int Alignment = 64;

    /// <summary>
    /// After collections the heap hands out free gaps first, where the probe predicts nothing and each try lands
    /// at one of eight offsets more or less at random: 256 tries leave a miss with odds of about (7/8)^256.
    /// </summary>
    private const int Attempts = 256;

    /// <summary>Arrays up to this size keep their misses alive while trying (bounded by MissBudget all the same).</summary>
    private const long SmallBytes = 64 * 1024;

    /// <summary>What the misses of one array may cost before the last candidate is taken as it is.</summary>
    private const long MissBudget = 16L << 20;

    // The probe only predicts where the next array goes when nobody else allocates in between.
    private static readonly Lock Gate = new();

    public static T[] Allocate<T>(int length)
        where T : unmanaged
    {
        using var _ = Gate.EnterScope();
        var bytes = (long)length * Unsafe.SizeOf<T>() + 24;
        var array = GC.AllocateArray<T>(length, pinned: true);
        // Small misses are kept until the end: after a collection the heap hands out its free gaps first, and a
        // gap that gave a misaligned array would give the same one again. Large ones are dropped (garbage), and
        // the tries stop once they have cost MissBudget bytes.
        var small = bytes <= SmallBytes;
        List<object>? misses = null;
        var spent = 0L;
        for (var attempt = 0; attempt < Attempts && Offset(array) != 0 && spent < MissBudget; attempt++)
        {
            var missed = Offset(array);
            if (small)
                (misses ??= []).Add(array);
            spent += bytes;
            // Where does the next allocation go? An empty probe (24 bytes on the heap) tells; then a filler of
            // m longs (24 + 8m bytes) moves the one after it onto the boundary.
            var probe = GC.AllocateUninitializedArray<long>(0, pinned: true);
            var next = Offset(probe) + 24;
            var filler = ((2 * Alignment) - (next + 24) % Alignment) % Alignment / 8;
            var fill = GC.AllocateUninitializedArray<long>(filler, pinned: true);
            misses?.AddRange([probe, fill]);
            array = GC.AllocateArray<T>(length, pinned: true);
            // Very large arrays get a region of their own, always at the same offset: no filler reaches them.
            if (!small && Offset(array) == missed)
                break;
        }
        GC.KeepAlive(misses);
        return array;
    }

    /// <summary>How many bytes the first element lies past a 64-byte boundary.</summary>
    public static unsafe int Offset<T>(T[] array)
        where T : unmanaged =>
        (int)((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) % Alignment);
}
