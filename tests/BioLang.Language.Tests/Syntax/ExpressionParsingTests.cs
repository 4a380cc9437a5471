using BioLang.Language.Diagnostics;
using BioLang.Language.Semantics;
using BioLang.Language.Syntax;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;

namespace BioLang.Language.Tests.Syntax;

/// <summary>
/// Precedence and associativity, against trees written out by hand from the table in
/// docs/language.md (loosest first: fun, if, |&gt;, ||, &amp;&amp;, comparisons, + -, * / %, unary, ** ^, application).
/// </summary>
public class ExpressionParsingTests
{
    private static Expr ParseTree(string text)
    {
        var bag = new DiagnosticBag();
        var expr = SyntaxParser.ParseExpression(new SourceText("<expr>", text), bag);
        bag.Items.ShouldBeEmpty(DiagnosticRenderer.Render(bag.Items));
        return expr.ShouldNotBeNull();
    }

    private static string Parse(string text) => AstPrinter.Print(ParseTree(text));

    [Theory]
    [InlineData("-x ** 2", "(- (** x 2))")]
    [InlineData("2 ** 3 ** 2", "(** 2 (** 3 2))")]
    [InlineData("x ^ 2 ^ -1", "(** x (** 2 (- 1)))")]
    [InlineData("a ** b * c", "(* (** a b) c)")]
    [InlineData("f a ** 2", "(** (f a) 2)")]
    [InlineData("-f a", "(- (f a))")]
    [InlineData("f a * 2", "(* (f a) 2)")]
    [InlineData("2 * -3", "(* 2 (- 3))")]
    [InlineData("a - -b", "(- a (- b))")]
    [InlineData("a - b - c", "(- (- a b) c)")]
    [InlineData("a / b * c", "(* (/ a b) c)")]
    [InlineData("a % b + c", "(+ (% a b) c)")]
    [InlineData("a + b * c - d / e", "(- (+ a (* b c)) (/ d e))")]
    [InlineData("(a + b) * c", "(* (+ a b) c)")]
    [InlineData("a < b + 1", "(< a (+ b 1))")]
    [InlineData("a <= b", "(<= a b)")]
    [InlineData("a >= b", "(>= a b)")]
    [InlineData("a = b", "(= a b)")]
    [InlineData("a == b", "(= a b)")]
    [InlineData("a <> b", "(<> a b)")]
    [InlineData("a != b", "(<> a b)")]
    [InlineData("not a && b", "(&& (not a) b)")]
    [InlineData("not a < b", "(< (not a) b)")]
    [InlineData("a || b && c", "(|| a (&& b c))")]
    [InlineData("a or b and c", "(|| a (&& b c))")]
    [InlineData("a && b || c && d", "(|| (&& a b) (&& c d))")]
    [InlineData("a < b && c > d", "(&& (< a b) (> c d))")]
    [InlineData("a |> f b", "(f b a)")]
    [InlineData("x |> exp", "(exp x)")]
    [InlineData("x |> f |> g 1", "(g 1 (f x))")]
    [InlineData("a || b |> f", "(f (|| a b))")]
    [InlineData("if a > 0 then 1 else 2", "(if (> a 0) 1 2)")]
    [InlineData("if c then a else b + 1", "(if c a (+ b 1))")]
    [InlineData("if a then if b then 1 else 2 else 3", "(if a (if b 1 2) 3)")]
    [InlineData("1 + if a then b else c", "(+ 1 (if a b c))")]
    [InlineData("x * if a then 1 else 2 + 3", "(* x (if a 1 (+ 2 3)))")]
    [InlineData("a < if c then 1 else 2", "(< a (if c 1 2))")]
    [InlineData("-if c then 1 else 2", "(- (if c 1 2))")]
    [InlineData("2 ** if c then 1 else 2", "(** 2 (if c 1 2))")]
    [InlineData("1 + if a then 2 else if b then 3 else 4", "(+ 1 (if a 2 (if b 3 4)))")]
    [InlineData("(1 + if a then 2 else 3) * 4", "(* (+ 1 (if a 2 3)) 4)")]
    [InlineData("fun i j -> i + j", "(fun (i j) (+ i j))")]
    [InlineData("fun t -> if t > 0 then 1 else 0", "(fun (t) (if (> t 0) 1 0))")]
    [InlineData("clip (w + apost) 0 wmax", "(clip (+ w apost) 0 wmax)")]
    [InlineData("atan2 (y, x)", "(atan2 (tuple y x))")]
    [InlineData("rand ()", "(rand (tuple))")]
    [InlineData("exp (-x)", "(exp (- x))")]
    [InlineData("v<v_th", "(< v v_th)")]
    [InlineData("v < -1", "(< v (- 1))")]
    [InlineData("2 * pi * 5<Hz> * t", "(* (* (* 2 pi) 5<Hz>) t)")]
    public void BindsAsTheTableSays(string text, string tree) =>
        Parse(text).ShouldBe(tree);

