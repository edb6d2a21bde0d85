using System.Runtime.InteropServices;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using OpenCvSharp;

namespace MedImageCleaner.Core.Workflow;

/// <summary>The workflow's validation step: Test-Deidentification's validator on the staged output, with its original.</summary>
public sealed class ValidatorStep : IOutputValidator
{
    private readonly DeidentificationValidator _validator;

    /// <summary>Validates with <paramref name="validator"/> (thread-safe unless it checks pixels).</summary>
    public ValidatorStep(DeidentificationValidator validator) => _validator = validator ?? throw new ArgumentNullException(nameof(validator));

    /// <inheritdoc/>
    public WorkflowValidation Validate(string outputPath, string originalPath, CancellationToken cancellationToken)
    {
        var report = _validator.Validate(new ValidationRequest(outputPath, originalPath), cancellationToken);
        var findings = report.Findings.Select(f => new WorkflowFinding(f.CheckId, f.Severity.ToString(), f.Path, f.Keyword, f.Message)).ToList();
        if (report.ErrorId is { } error)
        {
            findings.Add(new WorkflowFinding(DeidentificationCheck.Parse, nameof(FindingSeverity.Error), null, null, report.Message ?? error));
        }

        return new WorkflowValidation(report.Passed, report.Score, findings);
    }
}

/// <summary>The workflow's conversion step: Convert-DicomImage's exporter on the released file.</summary>
public sealed class ConverterStep : IOutputConverter
{
    private readonly DicomImageExporter _exporter;

    /// <summary>Exports with <paramref name="options"/> (their Destination is the images folder).</summary>
    public ConverterStep(ExportOptions options) => _exporter = new DicomImageExporter(options ?? throw new ArgumentNullException(nameof(options)));

    /// <inheritdoc/>
    public IReadOnlyList<string> Convert(string outputPath, CancellationToken cancellationToken, out string? errorId)
    {
        var outcome = _exporter.Export(outputPath, cancellationToken: cancellationToken);
        errorId = outcome.ErrorId is "NoPixelData" ? null : outcome.ErrorId;
        return outcome.Images.Select(i => i.FullName).ToList();
    }
}

/// <summary>Draws report thumbnails: frame 0 through the export pipeline (default window), boxes outlined in red.</summary>
public sealed class ThumbnailRenderer : IThumbnailRenderer
{
    /// <inheritdoc/>
    public byte[]? Render(string dicomPath, IReadOnlyList<RedactedTextBox> boxes, int maxSide)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        try
        {
            using var file = DicomFile.Open(dicomPath);
            if (!PixelData.TryCreate(file.Dataset, out var pixels) || pixels.AvailableFrames == 0)
            {
                return null;
            }

            CoreCodecs.EnsureRegistered();
            var frame = PixelCodecs.Decode(pixels, file.TransferSyntax, 0);
            var image = FrameRenderer.Render(frame, PixelModule.Read(file.Dataset, pixels.IsSigned), new RenderSettings { BitDepth = 8 });
            return Draw(image, boxes, maxSide);
        }
        catch (Exception ex) when (ex is MedImageCleanerException or ExportException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static byte[] Draw(RenderedImage image, IReadOnlyList<RedactedTextBox> boxes, int maxSide)
    {
        NativeLoadOrder.Ensure();
        using var src = new Mat(image.Height, image.Width, image.Channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3);
        Marshal.Copy(image.Data, 0, src.Data, image.Data.Length);
        using var bgr = new Mat();
        Cv2.CvtColor(src, bgr, image.Channels == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR);
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(image.Width, image.Height));
        var width = Math.Max(1, (int)Math.Round(image.Width * scale));
        var height = Math.Max(1, (int)Math.Round(image.Height * scale));
        using var small = new Mat();
        Cv2.Resize(bgr, small, new Size(width, height), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        foreach (var b in boxes)
        {
            var rect = new Rect((int)(b.X * scale), (int)(b.Y * scale), Math.Max(2, (int)Math.Ceiling(b.Width * scale)), Math.Max(2, (int)Math.Ceiling(b.Height * scale)));
            Cv2.Rectangle(small, rect, new Scalar(0, 0, 255), 1);
        }

        Cv2.ImEncode(".png", small, out var png);
        return png;
    }
}
