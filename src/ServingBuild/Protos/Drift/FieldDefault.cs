using System.Numerics;

namespace ServingBuild.Protos.Drift;

/// <summary>
/// A field's default value compared as buf compares them: text with text (string and bytes), numbers by value
/// across integer widths, bool and enum numbers; a float against a double as float; NaN equal to NaN.
/// </summary>
public sealed record FieldDefault(string? Text, BigInteger? Integer, double? Real, bool IsFloat, string Printable)
{
    public static FieldDefault OfText(string value, string printable) => new(value, null, null, false, printable);

    public static FieldDefault OfInteger(BigInteger value, string printable) => new(null, value, null, false, printable);

    public static FieldDefault OfReal(double value, bool isFloat, string printable) => new(null, null, value, isFloat, printable);

    public bool IsZero => Text is not null ? Text.Length == 0 : Integer is { } i ? i.IsZero : Real is 0d;

    public bool SameAs(FieldDefault other)
    {
        if (Text is not null || other.Text is not null)
        {
            return Text == other.Text;
        }

        if (Integer is { } a && other.Integer is { } b)
        {
            return a == b;
        }

        var x = Real ?? (double)Integer!.Value;
        var y = other.Real ?? (double)other.Integer!.Value;
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.IsNaN(x) && double.IsNaN(y);
        }

        return IsFloat != other.IsFloat && (Real is not null && other.Real is not null) ? (float)x == (float)y : x == y;
    }
}
