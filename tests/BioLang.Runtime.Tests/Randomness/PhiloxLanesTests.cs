using BioLang.Runtime.Randomness;

namespace BioLang.Runtime.Tests.Randomness;

/// <summary>The four-lane Philox must give, lane by lane, exactly the scalar generator's draws (which the known-answer tests pin).</summary>
public sealed class PhiloxLanesTests
{
    [Theory]
    [InlineData(1UL, 7u, 0, 0UL)]
    [InlineData(0xDEADBEEFCAFEF00DUL, 0xFFFFFFFFu, 1000, 123456789012UL)]
    [InlineData(42UL, 3u, int.MaxValue - 3, ulong.MaxValue)]
    public void Lanes_equal_the_scalar_draws_bit_for_bit(ulong seed, uint stream, int element, ulong counter)
    {
        if (!PhiloxLanes.Supported)
            return;
        var rng = new CounterRng(seed);
        var uniform = PhiloxLanes.Uniform(seed, stream, element, counter);
        var normal = PhiloxLanes.Normal(seed, stream, element, counter);
        for (var k = 0; k < 4; k++)
        {
            BitConverter.DoubleToInt64Bits(uniform[k]).ShouldBe(BitConverter.DoubleToInt64Bits(rng.Uniform(stream, (uint)(element + k), counter)));
            BitConverter.DoubleToInt64Bits(normal[k]).ShouldBe(BitConverter.DoubleToInt64Bits(rng.Normal(stream, (uint)(element + k), counter)));
        }
    }

    [Theory]
    [InlineData(1UL, 7u, 0, 0UL)]
    [InlineData(0xDEADBEEFCAFEF00DUL, 0xFFFFFFFFu, 1000, 123456789012UL)]
    [InlineData(42UL, 3u, int.MaxValue - 7, ulong.MaxValue)]
    public void EightLanes_equal_the_scalar_draws_bit_for_bit(ulong seed, uint stream, int element, ulong counter)
    {
        if (!PhiloxLanes.Supported512)
            return;
        var rng = new CounterRng(seed);
        var uniform = PhiloxLanes.Uniform512(seed, stream, element, counter);
        var normal = PhiloxLanes.Normal512(seed, stream, element, counter);
        for (var k = 0; k < 8; k++)
        {
            BitConverter.DoubleToInt64Bits(uniform[k]).ShouldBe(BitConverter.DoubleToInt64Bits(rng.Uniform(stream, (uint)(element + k), counter)));
            BitConverter.DoubleToInt64Bits(normal[k]).ShouldBe(BitConverter.DoubleToInt64Bits(rng.Normal(stream, (uint)(element + k), counter)));
        }
    }
}
