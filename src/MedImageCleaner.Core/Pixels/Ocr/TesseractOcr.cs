using System.Runtime.InteropServices;
using System.Text;

namespace MedImageCleaner.Core.Pixels.Ocr;

/// <summary>Tesseract's page segmentation modes that matter here.</summary>
public enum PageSegmentation
{
    /// <summary>A single uniform block of text (PSM 6).</summary>
    Block = 6,

    /// <summary>A single text line (PSM 7).</summary>
    SingleLine = 7,

    /// <summary>As much text as possible in no particular order (PSM 11): overlays scattered over an image.</summary>
    SparseText = 11,
}

/// <summary>One recognized word: its box in the image given to <see cref="TesseractOcr.Recognize"/>, confidence 0..100, text.</summary>
/// <remarks>The text may be PHI: never log it or put it in an exception.</remarks>
public sealed record OcrWord(PixelBox Box, double Confidence, string Text);

/// <summary>
/// libtesseract through its C API: word boxes, confidences and UTF-8 text of an 8-bit grey image. Not thread-safe:
/// one instance per worker thread (creating one loads the language model, about 0.1-0.3 s). Sets OMP_THREAD_LIMIT=1
/// for the process when it is not set.
/// </summary>
public sealed unsafe class TesseractOcr : IDisposable
{
    private const int WordLevel = 3;
    private readonly TesseractNative _api;
    private IntPtr _handle;
    private bool _readsInverted = true;

    /// <summary>Starts Tesseract with <paramref name="language"/> ("eng", "eng+deu") from <paramref name="tessdataPath"/> (null: Tesseract's default).</summary>
    /// <exception cref="OcrEngineUnavailableException">libtesseract or the language data is not installed.</exception>
    public TesseractOcr(string language = "eng", string? tessdataPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        OcrThreading.ApplyDefaultThreadLimit();
        _api = TesseractNative.Instance ?? throw OcrEngineUnavailableException.LibraryMissing();
        Language = language;
        _handle = _api.Create();
        if (_handle == IntPtr.Zero)
        {
            throw OcrEngineUnavailableException.LibraryMissing();
        }

        int rc;
        var lang = Utf8Z(language);
        var path = tessdataPath is null ? null : Utf8Z(tessdataPath);
        fixed (byte* l = lang)
        fixed (byte* p = path)
        {
            rc = _api.Init3(_handle, p, l);
        }

        if (rc != 0)
        {
            _api.Delete(_handle);
            _handle = IntPtr.Zero;
            throw OcrEngineUnavailableException.LanguageMissing(language, tessdataPath);
        }

        // Quiet: no debug output of its own, no "invalid resolution" warnings.
        SetVariable("debug_file", OperatingSystem.IsWindows() ? "nul" : "/dev/null");
    }

    /// <summary>The language(s) loaded.</summary>
    public string Language { get; }

    /// <summary>True when libtesseract can be loaded (the language data is checked only by creating an engine).</summary>
    public static bool IsLibraryAvailable => TesseractNative.Instance is not null;

    /// <summary>
    /// Recognizes the 8-bit grey image (<paramref name="width"/> x <paramref name="height"/>, rows
    /// <paramref name="stride"/> bytes apart) and returns its words with boxes in image coordinates. With
    /// <paramref name="tryInverted"/> (Tesseract's default) a line read with low confidence is read again inverted; an
    /// image whose text is known to be dark on light (a binarized view) is read faster without it (a third to half of
    /// the time over textured anatomy, where most "lines" read poorly).
    /// </summary>
    public IReadOnlyList<OcrWord> Recognize(ReadOnlySpan<byte> grey, int width, int height, int stride, PageSegmentation mode = PageSegmentation.SparseText, bool tryInverted = true)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        if (width <= 0 || height <= 0 || stride < width || grey.Length < (long)stride * (height - 1) + width)
        {
            throw new ArgumentException("The image buffer does not match its width, height and stride.", nameof(grey));
        }

        var words = new List<OcrWord>();
        _api.SetPageSegMode(_handle, (int)mode);
        if (tryInverted != _readsInverted)
        {
            SetVariable("tessedit_do_invert", tryInverted ? "1" : "0");
            _readsInverted = tryInverted;
        }

        fixed (byte* data = grey)
        {
            _api.SetImage(_handle, data, width, height, 1, stride);
            _api.SetSourceResolution(_handle, 70);
            if (_api.Recognize(_handle, IntPtr.Zero) != 0)
            {
                _api.Clear(_handle);
                return words;
            }

            var it = _api.GetIterator(_handle);
            if (it != IntPtr.Zero)
            {
                try
                {
                    ReadWords(it, words);
                }
                finally
                {
                    _api.IteratorDelete(it);
                }
            }

            _api.Clear(_handle);
        }

        return words;
    }

    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            _api.End(_handle);
            _api.Delete(_handle);
            _handle = IntPtr.Zero;
        }
    }

    private void ReadWords(IntPtr it, List<OcrWord> words)
    {
        var page = _api.IteratorPage(it);
        do
        {
            var textPtr = _api.IteratorText(it, WordLevel);
            if (textPtr == IntPtr.Zero)
            {
                continue;
            }

            string text;
            try
            {
                text = Marshal.PtrToStringUTF8(textPtr) ?? string.Empty;
            }
            finally
            {
                _api.DeleteText(textPtr);
            }

            int l, t, r, b;
            if (_api.PageBoundingBox(page, WordLevel, &l, &t, &r, &b) == 0 || text.Trim().Length == 0)
            {
                continue;
            }

            var confidence = _api.IteratorConfidence(it, WordLevel);
            words.Add(new OcrWord(new PixelBox(l, t, r - l, b - t), confidence, text.Trim()));
        }
        while (_api.IteratorNext(it, WordLevel) != 0);
    }

    internal void SetVariable(string name, string value)
    {
        var n = Utf8Z(name);
        var v = Utf8Z(value);
        fixed (byte* pn = n)
        fixed (byte* pv = v)
        {
            _ = _api.SetVariable(_handle, pn, pv);
        }
    }

    private static byte[] Utf8Z(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
