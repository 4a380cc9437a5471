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
/// shift the next allocation onto the boundary; after many misses the last candidate is used
/// (alignment is a matter of speed, never of correctness).
/// </remarks>
internal static class AlignedArray
{
    public const int Alignment = 64;

    private const int Attempts = 1024;

    // The probe only predicts where the next array goes when nobody else allocates in between.
    private static readonly Lock Gate = new();

    public static T[] Allocate<T>(int length)
        where T : unmanaged
    {
        using var _ = Gate.EnterScope();
        var array = GC.AllocateArray<T>(length, pinned: true);
        // Misses are kept until the end: after a collection the heap hands out its free gaps first, and a
        // gap that gave a misaligned array would give the same one again.
        List<object>? misses = null;
        for (var attempt = 0; attempt < Attempts && Offset(array) != 0; attempt++)
        {
            (misses ??= []).Add(array);
            // Where does the next allocation go? An empty probe (24 bytes on the heap) tells; then a filler of
            // m longs (24 + 8m bytes) moves the one after it onto the boundary.
            var probe = GC.AllocateUninitializedArray<long>(0, pinned: true);
            var next = Offset(probe) + 24;
            var filler = ((2 * Alignment) - (next + 24) % Alignment) % Alignment / 8;
            misses.Add(probe);
            misses.Add(GC.AllocateUninitializedArray<long>(filler, pinned: true));
            array = GC.AllocateArray<T>(length, pinned: true);
        }
        GC.KeepAlive(misses);
        return array;
    }

    /// <summary>How many bytes the first element lies past a 64-byte boundary.</summary>
    public static unsafe int Offset<T>(T[] array)
        where T : unmanaged =>
        (int)((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) % Alignment);
}
