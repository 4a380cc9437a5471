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
}
