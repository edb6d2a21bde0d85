using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MedImageCleaner.Core.Tests.Export;

/// <summary>A minimal NPY (format 1.0/2.0) reader for the tests: checks the magic and header dictionary, returns values as doubles.</summary>
internal sealed partial record NpyArray(string Descr, bool FortranOrder, int[] Shape, double[] Values)
{
    public static NpyArray Read(string path)
    {
        var b = File.ReadAllBytes(path);
        Assert.Equal(0x93, b[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(b, 1, 5));
        Assert.Equal(1, b[6]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8));
        var start = 10 + headerLength;
        Assert.Equal(0, start % 64);
        var header = Encoding.ASCII.GetString(b, 10, headerLength);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        var m = HeaderPattern().Match(header);
        Assert.True(m.Success, "unexpected NPY header: " + header);
        var descr = m.Groups["descr"].Value;
        var fortran = m.Groups["fortran"].Value == "True";
        var shape = m.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var count = shape.Aggregate(1L, (a, d) => a * d);
        var size = int.Parse(descr[2..], CultureInfo.InvariantCulture);
        Assert.Equal(start + (count * size), b.LongLength);
        var values = new double[count];
        var data = b.AsSpan(start);
        for (var i = 0; i < count; i++)
        {
            var at = data[(i * size)..];
            values[i] = descr switch
            {
                "<u1" => at[0],
                "<i1" => (sbyte)at[0],
                "<u2" => BinaryPrimitives.ReadUInt16LittleEndian(at),
                "<i2" => BinaryPrimitives.ReadInt16LittleEndian(at),
                "<u4" => BinaryPrimitives.ReadUInt32LittleEndian(at),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(at),
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(at),
                "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(at),
                _ => throw new InvalidDataException("unexpected dtype " + descr),
            };
        }

        return new NpyArray(descr, fortran, shape, values);
    }

    [GeneratedRegex(@"^\{'descr': '(?<descr><[uif][1248])', 'fortran_order': (?<fortran>True|False), 'shape': \((?<shape>[0-9, ]*)\), \} *\n$")]
    private static partial Regex HeaderPattern();
}
