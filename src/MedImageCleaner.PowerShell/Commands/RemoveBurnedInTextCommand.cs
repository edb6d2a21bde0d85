using System.Management.Automation;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Pixels.Rules;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Dicom;
using MedImageCleaner.PowerShell.Completers;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Finds text burned into DICOM pixels (names, IDs, dates...) and removes it.</para>
/// <para type="description">
/// Decodes every frame (native, RLE, JPEG, JPEG-LS, JPEG 2000), finds text with known-location rules, edge analysis
/// and OCR, fills it, checks the result again, and writes the cleaned file. Files that cannot be decoded or whose text
/// is still readable go to a quarantine folder, never to the output.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "BurnedInText", DefaultParameterSetName = DefaultSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Remove-BurnedInText.md")]
[OutputType(typeof(TextRedactionResult))]
public sealed class RemoveBurnedInTextCommand : DerivedFileInputCommand, IDisposable
{
    private const int ProgressActivityId = ProgressIds.RemoveBurnedInText;

    private FilePipeline<BurnedInTextRequest, TextRedactionResult>? _pipeline;
    private BurnedInTextService? _service;
    private string? _destination;



    /// <summary>The folder for cleaned files. Without it, files piped from Remove-DicomPhi (or any file with -InPlace) are cleaned in place.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Clean the input files themselves (only for files that are already de-identified outputs).</summary>
    [Parameter]
    public SwitchParameter InPlace { get; set; }


    /// <summary>How text is found: Auto (rules + edge candidates + OCR of the candidates; the default), Ocr, Edge, Region, Rules; several combine.</summary>
    [Parameter]
    public TextDetectionMethods[] Method { get; set; } = [TextDetectionMethods.Auto];

    /// <summary>All (default) redacts every text found; PhiOnly only text matching header PHI values or PHI patterns (labels like L/R stay).</summary>
    [Parameter]
    public TextRedactionMode Mode { get; set; } = TextRedactionMode.All;

    /// <summary>Rectangles always filled, x,y,width,height in pixels (the seed's crop method): 0,0,1024,60 or '0,0,1024,60'; several as @(0,0,1024,60),@(0,700,1024,68).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [RegionTransformation]
    public string[] Region { get; set; } = [];

    /// <summary>Minimum OCR word confidence, 0-100 (default 40).</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public double Confidence { get; set; } = 40;

    /// <summary>Tesseract language(s), e.g. eng or eng+deu (default eng).</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z_]+(\\+[A-Za-z_]+)*$")]
    [ArgumentCompleter(typeof(TesseractLanguageCompleter))]
    public string Language { get; set; } = "eng";

    /// <summary>The tessdata folder (default: Tesseract's own, or TESSDATA_PREFIX).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TessdataPath { get; set; }

    /// <summary>A rules file (JSON, see docs/burned-in-text.md) instead of the built-in known-location rules.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JsonFileCompleter))]
    public string? RulesFile { get; set; }

    /// <summary>Pixels added around each detected box (default 2).</summary>
    [Parameter]
    [ValidateRange(0, 64)]
    public int Padding { get; set; } = 2;

    /// <summary>Do not read each frame again after redaction (verification is on by default: PHI-like text still readable quarantines the file). Without verification BurnedInAnnotation stays YES.</summary>
    [Parameter]
    public SwitchParameter SkipVerification { get; set; }

    /// <summary>Put the recognized text into the result boxes (it may be PHI: for review only).</summary>
    [Parameter]
    public SwitchParameter IncludeText { get; set; }

    /// <summary>Native (default: Explicit VR Little Endian) or Keep (the source syntax where a lossless encoder exists: RLE, JPEG lossless).</summary>
    [Parameter]
    public RedactionOutputSyntax TransferSyntax { get; set; } = RedactionOutputSyntax.Native;

    /// <summary>Where files that cannot be made safe go, with a reason file each (default: '&lt;destination&gt;-quarantine').</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? QuarantinePath { get; set; }

