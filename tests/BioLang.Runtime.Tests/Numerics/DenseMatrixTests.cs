using BioLang.Runtime.Numerics;

namespace BioLang.Runtime.Tests.Numerics;

/// <summary>
/// The helpers behind <see cref="MatrixExponential"/>. The Padé denominators it solves with
/// are well conditioned and nearly diagonal, so pivoting is exercised here directly.
/// </summary>
public class DenseMatrixTests
{
    [Fact]
    public void SolvePivotsPastAZeroLeadingEntry()
    {
        var a = new[,] { { 0.0, 2.0, 1.0 }, { 1.0, 1.0, 0.0 }, { 3.0, 0.0, 1.0 } };
        var x = new[,] { { 1.0, -2.0 }, { 0.5, 4.0 }, { -3.0, 0.25 } };

        var solved = DenseMatrix.Solve(a, DenseMatrix.Multiply(a, x));

        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                solved[i, j].ShouldBe(x[i, j], 1e-15);
            }
        }
    }

    [Fact]
    public void SolvePivotsPastATinyLeadingEntry()
    {
        // Without row exchange the multiplier 1e20 wipes out the 1 in the (2,2) entry and the
        // answer comes back as (0, 1); with partial pivoting it is accurate.
        var a = new[,] { { 1e-20, 1.0 }, { 1.0, 1.0 } };
        var rhs = new[,] { { 1.0 }, { 2.0 } };

        var x = DenseMatrix.Solve(a, rhs);

        x[0, 0].ShouldBe(1.0, 1e-15);
        x[1, 0].ShouldBe(1.0, 1e-15);
    }

    [Fact]
    public void SolveLeavesItsArgumentsAlone()
    {
        var a = new[,] { { 0.0, 1.0 }, { 1.0, 0.0 } };
        var rhs = new[,] { { 5.0 }, { 7.0 } };

        DenseMatrix.Solve(a, rhs);

        a.ShouldBe(new[,] { { 0.0, 1.0 }, { 1.0, 0.0 } });
        rhs.ShouldBe(new[,] { { 5.0 }, { 7.0 } });
    }

    [Fact]
    public void SolveRejectsSingularMatrix()
    {
        Should.Throw<InvalidOperationException>(
            () => DenseMatrix.Solve(new[,] { { 1.0, 2.0 }, { 2.0, 4.0 } }, new[,] { { 1.0 }, { 1.0 } }));
    }

    [Fact]
    public void Norm1IsLargestAbsoluteColumnSum()
    {
        DenseMatrix.Norm1(new[,] { { 1.0, -7.0 }, { -4.0, 2.0 } }).ShouldBe(9.0);
    }

    [Fact]
    public void MultiplyMatchesHandComputedProduct()
    {
        var product = DenseMatrix.Multiply(new[,] { { 1.0, 2.0, 3.0 } }, new[,] { { 4.0 }, { 5.0 }, { 6.0 } });

        product.ShouldBe(new[,] { { 32.0 } });
    }
}
