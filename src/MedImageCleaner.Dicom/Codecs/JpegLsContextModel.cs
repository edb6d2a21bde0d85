namespace MedImageCleaner.Dicom.Codecs;

/// <summary>
/// The coding parameters of a JPEG-LS scan (T.87 A.2 and C.2.4.1), shared by <see cref="JpegLsFrameEncoder"/> and
/// <see cref="JpegLsDecoder"/>. Validation of preset values is the decoder's; this only derives RANGE, qbpp and LIMIT.
/// </summary>
internal sealed class JpegLsParameters
{
    /// <summary>The default RESET value (T.87 C.2.4.1.2).</summary>
    public const int DefaultReset = 64;

    public JpegLsParameters(int maxVal, int near, int t1, int t2, int t3, int reset)
    {
        MaxVal = maxVal;
        Near = near;
        T1 = t1;
        T2 = t2;
        T3 = t3;
        Reset = reset;
        Range = ((maxVal + (2 * near)) / ((2 * near) + 1)) + 1;
        Qbpp = Log2Ceiling(Range);
        var bpp = Math.Max(2, Log2Ceiling(maxVal + 1));
        Limit = 2 * (bpp + Math.Max(8, bpp));
    }

    public int MaxVal { get; }

    public int Near { get; }

    public int T1 { get; }

    public int T2 { get; }

    public int T3 { get; }

    public int Reset { get; }

    public int Range { get; }

    public int Qbpp { get; }

    public int Limit { get; }

    /// <summary>Lossless coding of <paramref name="precision"/>-bit samples with the default thresholds and RESET.</summary>
    public static JpegLsParameters Lossless(int precision)
    {
        var maxVal = (1 << precision) - 1;
        var (t1, t2, t3) = DefaultThresholds(maxVal, 0);
        return new JpegLsParameters(maxVal, 0, t1, t2, t3, DefaultReset);
    }

    /// <summary>Default thresholds (C.2.4.1.1), with BASIC_T1..3 = 3, 7, 21.</summary>
    public static (int T1, int T2, int T3) DefaultThresholds(int maxVal, int near)
    {
        int t1, t2, t3;
        if (maxVal >= 128)
        {
            var factor = (Math.Min(maxVal, 4095) + 128) >> 8;
            t1 = Clamp((factor * (3 - 2)) + 2 + (3 * near), near + 1, maxVal);
            t2 = Clamp((factor * (7 - 3)) + 3 + (5 * near), t1, maxVal);
            t3 = Clamp((factor * (21 - 4)) + 4 + (7 * near), t2, maxVal);
        }
        else
        {
            var factor = 256 / (maxVal + 1);
            t1 = Clamp(Math.Max(2, (3 / factor) + (3 * near)), near + 1, maxVal);
            t2 = Clamp(Math.Max(3, (7 / factor) + (5 * near)), t1, maxVal);
            t3 = Clamp(Math.Max(4, (21 / factor) + (7 * near)), t2, maxVal);
        }

        return (t1, t2, t3);
    }

    private static int Clamp(int i, int j, int maxVal) => i > maxVal || i < j ? j : i;

    private static int Log2Ceiling(int v)
    {
        var n = 0;
        while ((1 << n) < v)
        {
            n++;
        }

        return n;
    }
}

/// <summary>
/// The adaptive state of one JPEG-LS scan, shared by the encoder and the decoder (T.87 A.3 to A.7): gradient
/// quantisation, the regular-mode contexts with prediction correction and bias computation, the run-interruption
/// contexts, the run index of each component and the previous and current line of each component (1-based, with the
/// edge samples at 0 and width + 1).
/// </summary>
internal sealed class JpegLsContextModel
{
    /// <summary>The Golomb parameter <c>k</c> is at most this for any valid codestream.</summary>
    public const int MaxGolombK = 24;

    private const int MinC = -128;
    private const int MaxC = 127;

    private readonly JpegLsParameters _p;
    private readonly int _width;

    // Regular contexts indexed by (Q1+4)*81 + (Q2+4)*9 + (Q3+4) after sign folding (365 of 729 used).
    private readonly int[] _a = new int[729];
    private readonly int[] _b = new int[729];
    private readonly int[] _c = new int[729];
    private readonly int[] _n = new int[729];

    // Run interruption contexts (RItype 0 and 1).
    private readonly int[] _ra = new int[2];
    private readonly int[] _rn = new int[2];
    private readonly int[] _rnn = new int[2];

    private readonly int[][] _prev;
    private readonly int[][] _cur;
    private readonly int[] _runIndex;

    public JpegLsContextModel(JpegLsParameters parameters, int width, int components)
    {
        _p = parameters;
        _width = width;
        var aInit = Math.Max(2, (parameters.Range + 32) >> 6);
        Array.Fill(_a, aInit);
        Array.Fill(_n, 1);
        _ra[0] = _ra[1] = aInit;
        _rn[0] = _rn[1] = 1;
        _prev = new int[components][];
        _cur = new int[components][];
        _runIndex = new int[components];
        for (var c = 0; c < components; c++)
        {
            _prev[c] = new int[width + 2];
            _cur[c] = new int[width + 2];
        }
    }

    public JpegLsParameters Parameters => _p;

    public int Components => _prev.Length;

