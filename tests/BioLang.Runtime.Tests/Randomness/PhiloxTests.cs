using System.Numerics;
using BioLang.Runtime.Randomness;

namespace BioLang.Runtime.Tests.Randomness;

public class PhiloxTests
{
    // The "philox4x32 10" lines of Random123's tests/kat_vectors (D. E. Shaw Research), also
    // pasted into the authors' Random123-Boost test_philox.cpp: counter c0..c3, key k0 k1, output.
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u,
        0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
        0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
        0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Block_matches_the_Random123_known_answer_vectors(
        uint c0, uint c1, uint c2, uint c3, uint k0, uint k1,
        uint e0, uint e1, uint e2, uint e3)
    {
        Philox.Block(c0, c1, c2, c3, k0, k1, out uint r0, out uint r1, out uint r2, out uint r3);

        new[] { r0, r1, r2, r3 }.ShouldBe([e0, e1, e2, e3]);
    }

    [Fact]
    public void Block_is_a_pure_function()
    {
        Philox.Block(1, 2, 3, 4, 5, 6, out uint a0, out uint a1, out uint a2, out uint a3);
        Philox.Block(1, 2, 3, 4, 5, 6, out uint b0, out uint b1, out uint b2, out uint b3);

        new[] { a0, a1, a2, a3 }.ShouldBe([b0, b1, b2, b3]);
    }

    // Strict avalanche: flipping any one of the 192 input bits (128 counter + 64 key) must flip
    // each output bit with probability 1/2, i.e. 64 of the 128 output bits on average. Over
    // Trials random inputs the mean distance has standard error sqrt(128 / 4 / Trials); a word
    // that is not mixed, or mixed too little, gives a mean far from 64 for its bits.
    [Fact]
    public void Every_input_bit_flips_half_the_output_bits()
    {
        const int Trials = 400;
        double tolerance = 5 * Math.Sqrt(128 / 4.0 / Trials);
        var inputs = new uint[6];
        var flipped = new uint[6];
        var totalDistance = new long[192];
        uint state = 12345;

        for (int trial = 0; trial < Trials; trial++)
        {
            for (int w = 0; w < 6; w++)
            {
                inputs[w] = state = state * 1664525 + 1013904223; // any input spread will do
            }

            uint[] baseline = Encrypt(inputs);
            for (int bit = 0; bit < 192; bit++)
            {
                inputs.CopyTo(flipped, 0);
                flipped[bit / 32] ^= 1u << (bit % 32);
                uint[] output = Encrypt(flipped);
                for (int w = 0; w < 4; w++)
                {
                    totalDistance[bit] += BitOperations.PopCount(output[w] ^ baseline[w]);
                }
            }
        }

        for (int bit = 0; bit < 192; bit++)
        {
            double meanDistance = (double)totalDistance[bit] / Trials;
            meanDistance.ShouldBe(64.0, tolerance, $"input bit {bit}");
        }
    }

    private static uint[] Encrypt(uint[] x)
    {
        Philox.Block(x[0], x[1], x[2], x[3], x[4], x[5], out uint r0, out uint r1, out uint r2, out uint r3);
        return [r0, r1, r2, r3];
    }
}
