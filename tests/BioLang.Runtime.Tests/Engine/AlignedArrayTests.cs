using BioLang.Runtime.Engine;

namespace BioLang.Runtime.Tests.Engine;

/// <summary>Run alone: other tests' pinned allocations in between could move the heap under the probe.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AlignedArraysAlone
{
    public const string Name = "aligned arrays, alone";
}

/// <summary>State arrays start on a cache line, so that vector loads never straddle two.</summary>
[Collection(AlignedArraysAlone.Name)]
public sealed class AlignedArrayTests
{
    [Fact]
    public void Arrays_of_every_length_start_on_a_64_byte_boundary_and_are_zeroed()
    {
        for (var length = 0; length < 200; length++)
        {
            var doubles = AlignedArray.Allocate<double>(length);
            doubles.Length.ShouldBe(length);
            doubles.ShouldAllBe(x => x == 0);
            AlignedArray.Offset(doubles).ShouldBe(0, $"length {length}");
            AlignedArray.Offset(AlignedArray.Allocate<float>(length + 1)).ShouldBe(0);
        }
    }

    [Fact]
    public void An_aligned_array_stays_aligned_through_collections()
    {
        var arrays = Enumerable.Range(1, 50).Select(n => AlignedArray.Allocate<double>(n * 37)).ToList();
        for (var k = 0; k < 3; k++)
        {
            _ = Enumerable.Range(0, 10_000).Select(i => new double[i % 64]).ToList();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        arrays.ShouldAllBe(a => AlignedArray.Offset(a) == 0);
    }

    /// <summary>The heap puts very large arrays in regions of their own, where no filler can move them: one retry at most, not a heap full of misses.</summary>
    [Fact]
    public void A_very_large_array_costs_at_most_one_retry()
    {
        const int Length = 20_000_000;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var array = AlignedArray.Allocate<float>(Length);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        array.Length.ShouldBe(Length);
        allocated.ShouldBeLessThan(2L * Length * sizeof(float) + (1L << 20));
    }
}
