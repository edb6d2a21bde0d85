using System.Diagnostics;
using System.Globalization;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>One file to check, and where its original identifying values come from.</summary>
/// <param name="Path">The de-identified file.</param>
/// <param name="OriginalPath">The file it was made from (-Original, or SourcePath from the pipeline), or null.</param>
public sealed record ValidationRequest(string Path, string? OriginalPath = null);

/// <summary>
/// Checks de-identified DICOM files (the checks of <see cref="DeidentificationCheck"/>): the file parses back and its
/// UIDs are well formed; overlays hold no text; no attribute the profile removes or empties holds a value, at any depth;
/// the de-identification markers are present; no private attribute but the safe ones is left; no text value at any
/// depth (file meta and private attributes included) reads as a name, date, ID, phone number, e-mail or address; no
/// identifying value of the original is in the output's bytes; burned-in text is declared absent (and, with OCR, is).
/// Findings never carry values unless asked. Thread-safe: one instance serves parallel workers.
/// </summary>
public sealed class DeidentificationValidator : IDisposable
{
    private const long InMemoryLimit = 512L * 1024 * 1024;

    private readonly ValidationOptions _options;
    private readonly PhiDetector _values = new(new PhiDetectorOptions { DetectPatterns = false });
    private readonly IOriginalValueSource? _vault;
    private readonly PixelTextChecker? _pixels;
    private readonly PhiPatternCheck _phiPatterns;
    private readonly OverlayContentCheck _overlays;
    private readonly PixelTextCheck? _pixelText;

    /// <summary>Creates a validator; <paramref name="vault"/> gives original values of files for the residual scan (audit vault).</summary>
    /// <exception cref="Pixels.Ocr.OcrEngineUnavailableException">CheckPixels is on and Tesseract cannot be loaded.</exception>
    public DeidentificationValidator(ValidationOptions? options = null, IOriginalValueSource? vault = null)
    {
        _options = options ?? ValidationOptions.Default;
        _vault = vault;
        _pixels = _options.CheckPixels ? new PixelTextChecker(_options) : null;
        var patterns = new PhiDetector();
        _phiPatterns = new PhiPatternCheck(patterns);
        _overlays = new OverlayContentCheck(patterns, _pixels);
        _pixelText = _pixels is null ? null : new PixelTextCheck(_pixels);
    }

    /// <summary>The options in force.</summary>
    public ValidationOptions Options => _options;

    /// <inheritdoc/>
    public void Dispose() => _pixels?.Dispose();

    /// <summary>Checks one file. Never throws for a bad file: it comes back failed with an ErrorId.</summary>
    public DeidentificationReport Validate(ValidationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var watch = Stopwatch.StartNew();
        var path = System.IO.Path.GetFullPath(request.Path);
        if (DicomFileOpener.TryOpen(path, InMemoryLimit, out var bytes, out var failure) is not { } file)
        {
            return Unreadable(path, failure!.ErrorId, failure.Message, watch);
        }

        using (file)
        {
            var run = new ValidationRun(_options, file, bytes, path, cancellationToken);
            try
            {
                CheckAll(run, request);
            }
            catch (DicomReadException ex)
            {
                run.Add(DeidentificationCheck.Parse, FindingSeverity.Error, string.Empty, null, "A value cannot be read back: " + ex.Message);
            }

            return Report(path, run, watch);
        }
    }

    private DeidentificationReport Report(string path, ValidationRun run, Stopwatch watch)
    {
        var errors = 0;
        var warnings = 0;
        foreach (var f in run.Findings)
        {
            errors += f.Severity == FindingSeverity.Error ? 1 : 0;
            warnings += f.Severity == FindingSeverity.Warning ? 1 : 0;
        }

        var passed = errors == 0 && (!_options.Strict || warnings == 0);
        return new DeidentificationReport
        {
            FullName = path,
            Passed = passed,
            Score = Math.Max(0, 100 - (25 * errors) - (5 * warnings)),
            Findings = run.Findings,
            Profile = run.Expectation?.Describe() ?? string.Empty,
            ProfileFromFile = run.Expectation?.FromFile ?? false,
            ResidualSource = run.ResidualSource,
            Strict = _options.Strict,
            Duration = watch.Elapsed,
        };
    }

    private DeidentificationReport Unreadable(string path, string errorId, string message, Stopwatch watch) => new()
    {
        FullName = path,
        Passed = false,
        Score = 0,
        Findings = [new ValidationFinding(DeidentificationCheck.Parse, FindingSeverity.Error, string.Empty, null, errorId == FileErrorIds.NotDicomFile ? "The file is not DICOM." : "The file does not parse back.")],
        Strict = _options.Strict,
        ErrorId = errorId,
        Message = message,
        Duration = watch.Elapsed,
    };

    /// <summary>True for a UID that PS3.5 9.1 allows: 1 to 64 characters, digits and dots, no empty or leading-zero component.</summary>
    public static bool IsWellFormedUid(string uid) => UidFormatCheck.IsWellFormed(uid);

    private static string Join(string prefix, DicomTag tag) => prefix.Length == 0 ? tag.ToString() : prefix + "/" + tag;

    private void CheckAll(ValidationRun run, ValidationRequest request)
    {
        var ds = run.File.Dataset;
        run.Expectation = ProfileExpectation.For(ds, _options.Profile);
        var residual = new ResidualIdentifierCheck(run, _values);
        residual.LoadOriginal(request, _vault);
        foreach (var w in run.File.Warnings)
        {
            run.Add(DeidentificationCheck.Parse, FindingSeverity.Warning, w.Tag?.ToString() ?? string.Empty, w.Tag is { } t ? DicomDictionary.GetKeyword(t) : null,
                "The reader had to tolerate a defect: " + w.Code + ".");
        }

        Walk(run, residual, run.File.FileMetaInfo, string.Empty, inRemoved: false, meta: true);
        Walk(run, residual, ds, string.Empty, inRemoved: false, meta: false);
        run.Token.ThrowIfCancellationRequested();
        DeidentificationMarkerCheck.Check(run, ds);
        residual.ScanBytes();
        BurnedInAnnotationCheck.Check(run, ds);
        _pixelText?.Check(run, ds);
        run.SortFindings();
    }

    /// <summary>Walks the header once, at any depth, and hands each item to the checks that read it.</summary>
    private void Walk(ValidationRun run, ResidualIdentifierCheck residual, DicomDataset ds, string prefix, bool inRemoved, bool meta)
    {
        foreach (var item in ds.Items)
        {
            run.Token.ThrowIfCancellationRequested();
            var path = Join(prefix, item.Tag);
            var keyword = DicomDictionary.GetKeyword(item.Tag);
            var reported = false;
            if (!meta)
            {
                reported = ProfileConformanceCheck.Check(run, item, path, keyword, inRemoved);
                reported |= PrivateAttributeCheck.Check(run, ds, item, path, inRemoved);
                _overlays.Check(run, item, path, keyword, prefix.Length == 0);
            }

            if (item is DicomSequence seq)
            {
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    Walk(run, residual, seq.Items[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", inRemoved || reported, meta);
                }

                continue;
            }

            if (item is DicomElement e)
            {
                residual.Record(e, path, meta);
                UidFormatCheck.Check(run, ds, e, path, keyword);
                PhiPatternCheck.CheckAge(run, ds, e, path, keyword);
                if (PhiPatternCheck.TextOf(ds, e, meta) is { } text)
                {
                    residual.CheckText(e, text, path, keyword);
                    _phiPatterns.Check(run, e, text, path, keyword, meta);
                }
            }
        }
    }
}
