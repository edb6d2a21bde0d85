using System.Management.Automation;
using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Dicom;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Converts DICOM images to PNG, JPEG, TIFF or NumPy files for review and machine learning.</para>
/// <para type="description">
/// Decodes the selected frames (native, RLE, JPEG, JPEG-LS, JPEG 2000), applies the modality and VOI transforms
/// (rescale or Modality LUT, window or VOI LUT, LINEAR/LINEAR_EXACT/SIGMOID, MONOCHROME1 inversion, palette and YBR
/// colour) and writes image files named after the SOP Instance UID, never after the input file.
/// </para>
/// </summary>
[Cmdlet(VerbsData.Convert, "DicomImage", DefaultParameterSetName = DefaultSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Convert-DicomImage.md")]
[OutputType(typeof(ConvertedImage))]
public sealed class ConvertDicomImageCommand : FileInputCommand, IDisposable
{
    private const int ProgressActivityId = ProgressIds.ConvertDicomImage;

    private FilePipeline<string, ExportOutcome>? _pipeline;
    private DicomImageExporter? _exporter;



    /// <summary>The output folder (created when missing).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Png (default), Jpeg, Tiff or Npy.</summary>
    [Parameter]
    public ExportFormat Format { get; set; } = ExportFormat.Png;

    /// <summary>8 or 16 bits per sample (Png, Tiff). Default 8; with -Raw the stored depth.</summary>
    [Parameter]
    [ValidateSet("8", "16")]
    public int BitDepth { get; set; } = 8;

    /// <summary>Auto (header window, else MinMax; the default), Header, MinMax or Percentile.</summary>
    [Parameter]
    public ExportWindowMode Window { get; set; } = ExportWindowMode.Auto;

    /// <summary>An explicit window center in modality units (with -WindowWidth).</summary>
    [Parameter]
    public double? WindowCenter { get; set; }

    /// <summary>An explicit window width (with -WindowCenter).</summary>
    [Parameter]
    public double? WindowWidth { get; set; }

    /// <summary>Which header window to use when the file has several (0-based).</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int WindowIndex { get; set; }

    /// <summary>Linear, LinearExact or Sigmoid instead of the header's VOI LUT Function.</summary>
    [Parameter]
    public VoiLutFunction? VoiLutFunction { get; set; }

    /// <summary>The lower and upper percentile of -Window Percentile (default 0.5, 99.5).</summary>
    [Parameter]
    [ValidateCount(2, 2)]
    public double[]? Percentile { get; set; }

    /// <summary>Frames to export, 0-based: 3, 2-5, Last, All (default: the first for Png/Jpeg, all for Tiff/Npy).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Frame { get; set; }

    /// <summary>Output size as WIDTHxHEIGHT (512x512, 256x or x256); the aspect ratio is kept unless -IgnoreAspectRatio.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Size { get; set; }

    /// <summary>Resize by a factor (0.5 halves each edge).</summary>
    [Parameter]
    public double? Scale { get; set; }

    /// <summary>With -Size WxH: stretch to exactly that size.</summary>
    [Parameter]
    public SwitchParameter IgnoreAspectRatio { get; set; }

    /// <summary>Stored pixel values: no rescale, window, inversion or colour conversion (Png/Tiff/Npy).</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>JPEG quality 1-100 (default 90).</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int Quality { get; set; } = 90;

    /// <summary>PNG compression: Fastest (default), Optimal or SmallestSize.</summary>
    [Parameter]
    public PngCompressionLevel CompressionLevel { get; set; } = PngCompressionLevel.Fastest;

    /// <summary>PNG row filter: Auto (default), None, Sub, Up, Average, Paeth, Adaptive.</summary>
    [Parameter]
    public PngRowFilter RowFilter { get; set; } = PngRowFilter.Auto;


    /// <summary>Files processed at once (default: the number of processors).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <summary>Overwrite image files that exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    private protected override void Begin()
    {
        FrameSelection? frames = null;
        if (Frame is not null && !FrameSelection.TryParse(Frame, out frames))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Frame '{string.Join(",", Frame)}' is not a frame selection: give 0-based indexes (3), ranges (2-5), Last or All."), "InvalidFrame", ErrorCategory.InvalidArgument, Frame));
        }

        OutputSize? size = null;
        if (Size is not null && !OutputSize.TryParse(Size, out size))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Size '{Size}' is not a size: write WIDTHxHEIGHT, e.g. 512x512, 512x or x512 (at most {OutputSize.MaximumEdge})."), "InvalidSize", ErrorCategory.InvalidArgument, Size));
        }

        var bound = MyInvocation.BoundParameters;
        var options = new ExportOptions
        {
            Destination = System.IO.Path.TrimEndingDirectorySeparator(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination)),
            Format = Format,
            BitDepth = bound.ContainsKey(nameof(BitDepth)) ? BitDepth : Format == ExportFormat.Npy || Raw ? null : 8,
            Window = Window,
            WindowCenter = WindowCenter,
            WindowWidth = WindowWidth,
            WindowIndex = WindowIndex,
            Function = VoiLutFunction,
            Percentiles = Percentile is { Length: 2 } p ? (p[0], p[1]) : (0.5, 99.5),
            Frames = frames,
            Size = size,
            Scale = Scale,
            KeepAspectRatio = !IgnoreAspectRatio,
            Raw = Raw,
            Quality = Quality,
            CompressionLevel = CompressionLevel,
            RowFilter = RowFilter,
            Overwrite = Force,
        };
        if (options.Validate() is { } problem)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), "InvalidParameterCombination", ErrorCategory.InvalidArgument, null));
        }

        // Settings first, then the destination (created and checked before any file is read).
        _ = Destinations.RequireWritableFolder(this, Destination, nameof(Destination), WhatIfActive());
        _exporter = new DicomImageExporter(options);
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var files = ResolveInputs();

        var exporter = _exporter!;
        foreach (var (file, _) in files)
        {
            if (_pipeline?.IsStopping == true)
            {
                return;
            }

            if (!ShouldProcess(file, $"Convert to {Format} in '{exporter.Options.Destination}'"))
            {
                continue;
            }

            _pipeline ??= new FilePipeline<string, ExportOutcome>(ThrottleLimit, (f, token) => exporter.Export(f, planOnly: false, token), ProgressActivityId, "Convert-DicomImage", "Converting DICOM images");
            _pipeline.Submit(this, file);
            _pipeline.Drain(this, Emit, block: false);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing() => _pipeline?.Complete(this, Emit);

    /// <inheritdoc/>
    protected override void StopProcessing() => _pipeline?.Stop();

    /// <inheritdoc/>
    public void Dispose() => _pipeline?.Dispose();

    private void Emit(ExportOutcome outcome)
    {
        foreach (var image in outcome.Images)
        {
            WriteObject(image);
        }

        if (!outcome.Succeeded)
        {
            var id = outcome.ErrorId!;
            WriteError(new ErrorRecord(new MedImageCleanerException(outcome.Message ?? "The conversion failed.") { FilePath = outcome.SourcePath }, id, Category(id), outcome.TargetPath ?? outcome.SourcePath));
        }
    }

    private static ErrorCategory Category(string id) => id switch
    {
        "NoPixelData" => ErrorCategory.InvalidData,
        "UnsupportedPixelEncoding" or "RawSignedNotSupported" or "RawValuesDoNotFit" or "OutputTooLarge" => ErrorCategory.NotImplemented,
        "PixelDecodeFailed" => ErrorCategory.InvalidData,
        "FrameOutOfRange" or "NoHeaderWindow" => ErrorCategory.InvalidArgument,
        _ => ErrorCategories.For(id),
    };
}
