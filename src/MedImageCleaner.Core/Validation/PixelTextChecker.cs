using System.Globalization;
using System.Text;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Core.Validation;

/// <summary>A finding of the pixel check (no text unless values were asked for).</summary>
internal sealed record PixelFinding(FindingSeverity Severity, string Path, string Message, string? Text);

/// <summary>
/// -CheckPixels: reads every frame with the <see cref="IndependentTextReader"/> (full-frame OCR through the min-max
/// view, the extreme planes, the header window and colour views; never the redactor's candidate detector, so what it
/// misses is not also passed here) and every overlay bit plane with OCR, and reports text that reads as PHI. One
/// reader per worker thread.
/// </summary>
internal sealed class PixelTextChecker : IDisposable
{
    private readonly ThreadLocal<IndependentTextReader> _readers;
    private readonly ValidationOptions _options;
    private readonly PhiDetector _detector = new();

    /// <exception cref="Pixels.Ocr.OcrEngineUnavailableException">Tesseract or its language data is missing.</exception>
    public PixelTextChecker(ValidationOptions options)
    {
        _options = options;
        CoreCodecs.EnsureRegistered();
        // One reader now, so a missing Tesseract is reported before any file is read.
        var first = NewReader(options);
        var handedOut = 0;
        _readers = new ThreadLocal<IndependentTextReader>(() => Interlocked.Exchange(ref handedOut, 1) == 0 ? first : NewReader(options), trackAllValues: true);
    }

    private static IndependentTextReader NewReader(ValidationOptions options) =>
        new(options.Language, options.TessdataPath) { IncludeText = options.IncludeValues };

    public void Dispose()
    {
        foreach (var reader in _readers.Values)
        {
            reader.Dispose();
        }

        _readers.Dispose();
    }

    /// <summary>Reads every frame of <paramref name="file"/>; one finding per frame with PHI text, or per frame that cannot be read.</summary>
    public IEnumerable<PixelFinding> ReadFrames(DicomFile file, PhiContext context, CancellationToken token)
    {
        var findings = new List<PixelFinding>();
        if (!PixelData.TryCreate(file.Dataset, out var pixels))
        {
            return findings;
        }

        if (!PixelCodecs.TryGetDecoder(file.TransferSyntax, out _))
        {
            findings.Add(new PixelFinding(FindingSeverity.Warning, "frames", "No decoder for the transfer syntax: the pixels were not read.", null));
            return findings;
        }

        var reader = _readers.Value!;
        var attributes = ImageAttributes.FromDataset(file.Dataset);
        var frames = pixels.AvailableFrames;
        var step = frames <= ImageAttributes.VerifiedFrameLimit ? 1 : (frames + ImageAttributes.VerifiedFrameLimit - 1) / ImageAttributes.VerifiedFrameLimit;
        for (var i = 0; i < frames; i++)
        {
            if (i % step != 0 && i != frames - 1)
            {
                continue;
            }

            token.ThrowIfCancellationRequested();
            var where = "frame " + i.ToString(CultureInfo.InvariantCulture);
            DecodedFrame frame;
            try
            {
                frame = PixelCodecs.Decode(pixels, file.TransferSyntax, i);
            }
            catch (PixelCodecException)
            {
                findings.Add(new PixelFinding(FindingSeverity.Warning, where, "The frame cannot be decoded: it was not read.", null));
                continue;
            }

            var residual = reader.Read(frame, attributes, context);
            var kinds = new SortedSet<string>(StringComparer.Ordinal);
            var views = new SortedSet<string>(StringComparer.Ordinal);
            var text = new StringBuilder();
            foreach (var r in residual)
            {
                kinds.Add(r.Kind.ToString());
                views.Add(r.View);
                if (r.Text is { } t)
                {
                    text.Append(text.Length > 0 ? " | " : string.Empty).Append(t);
                }
            }

            if (kinds.Count > 0)
            {
                findings.Add(new PixelFinding(FindingSeverity.Error, where,
                    "OCR reads burned-in text that is PHI (" + string.Join(", ", kinds) + ") in the " + string.Join(", ", views) + " view.",
                    _options.IncludeValues ? text.ToString() : null));
            }
        }

        if (step > 1)
        {
            findings.Add(new PixelFinding(FindingSeverity.Info, "frames",
                "A sample of " + ((frames + step - 1) / step).ToString(CultureInfo.InvariantCulture) + " of " + frames.ToString(CultureInfo.InvariantCulture) + " frames was read (every " + step.ToString(CultureInfo.InvariantCulture) + "th and the last).", null));
        }

        return findings;
    }

    /// <summary>OCR of one overlay bit plane; null when it reads no text.</summary>
    public (bool Phi, string? Text)? ReadOverlay(DicomDataset ds, ushort group, ReadOnlySpan<byte> data, PhiContext? context)
    {
        var rows = ds.GetInt32(new DicomTag(group, 0x0010), 0);
        var cols = ds.GetInt32(new DicomTag(group, 0x0011), 0);
        if (rows <= 0 || cols <= 0 || (long)rows * cols > 64L * 1024 * 1024 || _readers.Value!.Ocr is not { } ocr)
        {
            return null;
        }

        // Bits are packed little-end first (PS3.5 8.1.2); set bits become black ink on white for OCR.
        var grey = new byte[rows * cols];
        for (var i = 0; i < grey.Length; i++)
        {
            var set = (i >> 3) < data.Length && ((data[i >> 3] >> (i & 7)) & 1) != 0;
            grey[i] = set ? (byte)0 : (byte)255;
        }

        var words = ocr.Recognize(grey, cols, rows, cols);
        var sb = new StringBuilder();
        foreach (var w in words)
        {
            if (w.Confidence >= 30 && w.Text.Trim().Length > 0)
            {
                sb.Append(sb.Length > 0 ? " " : string.Empty).Append(w.Text.Trim());
            }
        }

        if (sb.Length == 0)
        {
            return null;
        }

        var text = sb.ToString();
        var phi = _detector.Find(text, context).Count > 0;
        return (phi, _options.IncludeValues ? text : null);
    }
}
