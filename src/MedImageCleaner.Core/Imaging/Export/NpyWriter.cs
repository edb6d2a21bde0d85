using System.Globalization;
using System.Text;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>An NPY element type: NumPy descr, bytes per element, signedness, floating point.</summary>
internal sealed record NpyType(string Descr, int Bytes, bool Signed, bool Float)
{
    public static readonly NpyType U1 = new("<u1", 1, false, false);
    public static readonly NpyType I1 = new("<i1", 1, true, false);
    public static readonly NpyType U2 = new("<u2", 2, false, false);
    public static readonly NpyType I2 = new("<i2", 2, true, false);
    public static readonly NpyType U4 = new("<u4", 4, false, false);
    public static readonly NpyType I4 = new("<i4", 4, true, false);
    public static readonly NpyType F4 = new("<f4", 4, true, true);
    public static readonly NpyType F8 = new("<f8", 8, true, true);

    /// <summary>The smallest integer type holding every value from <paramref name="min"/> to <paramref name="max"/> (f8 when none does).</summary>
    public static NpyType SmallestInteger(double min, double max)
    {
        foreach (var t in new[] { U1, I1, U2, I2, U4, I4 })
        {
            if (min >= t.Minimum && max <= t.Maximum)
            {
                return t;
            }
        }

        return F8;
    }

    public double Minimum => Float ? double.MinValue : Signed ? -Math.Pow(2, (8 * Bytes) - 1) : 0;

    public double Maximum => Float ? double.MaxValue : Signed ? Math.Pow(2, (8 * Bytes) - 1) - 1 : Math.Pow(2, 8 * Bytes) - 1;
}

/// <summary>Writes NPY files (NumPy format version 1.0): magic, header dictionary padded to 64 bytes, C-order data.</summary>
internal static class NpyWriter
{
    /// <summary>Writes the magic and header for an array of <paramref name="shape"/>; the data follows.</summary>
    public static void WriteHeader(Stream output, NpyType type, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(shape);
        var dims = new StringBuilder();
        foreach (var d in shape)
        {
            dims.Append(d.ToString(CultureInfo.InvariantCulture)).Append(", ");
        }

        var tuple = shape.Count == 1 ? "(" + dims.ToString().TrimEnd(' ') + ")" : "(" + dims.ToString().TrimEnd(',', ' ') + ")";
        var dict = "{'descr': '" + type.Descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        var total = 10 + dict.Length + 1;
        var padded = (total + 63) / 64 * 64;
        var header = dict + new string(' ', padded - total) + "\n";
        var bytes = new byte[10 + header.Length];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        bytes[8] = (byte)header.Length;
        bytes[9] = (byte)(header.Length >> 8);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        output.Write(bytes);
    }
}
