using MedImageCleaner.Core.Phi;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// <see cref="DeidentificationCheck.OverlayContent"/>: overlay text attributes (60xx) hold no text, overlay bit planes
/// hold no readable PHI (read by OCR when pixels are checked). Thread-safe.
/// </summary>
internal sealed class OverlayContentCheck
{
    private readonly PhiDetector _patterns;
    private readonly PixelTextChecker? _pixels;

    public OverlayContentCheck(PhiDetector patterns, PixelTextChecker? pixels)
    {
        _patterns = patterns;
        _pixels = pixels;
    }

    /// <summary>Checks one item of the top-level dataset (items in sequences are no overlays).</summary>
    public void Check(ValidationRun run, DicomItem item, string path, string? keyword, bool topLevel)
    {
        var tag = item.Tag;
        if (!topLevel || tag.Group is < 0x6000 or > 0x60FF || (tag.Group & 1) != 0 || item is not DicomElement e || ValidationRun.IsBlank(e))
        {
            return;
        }

        if (tag.Element is 0x0022 or 0x1500 or 0x4000)
        {
            var text = run.File.Dataset.DecodeString(e);
            var phi = _patterns.Find(text, run.OriginalContext).Count > 0 || PhiPatternCheck.DicomNameForm.IsMatch(text);
            run.Add(DeidentificationCheck.OverlayContent, phi ? FindingSeverity.Error : FindingSeverity.Warning, path, keyword,
                phi ? "Overlay text that reads as PHI." : "Overlay text: overlays are meant to hold no text.", text);
        }
        else if (tag.Element == 0x3000)
        {
            var data = e.Value.GetBytes().Span;
            if (data.IndexOfAnyExcept((byte)0) < 0)
            {
                return;
            }

            if (_pixels is { } pixels)
            {
                var read = pixels.ReadOverlay(run.File.Dataset, tag.Group, data, run.OriginalContext);
                if (read is { } r)
                {
                    run.Add(DeidentificationCheck.OverlayContent, r.Phi ? FindingSeverity.Error : FindingSeverity.Warning, path, keyword,
                        r.Phi ? "The overlay bit plane holds text that reads as PHI." : "The overlay bit plane holds text.", r.Text);
                }

                return;
            }

            run.Add(DeidentificationCheck.OverlayContent, FindingSeverity.Warning, path, keyword, "An overlay bit plane with content: it can hold burned-in text (use -CheckPixels to read it).");
        }
    }
}
