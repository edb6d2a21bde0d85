using MedImageCleaner.Core.Phi;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// <see cref="DeidentificationCheck.PixelText"/> (with CheckPixels): OCR of every frame finds no text that reads as PHI,
/// the file's own identifying values and the original's included. Thread-safe.
/// </summary>
internal sealed class PixelTextCheck
{
    private readonly PixelTextChecker _pixels;

    public PixelTextCheck(PixelTextChecker pixels) => _pixels = pixels;

    public void Check(ValidationRun run, DicomDataset ds)
    {
        if (!ds.Contains(DicomTag.PixelData))
        {
            return;
        }

        var context = PhiContextBuilder.Build(ds);
        if (run.OriginalContext is { } o)
        {
            context.PersonNames.AddRange(o.PersonNames);
            context.Identifiers.AddRange(o.Identifiers);
            context.Dates.AddRange(o.Dates);
            context.OtherValues.AddRange(o.OtherValues);
        }

        foreach (var f in _pixels.ReadFrames(run.File, context, run.Token))
        {
            run.Add(DeidentificationCheck.PixelText, f.Severity, f.Path, null, f.Message, f.Text);
        }
    }
}