    /// <summary>Files processed at once (default: the number of processors); each worker runs its own OCR engine.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <summary>Overwrite outputs that exist with other content.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    private protected override void Begin()
    {
        _destination = Destination is null ? null : Destinations.RequireWritableFolder(this, Destination, nameof(Destination), WhatIfActive());
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var files = ResolveInputs();
        var original = ResolveOriginal(out _);
        foreach (var (file, root) in files)
        {
            if (_pipeline?.IsStopping == true)
            {
                return;
            }

            // A file piped from Remove-DicomPhi carries its original: that makes it a de-identified output, which
            // may be cleaned in place. Anything else needs -Destination (inputs are never modified) or -InPlace.
            if (_destination is null && original is null && !InPlace)
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{file}' would be changed in place: give -Destination, or -InPlace for files that are already de-identified outputs."),
                    "DestinationRequired", ErrorCategory.InvalidArgument, file));
                continue;
            }

            var where = _destination is null ? "in place" : $"into '{_destination}'";
            if (!ShouldProcess(file, $"Remove burned-in text {where}"))
            {
                continue;
            }

            EnsureStarted(file);
            if (_pipeline is null)
            {
                return;
            }

            _pipeline.Submit(this, new BurnedInTextRequest(file, original) { RelativePath = System.IO.Path.GetRelativePath(root, file) });
            _pipeline.Drain(this, Emit, block: false);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing() => _pipeline?.Complete(this, Emit);

    /// <inheritdoc/>
    protected override void StopProcessing() => _pipeline?.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        _pipeline?.Dispose();
        _service?.Dispose();
    }

    /// <summary>Builds the service at the first file (in place: the quarantine goes next to that file's folder).</summary>
    private void EnsureStarted(string firstFile)
    {
        if (_pipeline is not null)
        {
            return;
        }

        var quarantineDir = QuarantinePath is not null
            ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(QuarantinePath)
            : Quarantine.DefaultFor(_destination ?? System.IO.Path.GetDirectoryName(firstFile)!);
        if (_destination is not null && IsInside(quarantineDir, _destination))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The quarantine '{quarantineDir}' is inside the destination; files that are not safe must stay out of it."),
                "QuarantineInsideDestination", ErrorCategory.InvalidArgument, quarantineDir));
        }

        var options = BuildOptions();
        try
        {
            _service = new BurnedInTextService(options, _destination, new Quarantine(quarantineDir), TransferSyntax, Force);
        }
        catch (Exception ex) when (ex is OcrEngineUnavailableException or NativeLibraryMissingException || NativeLibraries.IsMissingNative(ex))
        {
            ThrowTerminatingError(PipelineFailure.ToErrorRecord(ex, null));
        }

        WriteVerbose($"Quarantine folder: '{quarantineDir}'.");
        var service = _service!;
        _pipeline = new FilePipeline<BurnedInTextRequest, TextRedactionResult>(
            ThrottleLimit, (request, token) => service.Process(request, token), ProgressActivityId, "Remove-BurnedInText", "Removing burned-in text");
    }

    private TextRedactionOptions BuildOptions()
    {
        var methods = TextDetectionMethods.None;
        foreach (var m in Method)
        {
            methods |= m;
        }

        var regions = new List<PixelBox>();
        foreach (var text in Region)
        {
            if (!PixelBox.TryParse(text, out var box) || box.IsEmpty)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{text}' is not a region: write x,y,width,height in pixels, e.g. 0,0,1024,60."), "InvalidRegion", ErrorCategory.InvalidArgument, text));
            }

            regions.Add(box);
        }

        if ((methods & TextDetectionMethods.Region) != 0 && regions.Count == 0)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Method Region needs -Region x,y,width,height."), "RegionRequired", ErrorCategory.InvalidArgument, null));
        }

        BurnedInTextRules? rules = null;
        if (RulesFile is not null)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(RulesFile);
            try
            {
                rules = BurnedInTextRules.Load(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MedImageCleanerException or FormatException or System.Text.Json.JsonException)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The rules file '{path}' cannot be used: {ex.Message}", ex), "InvalidRulesFile", ErrorCategory.InvalidData, path));
            }
        }

        return new TextRedactionOptions
        {
            Methods = methods,
            Mode = Mode,
            Confidence = Confidence,
            Language = Language,
            TessdataPath = TessdataPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(TessdataPath),
            Regions = regions,
            Padding = Padding,
            Verify = !SkipVerification,
            IncludeText = IncludeText,
            Rules = rules,
        };
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = System.IO.Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !System.IO.Path.IsPathRooted(relative));
    }

    private void Emit(TextRedactionResult result)
    {
        switch (result.Status)
        {
            case TextRedactionStatus.Failed:
                var category = ErrorCategories.For(result.ErrorId);
                WriteError(new ErrorRecord(new MedImageCleanerException(result.Message ?? "Burned-in text removal failed.") { FilePath = result.InputPath }, result.ErrorId, category, result.InputPath));
                return;
            case TextRedactionStatus.Quarantined:
                WriteWarning($"{result.Message} ({result.ErrorId}; see '{result.QuarantinePath}{Quarantine.ReasonSuffix}').");
                break;
        }

        foreach (var warning in result.Warnings)
        {
            WriteVerbose($"'{result.InputPath}': {warning}.");
        }

        WriteObject(result);
    }
}