    [Theory]
    [InlineData("10", "10")]
    [InlineData("0.5", "0.5")]
    [InlineData("1e-3", "0.001")]
    [InlineData("2.5E+4", "25000")]
    [InlineData("10<ms>", "10<ms>")]
    [InlineData("-70<mV>", "(- 70<mV>)")]
    [InlineData("1<nA/ms>", "1<nA/ms>")]
    [InlineData("1<mS/cm^2>", "1<mS/cm^2>")]
    [InlineData("1<1/ms>", "1<1/ms>")]
    [InlineData("3<m^-2>", "3<m^-2>")]
    [InlineData("x * 1<mV>", "(* x 1<mV>)")]
    [InlineData("true", "true")]
    [InlineData("[1; 2; 3]", "[1; 2; 3]")]
    [InlineData("[1; 2;]", "[1; 2]")]
    [InlineData("[]", "[]")]
    [InlineData("[0 .. 9]", "[0 .. 9]")]
    [InlineData("[0..9]", "[0 .. 9]")]
    [InlineData("(0, 10<ms>)", "(tuple 0 10<ms>)")]
    [InlineData("()", "(tuple)")]
    [InlineData("P[0 .. 3199]", "(slice P 0 3199)")]
    [InlineData("P [0 .. 3]", "(P [0 .. 3])")]
    [InlineData("post.ge", "post.ge")]
    public void ReadsAtoms(string text, string tree) =>
        Parse(text).ShouldBe(tree);

    [Fact]
    public void KeepsTheSpanOfEachNode()
    {
        var sum = ParseTree("a + f b").ShouldBeOfType<BinaryExpr>();

        sum.Span.Text.ShouldBe("a + f b");
        sum.Left.Span.Text.ShouldBe("a");
        sum.Right.Span.Text.ShouldBe("f b");
        sum.Right.Span.Start.ShouldBe(4);
    }

    [Fact]
    public void ReadsNumbersExactly()
    {
        var number = ParseTree("2.5E+4<mV>").ShouldBeOfType<NumberExpr>();

        number.Value.ShouldBe(25000.0);
        number.Span.Text.ShouldBe("2.5E+4<mV>");
        AstPrinter.Print(number.Unit!).ShouldBe("mV");
    }

    /// <summary>
    /// The printed form of a unit, read again, must be the same unit: '*' and '/' share one level
    /// and associate to the left, so a group on the right keeps its parentheses.
    /// </summary>
    [Theory]
    [InlineData("mV/(ms*ms)", "mV/(ms*ms)")]
    [InlineData("mV/ms*ms", "mV/ms*ms")]
    [InlineData("(mV/ms)*ms", "mV/ms*ms")]
    [InlineData("(m/s)^2", "(m/s)^2")]
    [InlineData("uF/cm^2", "uF/cm^2")]
    [InlineData("1/(mV*ms)", "1/(mV*ms)")]
    public void PrintsUnitsSoTheyReadBackTheSame(string unit, string printed)
    {
        var original = ParseTree($"1<{unit}>").ShouldBeOfType<NumberExpr>().Unit!;
        var text = AstPrinter.Print(original);
        var reread = ParseTree($"1<{text}>").ShouldBeOfType<NumberExpr>().Unit!;

        text.ShouldBe(printed);
        var binder = new ExpressionBinder(new Globals(), new DiagnosticBag());
        binder.EvaluateUnit(reread).ShouldBe(binder.EvaluateUnit(original));
    }
}
