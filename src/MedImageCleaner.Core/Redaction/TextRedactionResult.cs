using MedImageCleaner.Core.Results;

namespace MedImageCleaner.Core.Redaction;

/// <summary>What Remove-BurnedInText did with one file.</summary>
public enum TextRedactionStatus
{
    /// <summary>Text was found and removed; the output is written.</summary>
    Redacted,

    /// <summary>No text was found; the output is a copy of the input (or the input, in place, is left as it was).</summary>
    NoTextFound,

    /// <summary>The file has no pixel data (SR, RT structure sets, waveforms...): copied unchanged.</summary>
    NoPixelData,

    /// <summary>The output already holds exactly this result (a rerun).</summary>
    Unchanged,

    /// <summary>The pixels could not be decoded, or verification found text left: the file is in the quarantine, not the output.</summary>
    Quarantined,

    /// <summary>The file could not be processed (not DICOM, unreadable, not writable); see ErrorId.</summary>
    Failed,
}

/// <summary>One redacted box: where, how it was found and why (never the text, unless asked for).</summary>
public sealed record RedactedTextBox(int Frame, int X, int Y, int Width, int Height, string Method, string Reason, double Confidence)
{
    /// <summary>The recognized text, only with -IncludeText (it may be PHI).</summary>
    public string? Text { get; init; }

    /// <summary>The view of the frame the box was found in (minmax, window1, percentile, high-plane, low-plane, luminance, colour); null for regions and rules.</summary>
    public string? View { get; init; }

    public override string ToString() => $"frame {Frame}: {Width}x{Height} at ({X},{Y}) [{Method}: {Reason}]";
}

/// <summary>The result of Remove-BurnedInText for one file.</summary>
public sealed record TextRedactionResult
{
    private readonly FlatCollection<string> _warnings = FlatCollection.Empty<string>();
    private readonly FlatCollection<string> _verificationFindings = FlatCollection.Empty<string>();
    private readonly FlatCollection<RedactedTextBox> _boxes = FlatCollection.Empty<RedactedTextBox>();

    /// <summary>The output file (or, for a quarantined file, where it would have gone).</summary>
    public required string FullName { get; init; }

    /// <summary>The file this step read (in place: the same as FullName).</summary>
    public required string InputPath { get; init; }

    /// <summary>
    /// The original, identified file the output was made from: the piped original (Remove-DicomPhi's SourcePath), else
    /// the input when the output goes to another folder; null for a file cleaned in place whose original is not known.
    /// It binds -Original of the next cmdlet, like the SourcePath of every result of this module.
    /// </summary>
    public string? SourcePath { get; init; }

    /// <summary>The output file's name.</summary>
    public string Name => Path.GetFileName(FullName);

    /// <summary>The name of the original file (or of the input, when the original is not known).</summary>
    public string SourceName => Path.GetFileName(SourcePath ?? InputPath);

    public TextRedactionStatus Status { get; init; }

    /// <summary>Frames processed.</summary>
    public int Frames { get; init; }

    /// <summary>The boxes filled, over all frames.</summary>
    public IReadOnlyList<RedactedTextBox> Boxes { get => _boxes; init => _boxes = FlatCollection.From(value); }

    /// <summary>The number of boxes filled.</summary>
    public int BoxCount => Boxes.Count;

    /// <summary>Pixels changed (per frame summed).</summary>
    public long AlteredPixels { get; init; }

    /// <summary>Changed pixels / all pixels of all frames.</summary>
    public double AlteredFraction { get; init; }

    /// <summary>True when every frame was checked again after redaction and no PHI text was left; null when -Verify was not asked.</summary>
    public bool? Verified { get; init; }

    /// <summary>Why verification failed (kinds of text found, never the text).</summary>
    public IReadOnlyList<string> VerificationFindings { get => _verificationFindings; init => _verificationFindings = FlatCollection.From(value); }

    /// <summary>Overlay planes (60xx) and icon images removed from the output.</summary>
    public int OverlaysRemoved { get; init; }

    public int IconsRemoved { get; init; }

    /// <summary>The transfer syntax of the input and of the output.</summary>
    public string? SourceTransferSyntax { get; init; }

    public string? TransferSyntax { get; init; }

    /// <summary>Where the file went when quarantined.</summary>
    public string? QuarantinePath { get; init; }

    /// <summary>Notes (e.g. the source syntax could not be kept), never values.</summary>
    public IReadOnlyList<string> Warnings { get => _warnings; init => _warnings = FlatCollection.From(value); }

    /// <summary>A stable error or quarantine reason id (NotDicomFile, DicomReadFailed, DestinationExists, DestinationIsSource, UnsupportedPixelEncoding, PixelDecodeFailed, PixelDataIncomplete, PixelEncodeFailed, TextRemains, WriteFailed).</summary>
    public string? ErrorId { get; init; }

    /// <summary>The message that goes with ErrorId (no values).</summary>
    public string? Message { get; init; }

    public TimeSpan Duration { get; init; }

    /// <inheritdoc/>
    public override string ToString() => FullName;
}
