namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <summary>
/// The accurate integer inverse DCT (the Loeffler-Ligtenberg-Moschytz factorisation with 13-bit fixed-point constants)
/// whose scaling and rounding are those of the IJG "islow" method that dcmtk's dcmdjpeg uses, so that our samples equal
/// dcmtk's bit for bit: a column pass scaled up by PASS1_BITS (2 for 8-bit, 1 for 12-bit samples), a row pass that
/// removes all scaling, then the level shift and the IJG range limit (which wraps values far outside the range the way
/// its lookup table does).
/// </summary>
internal static class JpegIdct
{
    private const int ConstBits = 13;

    private const int Fix0298631336 = 2446;
    private const int Fix0390180644 = 3196;
    private const int Fix0541196100 = 4433;
    private const int Fix0765366865 = 6270;
    private const int Fix0899976223 = 7373;
    private const int Fix1175875602 = 9633;
    private const int Fix1501321110 = 12299;
    private const int Fix1847759065 = 15137;
    private const int Fix1961570560 = 16069;
    private const int Fix2053119869 = 16819;
    private const int Fix2562915447 = 20995;
    private const int Fix3072711026 = 25172;

    /// <summary>Zig-zag sequence index to natural (row-major) index (T.81 Figure A.6).</summary>
    internal static ReadOnlySpan<byte> ZigZag =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63,
    ];

    private static int Descale(int x, int n) => (x + (1 << (n - 1))) >> n;

    /// <summary>
    /// Dequantizes <paramref name="coef"/> (natural order) with <paramref name="quant"/> (natural order), transforms it
    /// and writes 8x8 samples of <paramref name="precision"/> bits to <paramref name="output"/> at <paramref name="offset"/>.
    /// </summary>
    public static void Transform(Span<int> coef, ReadOnlySpan<ushort> quant, Span<int> ws, Span<ushort> output, int offset, int stride, int precision)
    {
        var pass1 = precision <= 8 ? 2 : 1;
        var n = 1 << precision;
        var center = n >> 1;
        var max = n - 1;
        var wrap = (4 * n) - 1;

        // Pass 1: columns of the input into the work array.
        for (var c = 0; c < 8; c++)
        {
            if (coef[8 + c] == 0 && coef[16 + c] == 0 && coef[24 + c] == 0 && coef[32 + c] == 0 &&
                coef[40 + c] == 0 && coef[48 + c] == 0 && coef[56 + c] == 0)
            {
                var dc = coef[c] * quant[c] << pass1;
                for (var r = 0; r < 8; r++)
                {
                    ws[(r * 8) + c] = dc;
                }

                continue;
            }

            var z2 = coef[16 + c] * quant[16 + c];
            var z3 = coef[48 + c] * quant[48 + c];
            var z1 = (z2 + z3) * Fix0541196100;
            var tmp2 = z1 + (z3 * -Fix1847759065);
            var tmp3 = z1 + (z2 * Fix0765366865);
            z2 = coef[c] * quant[c];
            z3 = coef[32 + c] * quant[32 + c];
            var tmp0 = (z2 + z3) << ConstBits;
            var tmp1 = (z2 - z3) << ConstBits;
            var tmp10 = tmp0 + tmp3;
            var tmp13 = tmp0 - tmp3;
            var tmp11 = tmp1 + tmp2;
            var tmp12 = tmp1 - tmp2;

            tmp0 = coef[56 + c] * quant[56 + c];
            tmp1 = coef[40 + c] * quant[40 + c];
            tmp2 = coef[24 + c] * quant[24 + c];
            tmp3 = coef[8 + c] * quant[8 + c];
            Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

            var shift = ConstBits - pass1;
            ws[c] = Descale(tmp10 + tmp3, shift);
            ws[56 + c] = Descale(tmp10 - tmp3, shift);
            ws[8 + c] = Descale(tmp11 + tmp2, shift);
            ws[48 + c] = Descale(tmp11 - tmp2, shift);
            ws[16 + c] = Descale(tmp12 + tmp1, shift);
            ws[40 + c] = Descale(tmp12 - tmp1, shift);
            ws[24 + c] = Descale(tmp13 + tmp0, shift);
            ws[32 + c] = Descale(tmp13 - tmp0, shift);
        }

        // Pass 2: rows of the work array into samples.
        var final = ConstBits + pass1 + 3;
        for (var r = 0; r < 8; r++)
        {
            var w = ws.Slice(r * 8, 8);
            var o = output.Slice(offset + (r * stride), 8);
            if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0)
            {
                var v = Limit(Descale(w[0], pass1 + 3), center, max, n, wrap);
                o.Fill(v);
                continue;
            }

            var z2 = w[2];
            var z3 = w[6];
            var z1 = (z2 + z3) * Fix0541196100;
            var tmp2 = z1 + (z3 * -Fix1847759065);
            var tmp3 = z1 + (z2 * Fix0765366865);
            var tmp0 = (w[0] + w[4]) << ConstBits;
            var tmp1 = (w[0] - w[4]) << ConstBits;
            var tmp10 = tmp0 + tmp3;
            var tmp13 = tmp0 - tmp3;
            var tmp11 = tmp1 + tmp2;
            var tmp12 = tmp1 - tmp2;

            tmp0 = w[7];
            tmp1 = w[5];
            tmp2 = w[3];
            tmp3 = w[1];
            Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

            o[0] = Limit(Descale(tmp10 + tmp3, final), center, max, n, wrap);
            o[7] = Limit(Descale(tmp10 - tmp3, final), center, max, n, wrap);
            o[1] = Limit(Descale(tmp11 + tmp2, final), center, max, n, wrap);
            o[6] = Limit(Descale(tmp11 - tmp2, final), center, max, n, wrap);
            o[2] = Limit(Descale(tmp12 + tmp1, final), center, max, n, wrap);
            o[5] = Limit(Descale(tmp12 - tmp1, final), center, max, n, wrap);
            o[3] = Limit(Descale(tmp13 + tmp0, final), center, max, n, wrap);
            o[4] = Limit(Descale(tmp13 - tmp0, final), center, max, n, wrap);
        }
    }

    private static void Odd(ref int tmp0, ref int tmp1, ref int tmp2, ref int tmp3)
    {
        var z1 = tmp0 + tmp3;
        var z2 = tmp1 + tmp2;
        var z3 = tmp0 + tmp2;
        var z4 = tmp1 + tmp3;
        var z5 = (z3 + z4) * Fix1175875602;
        tmp0 *= Fix0298631336;
        tmp1 *= Fix2053119869;
        tmp2 *= Fix3072711026;
        tmp3 *= Fix1501321110;
        z1 *= -Fix0899976223;
        z2 *= -Fix2562915447;
        z3 *= -Fix1961570560;
        z4 *= -Fix0390180644;
        z3 += z5;
        z4 += z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;
    }

    /// <summary>Level shift and clamp, wrapping first into [-2N, 2N) as the IJG range-limit table does.</summary>
    private static ushort Limit(int x, int center, int max, int n, int wrap)
    {
        var s = ((x + (2 * n)) & wrap) - (2 * n) + center;
        return (ushort)(s < 0 ? 0 : s > max ? max : s);
    }
}