    // T.87 Table A.5 (J): run-length order of the run-mode index.
    private static ReadOnlySpan<byte> J =>
        [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    /// <summary>The reconstructed samples of the previous line of component <paramref name="c"/>.</summary>
    public int[] Previous(int c) => _prev[c];

    /// <summary>The samples of the line being coded of component <paramref name="c"/>.</summary>
    public int[] Current(int c) => _cur[c];

    /// <summary>Sets the edge samples before a line: Rd at the last column is Rb, Ra at the first column is Rb.</summary>
    public void StartLine(int c)
    {
        var prev = _prev[c];
        prev[_width + 1] = prev[_width];
        _cur[c][0] = prev[1]; // prev[0] keeps the previous line's Ra (Rc)
    }

    /// <summary>The current line becomes the previous one.</summary>
    public void EndLine(int c) => (_prev[c], _cur[c]) = (_cur[c], _prev[c]);

    /// <summary>J[RUNindex] of component <paramref name="c"/>: a run segment is 2^J samples long.</summary>
    public int RunOrder(int c) => J[_runIndex[c]];

    /// <summary>After a full run segment (A.7.1.2).</summary>
    public void GrowRun(int c)
    {
        if (_runIndex[c] < 31)
        {
            _runIndex[c]++;
        }
    }

    /// <summary>After a run interruption (A.7.2.2).</summary>
    public void ShrinkRun(int c)
    {
        if (_runIndex[c] > 0)
        {
            _runIndex[c]--;
        }
    }

    /// <summary>Local gradient quantisation (A.3.3).</summary>
    public int Quantize(int d)
    {
        var p = _p;
        if (d <= -p.T3)
        {
            return -4;
        }

        if (d <= -p.T2)
        {
            return -3;
        }

        if (d <= -p.T1)
        {
            return -2;
        }

        if (d < -p.Near)
        {
            return -1;
        }

        if (d <= p.Near)
        {
            return 0;
        }

        if (d < p.T1)
        {
            return 1;
        }

        if (d < p.T2)
        {
            return 2;
        }

        return d < p.T3 ? 3 : 4;
    }

    /// <summary>The context of quantised gradients after sign folding (A.3.4); <paramref name="sign"/> is -1 when folded.</summary>
    public static int Context(int q1, int q2, int q3, out int sign)
    {
        sign = 1;
        if (q1 < 0 || (q1 == 0 && q2 < 0) || (q1 == 0 && q2 == 0 && q3 < 0))
        {
            sign = -1;
            q1 = -q1;
            q2 = -q2;
            q3 = -q3;
        }

        return ((q1 + 4) * 81) + ((q2 + 4) * 9) + (q3 + 4);
    }

    /// <summary>Median edge detector (A.4.1).</summary>
    public static int Predict(int ra, int rb, int rc)
    {
        if (rc >= Math.Max(ra, rb))
        {
            return Math.Min(ra, rb);
        }

        if (rc <= Math.Min(ra, rb))
        {
            return Math.Max(ra, rb);
        }

        return ra + rb - rc;
    }

    /// <summary>The corrected prediction (A.4.2) of context <paramref name="q"/>, clamped to 0..MAXVAL.</summary>
    public int Correct(int px, int q, int sign) => Math.Clamp(px + (sign * _c[q]), 0, _p.MaxVal);

    /// <summary>The Golomb parameter of a regular context (A.5.1); above <see cref="MaxGolombK"/> the context is damaged.</summary>
    public int RegularK(int q) => GolombK(_n[q], _a[q]);

    /// <summary>True when the error mapping of context <paramref name="q"/> is inverted (A.5.2, lossless with k = 0 only).</summary>
    public bool InvertsMapping(int q, int k) => _p.Near == 0 && k == 0 && 2 * _b[q] <= -_n[q];

    /// <summary>Context update (A.6.1) and bias computation (A.6.2) after a regular-mode error.</summary>
    public void UpdateRegular(int q, int err)
    {
        var a = _a;
        var b = _b;
        var c = _c;
        var n = _n;
        b[q] += err * ((2 * _p.Near) + 1);
        a[q] += Math.Abs(err);
        if (n[q] == _p.Reset)
        {
            a[q] >>= 1;
            b[q] = b[q] >= 0 ? b[q] >> 1 : -((1 - b[q]) >> 1);
            n[q] >>= 1;
        }

        n[q]++;
        if (b[q] <= -n[q])
        {
            b[q] += n[q];
            if (c[q] > MinC)
            {
                c[q]--;
            }

            if (b[q] <= -n[q])
            {
                b[q] = -n[q] + 1;
            }
        }
        else if (b[q] > 0)
        {
            b[q] -= n[q];
            if (c[q] < MaxC)
            {
                c[q]++;
            }

            if (b[q] > 0)
            {
                b[q] = 0;
            }
        }
    }

    /// <summary>The Golomb parameter of a run interruption context (A.7.2.1); above <see cref="MaxGolombK"/> it is damaged.</summary>
    public int InterruptionK(int riType)
    {
        var temp = riType == 0 ? _ra[riType] : _ra[riType] + (_rn[riType] >> 1);
        return GolombK(_rn[riType], temp);
    }

    /// <summary>True when the interruption error's mapping is flipped (A.7.2.1: k = 0 and 2 Nn &lt; N).</summary>
    public bool InterruptionFlipped(int riType, int k) => k == 0 && 2 * _rnn[riType] < _rn[riType];

    /// <summary>Update of a run interruption context (A.7.2.2) after error <paramref name="err"/> coded as <paramref name="em"/>.</summary>
    public void UpdateInterruption(int riType, int err, int em)
    {
        if (err < 0)
        {
            _rnn[riType]++;
        }

        _ra[riType] += (em + 1 - riType) >> 1;
        if (_rn[riType] == _p.Reset)
        {
            _ra[riType] >>= 1;
            _rn[riType] >>= 1;
            _rnn[riType] >>= 1;
        }

        _rn[riType]++;
    }

    /// <summary>The least k with N * 2^k >= A, stopping at <see cref="MaxGolombK"/> + 1.</summary>
    private static int GolombK(int n, int a)
    {
        var k = 0;
        while ((n << k) < a && k <= MaxGolombK)
        {
            k++;
        }

        return k;
    }
}
