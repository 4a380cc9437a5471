using BioLang.Language.IR;

namespace BioLang.Language.Tests.IR;

public class IrMathTests
{
    /// <summary>Floored modulo, the sign of the divisor, as NumPy's np.mod and Python's %: a - floor(a/b) b.</summary>
    [Theory]
    [InlineData(7, 3, 1)]
    [InlineData(-7, 3, 2)]
    [InlineData(7, -3, -2)]
    [InlineData(-7, -3, -1)]
    [InlineData(6, 3, 0)]
    [InlineData(5.5, 2, 1.5)]
    [InlineData(-5.5, 2, 0.5)]
    [InlineData(0.25, 1, 0.25)]
    public void ModuloIsFloored(double a, double b, double expected) =>
        IrMath.Mod(a, b).ShouldBe(expected);

    [Fact]
    public void ModuloByZeroIsNotANumber() =>
        double.IsNaN(IrMath.Mod(1, 0)).ShouldBeTrue();

    [Theory]
    [InlineData(-1, 0, 1, 0)]
    [InlineData(2, 0, 1, 1)]
    [InlineData(0.5, 0, 1, 0.5)]
    [InlineData(0, 0, 1, 0)]
    [InlineData(1, 0, 1, 1)]
    public void ClipLimitsToTheInterval(double x, double lo, double hi, double expected) =>
        IrMath.Clip(x, lo, hi).ShouldBe(expected);

    [Theory]
    [InlineData(2.5, 3)]
    [InlineData(-2.5, -3)]
    [InlineData(0.5, 1)]
    [InlineData(1.4, 1)]
    public void RoundsHalvesAwayFromZero(double x, double expected) =>
        IrMath.Round(x).ShouldBe(expected);

    [Fact]
    public void SignAndHeaviside()
    {
        IrMath.Sign(-3).ShouldBe(-1);
        IrMath.Sign(0).ShouldBe(0);
        IrMath.Sign(0.1).ShouldBe(1);
        IrMath.Heaviside(0).ShouldBe(0);
        IrMath.Heaviside(1e-300).ShouldBe(1);
        IrMath.Heaviside(-1).ShouldBe(0);
    }

    /// <summary>(e^x − 1)/x = Σ x^k/(k+1)!, summed smallest term first: exact to rounding for |x| ≤ 0.1.</summary>
    private static double ExprelSeries(double x)
    {
        var terms = new double[25];
        terms[0] = 1;
        for (var k = 1; k < terms.Length; k++)
            terms[k] = terms[k - 1] * x / (k + 1);
        var sum = 0.0;
        for (var k = terms.Length - 1; k >= 0; k--)
            sum += terms[k];
        return sum;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-15)]
    [InlineData(-1e-12)]
    [InlineData(1e-9)]
    [InlineData(-3e-7)]
    [InlineData(9.9e-6)]
    [InlineData(1e-5)]
    [InlineData(1.0000001e-5)]
    [InlineData(-1.2e-5)]
    [InlineData(2e-5)]
    [InlineData(-7.3e-5)]
    [InlineData(1e-4)]
    [InlineData(-1e-3)]
    [InlineData(0.01)]
    [InlineData(-0.05)]
    [InlineData(0.1)]
    public void ExprelAgreesWithItsSeriesNearZero(double x)
    {
        var expected = ExprelSeries(x);

        IrMath.Exprel(x).ShouldBe(expected, 1e-15 * expected);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    [InlineData(20.0)]
    [InlineData(-20.0)]
    public void ExprelAgreesWithTheQuotientAwayFromZero(double x)
    {
        var expected = (Math.Exp(x) - 1) / x;

        IrMath.Exprel(x).ShouldBe(expected, 1e-14 * Math.Abs(expected));
    }

    [Fact]
    public void ExprelAtTheEnds()
    {
        IrMath.Exprel(0).ShouldBe(1);
        IrMath.Exprel(-1000).ShouldBe(1e-3, 1e-18);
        double.IsPositiveInfinity(IrMath.Exprel(1000)).ShouldBeTrue();
        double.IsNaN(IrMath.Exprel(double.NaN)).ShouldBeTrue();
    }

    [Fact]
    public void CallDispatchesEveryBuiltin()
    {
        IrMath.Call(Builtin.Exp, [0]).ShouldBe(1);
        IrMath.Call(Builtin.Log, [Math.E]).ShouldBe(1);
        IrMath.Call(Builtin.Log10, [1000]).ShouldBe(3, 1e-15);
        IrMath.Call(Builtin.Sqrt, [9]).ShouldBe(3);
        IrMath.Call(Builtin.Abs, [-2]).ShouldBe(2);
        IrMath.Call(Builtin.Min, [1, 2]).ShouldBe(1);
        IrMath.Call(Builtin.Max, [1, 2]).ShouldBe(2);
        IrMath.Call(Builtin.Clip, [5, 0, 1]).ShouldBe(1);
        IrMath.Call(Builtin.Sin, [Math.PI / 2]).ShouldBe(1);
        IrMath.Call(Builtin.Cos, [0]).ShouldBe(1);
        IrMath.Call(Builtin.Tan, [Math.PI / 4]).ShouldBe(1, 1e-15);
        IrMath.Call(Builtin.Tanh, [0]).ShouldBe(0);
        IrMath.Call(Builtin.Sinh, [0]).ShouldBe(0);
        IrMath.Call(Builtin.Cosh, [0]).ShouldBe(1);
        IrMath.Call(Builtin.Atan, [1]).ShouldBe(Math.PI / 4);
        IrMath.Call(Builtin.Atan2, [1, -1]).ShouldBe(3 * Math.PI / 4);
        IrMath.Call(Builtin.Floor, [-1.5]).ShouldBe(-2);
        IrMath.Call(Builtin.Ceil, [-1.5]).ShouldBe(-1);
        IrMath.Call(Builtin.Round, [-1.5]).ShouldBe(-2);
        IrMath.Call(Builtin.Sign, [-0.5]).ShouldBe(-1);
        IrMath.Call(Builtin.Heaviside, [2]).ShouldBe(1);
        IrMath.Call(Builtin.Exprel, [0]).ShouldBe(1);
        Enum.GetValues<Builtin>().Length.ShouldBe(22);
    }

    [Fact]
    public void ArithmeticAndComparisons()
    {
        IrMath.Arithmetic(BinaryOp.Power, 2, 10).ShouldBe(1024);
        IrMath.Arithmetic(BinaryOp.Modulo, -1, 3).ShouldBe(2);
        IrMath.Arithmetic(BinaryOp.Divide, 1, 4).ShouldBe(0.25);
        IrMath.Compare(BinaryOp.LessEqual, 1, 1).ShouldBeTrue();
        IrMath.Compare(BinaryOp.NotEqual, 1, 1).ShouldBeFalse();
        IrMath.Compare(BinaryOp.Equal, double.NaN, double.NaN).ShouldBeFalse();
        Should.Throw<ArgumentOutOfRangeException>(() => IrMath.Arithmetic(BinaryOp.Less, 1, 2));
    }
}
