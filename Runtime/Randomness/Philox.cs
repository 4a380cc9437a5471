using System.Runtime.CompilerServices;

namespace BioLang.Runtime.Randomness;

/// <summary>
/// The Philox4x32-10 counter-based block function of Salmon, Moraes, Dror &amp; Shaw,
/// "Parallel random numbers: as easy as 1, 2, 3" (SC'11, 2011), as implemented in their
/// Random123 library. It is a keyed bijection of a 128-bit counter: every output block is a
/// pure function of (counter, key), so any draw can be computed on any thread in any order.
/// Ten rounds is the authors' recommended default; seven already pass TestU01 BigCrush.
/// </summary>
internal static class Philox
{
    // Round multipliers, chosen by the authors for good avalanche.
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;

    // Weyl-sequence key increments: the golden ratio minus 1 and sqrt(3) - 1, scaled by 2^32.
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;

    private const int Rounds = 10;

    /// <summary>Encrypts counter (c0..c3) under key (k0, k1) into four 32-bit words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(
        uint c0, uint c1, uint c2, uint c3, uint k0, uint k1,
        out uint r0, out uint r1, out uint r2, out uint r3)
    {
        for (int round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }

            // One S-box round: two 32x32->64 multiplies, whose high halves are mixed into the
            // other two words and whose low halves are carried over (a fixed word permutation).
            ulong product0 = (ulong)M0 * c0;
            ulong product1 = (ulong)M1 * c2;
            uint next0 = (uint)(product1 >> 32) ^ c1 ^ k0;
            uint next2 = (uint)(product0 >> 32) ^ c3 ^ k1;
            c1 = (uint)product1;
            c3 = (uint)product0;
            c0 = next0;
            c2 = next2;
        }

        r0 = c0;
        r1 = c1;
        r2 = c2;
        r3 = c3;
    }
}
