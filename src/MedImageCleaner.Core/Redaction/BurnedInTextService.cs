using System.Diagnostics;
using System.Security.Cryptography;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Core.Redaction;

/// <summary>How the output's pixel data is encoded (-TransferSyntax).</summary>
public enum RedactionOutputSyntax
{
    /// <summary>Explicit VR Little Endian, uncompressed (the default: every reader opens it).</summary>
    Native,

    /// <summary>The source's transfer syntax where we have a lossless encoder for it (RLE, JPEG lossless); otherwise native, with a warning.</summary>
    Keep,
}

/// <summary>One file to clean: the file, and (when it is a de-identified output) the original it came from.</summary>
/// <param name="Path">The DICOM file whose pixels are cleaned.</param>
/// <param name="OriginalPath">The file it was de-identified from (Remove-DicomPhi's SourcePath): its header values are
/// what burned-in PHI looks like. Null when not known.</param>
public sealed record BurnedInTextRequest(string Path, string? OriginalPath = null)
{
    /// <summary>The path below the folder the input was found in: with a destination, the output keeps it (two inputs of one name in different folders never meet). Null: the file name.</summary>
    public string? RelativePath { get; init; }
}

/// <summary>
/// Remove-BurnedInText per file: decode every frame, detect and fill text (<see cref="FrameRedactionEngine"/>),
/// verify, re-encode, write atomically, or quarantine when the pixels cannot be decoded or text remains. Frames are
/// handled one at a time (the output's pixel data spills to a temporary file when large). Thread-safe: each thread
/// gets its own engine (Tesseract is not thread-safe).
/// </summary>
public sealed class BurnedInTextService : IDisposable
{
    private readonly ThreadLocal<FrameRedactionEngine> _engines;
    private readonly RedactionOutputSyntax _outputSyntax;
    private readonly bool _force;

    /// <summary>Creates the service; <paramref name="destination"/> null means in place (the input is replaced).</summary>
    /// <exception cref="Pixels.Ocr.OcrEngineUnavailableException">OCR is needed and Tesseract or its language data is missing.</exception>
    /// <exception cref="NativeLibraryMissingException">OpenCV's native library cannot be loaded.</exception>
    public BurnedInTextService(TextRedactionOptions options, string? destination, Quarantine quarantine, RedactionOutputSyntax outputSyntax = RedactionOutputSyntax.Native, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(quarantine);
        Options = options;
        Destination = destination is null ? null : Path.GetFullPath(destination);
        Quarantine = quarantine;
        _outputSyntax = outputSyntax;
        _force = force;
        CoreCodecs.EnsureRegistered();

        // OpenCV and one engine now: a missing native library or Tesseract is reported before any file is touched.
        NativeLibraries.EnsureOpenCv();
        var first = new FrameRedactionEngine(options);
        var handedOut = 0;
        _engines = new ThreadLocal<FrameRedactionEngine>(() => Interlocked.Exchange(ref handedOut, 1) == 0 ? first : new FrameRedactionEngine(options), trackAllValues: true);
    }

    public TextRedactionOptions Options { get; }

    /// <summary>The output folder, or null for in place.</summary>
    public string? Destination { get; }

    public Quarantine Quarantine { get; }

    /// <summary>Cleans one file.</summary>
    public TextRedactionResult Process(BurnedInTextRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = ProcessFile(request, cancellationToken);
        var original = request.OriginalPath is null ? null : Path.GetFullPath(request.OriginalPath);
        return result with { SourcePath = original ?? (Destination is null ? null : result.InputPath) };
    }

    private TextRedactionResult ProcessFile(BurnedInTextRequest request, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var source = Path.GetFullPath(request.Path);
        var target = Destination is null ? source : Path.GetFullPath(Path.Combine(Destination, request.RelativePath ?? Path.GetFileName(source)));
        if (Destination is not null && !target.StartsWith(Destination + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            target = Path.Combine(Destination, Path.GetFileName(source));
        }

        if (Destination is not null && string.Equals(target, source, StringComparison.Ordinal))
        {
            return Failed(source, target, "DestinationIsSource", $"'{source}' is in the destination folder; choose another -Destination or clean it in place.", watch);
        }

        DicomFile file;
        try
        {
            file = DicomFile.Open(source);
        }
        catch (NotDicomException)
        {
            return Failed(source, target, "NotDicomFile", $"'{source}' is not a DICOM file.", watch);
        }
        catch (DicomReadException ex)
        {
            return Failed(source, target, "DicomReadFailed", $"'{source}' cannot be read: {ex.Message}", watch);
        }

        using (file)
        {
            try
            {
                return Clean(request, file, source, target, watch, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (DicomReadException ex)
            {
                // A value read lazily (pixel data, a large element) turned out damaged.
                return Failed(source, target, "DicomReadFailed", $"'{source}' cannot be read: {ex.Message}", watch);
            }
            catch (DicomWriteException ex)
            {
                return Failed(source, target, "WriteFailed", $"'{source}' could not be written: {ex.Message}", watch);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Failed(source, target, "WriteFailed", $"'{target}' could not be written: {ex.Message}", watch);
            }
        }
    }

    public void Dispose()
    {
        foreach (var engine in _engines.Values)
        {
            engine.Dispose();
        }

        _engines.Dispose();
    }

    private TextRedactionResult Clean(BurnedInTextRequest request, DicomFile file, string source, string target, Stopwatch watch, CancellationToken cancellationToken)
    {
        var dataset = file.Dataset;
        var sourceSyntax = file.TransferSyntax;
        var baseResult = new TextRedactionResult { FullName = target, InputPath = source, SourceTransferSyntax = sourceSyntax.Uid };
        if (!PixelData.TryCreate(dataset, out var pixels))
        {
            // Nothing to look at in the pixels: the file goes through as it is.
            var status = CopyUnchanged(source, target, TextRedactionStatus.NoPixelData);
            return status == TextRedactionStatus.Failed
                ? DestinationExists(source, target, watch)
                : baseResult with { Status = status, TransferSyntax = sourceSyntax.Uid, Duration = watch.Elapsed };
        }

        if (!PixelCodecs.TryGetDecoder(sourceSyntax, out _))
        {
            return ToQuarantine(baseResult, source, "UnsupportedPixelEncoding",
                $"No decoder for the transfer syntax {sourceSyntax.Name} ({sourceSyntax.Uid}): the pixels cannot be checked for text.", watch);
        }

        if (pixels.AvailableFrames == 0 || pixels.AvailableFrames < pixels.NumberOfFrames)
        {
            // Truncated pixel data: frames that cannot be read cannot be checked, and a shortened copy is not the image.
            return ToQuarantine(baseResult, source, "PixelDataIncomplete",
                $"The pixel data holds {pixels.AvailableFrames} of {pixels.NumberOfFrames} frames: the file is damaged.", watch);
        }

        var phi = BuildPhiContext(dataset, request.OriginalPath);
        var session = _engines.Value!.BeginImage(ImageAttributes.FromDataset(dataset), phi);
        var boxes = new List<RedactedTextBox>();
        var findings = new List<string>();
        var warnings = new List<string>();
        long altered = 0;
        long totalPixels = 0;
        var verified = Options.Verify;
        var verifiedFrames = 0;
        var frames = pixels.AvailableFrames;
        var outputSyntax = TransferSyntax.ExplicitVRLittleEndian;
        IFrameEncoder? encoder = null;
        PixelDataWriter? writer = null;
        try
        {
            for (var i = 0; i < frames; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                DecodedFrame frame;
                try
                {
                    frame = PixelCodecs.Decode(pixels, sourceSyntax, i);
                }
                catch (PixelCodecException ex)
                {
                    return ToQuarantine(baseResult with { Frames = i }, source, ex.IsUnsupported ? "UnsupportedPixelEncoding" : "PixelDecodeFailed",
                        $"Frame {i} cannot be decoded: {ex.Message}", watch);
                }

                var result = session.Redact(frame, i);
                altered += result.AlteredPixels;
                totalPixels += (long)frame.Rows * frame.Columns;
                foreach (var b in result.Boxes)
                {
                    boxes.Add(new RedactedTextBox(i, b.Box.X, b.Box.Y, b.Box.Width, b.Box.Height, b.Method.ToString(), b.Reason, Math.Round(b.Confidence, 1)) { Text = b.Text, View = b.View });
                }

                verifiedFrames += result.VerificationRan ? 1 : 0;
                if (result.VerificationRan && !result.Verified)
                {
                    verified = false;
                    foreach (var reason in result.VerificationReasons)
                    {
                        findings.Add($"frame {i}: {reason}");
                    }
                }

                if (writer is null)
                {
                    (outputSyntax, encoder) = ChooseOutput(sourceSyntax, frame, warnings);
                    writer = PixelDataWriter.Begin(dataset, outputSyntax, encoder);
                }

                try
                {
                    writer.Add(frame);
                }
                catch (PixelCodecException ex)
                {
                    return Failed(source, target, "PixelEncodeFailed", $"Frame {i} of '{source}' could not be encoded as {outputSyntax.Name}: {ex.Message}", watch);
                }
            }

            if (Options.Verify && verifiedFrames < frames)
            {
                warnings.Add($"VerificationSampled: {verifiedFrames} of {frames} frames were read again after redaction (the first, the last, an even sample and frames with text)");
            }

            var overlays = RemoveOverlays(dataset);
            var icons = RemoveIcons(dataset);
            var fraction = totalPixels == 0 ? 0 : (double)altered / totalPixels;
            var done = baseResult with
            {
                Frames = frames,
                Boxes = boxes,
                AlteredPixels = altered,
                AlteredFraction = fraction,
                Verified = Options.Verify ? verified : null,
                VerificationFindings = findings,
                OverlaysRemoved = overlays,
                IconsRemoved = icons,
                Warnings = warnings,
            };

            if (Options.Verify && !verified)
            {
                // Text that looks like PHI is still readable: the redacted image goes to the quarantine for review.
                writer!.Complete();
                MarkBurnedIn(dataset, sourceSyntax, verified: false);
                var quarantined = Path.Combine(Quarantine.Directory, Path.GetFileName(target));
                Directory.CreateDirectory(Quarantine.Directory);
                Write(new DicomFile(dataset, outputSyntax), quarantined, overwrite: true);
                Quarantine.Place(quarantined, "TextRemains", "Text that looks like PHI is still readable after redaction: " + string.Join("; ", findings), move: true);
                RemoveInPlaceOutput(source);
                return done with { Status = TextRedactionStatus.Quarantined, FullName = target, QuarantinePath = quarantined, ErrorId = "TextRemains", Message = $"'{source}': text is still readable after redaction; quarantined.", Duration = watch.Elapsed };
            }

            if (boxes.Count == 0 && overlays == 0 && icons == 0 && (!Options.Verify || IsMarkedClean(dataset)))
            {
                // Nothing found and nothing to mark: the output is the input, byte for byte. In place, a file an earlier
                // pass of ours wrote is a rerun: Unchanged.
                var status = CopyUnchanged(source, target, Destination is null && OutputLineage.HasNote(dataset) ? TextRedactionStatus.Unchanged : TextRedactionStatus.NoTextFound);
                return status == TextRedactionStatus.Failed
                    ? DestinationExists(source, target, watch)
                    : done with { Status = status, TransferSyntax = sourceSyntax.Uid, Duration = watch.Elapsed };
            }

            writer!.Complete();
            MarkBurnedIn(dataset, sourceSyntax, Options.Verify && verified);

            // Which de-identified file this one was made from: a rerun of Remove-DicomPhi recognises its own output.
            OutputLineage.Add(dataset, HashFile(source));
            var outcome = WriteOutput(new DicomFile(dataset, outputSyntax), target);
            var finalStatus = outcome ?? (boxes.Count > 0 ? TextRedactionStatus.Redacted : TextRedactionStatus.NoTextFound);
            if (finalStatus == TextRedactionStatus.Failed)
            {
                return DestinationExists(source, target, watch);
            }

            return done with { Status = finalStatus, TransferSyntax = outputSyntax.Uid, Duration = watch.Elapsed };
        }
        finally
        {
            writer?.Dispose();
        }
    }

    /// <summary>The output syntax and encoder for the first decoded frame.</summary>
    private (TransferSyntax Syntax, IFrameEncoder? Encoder) ChooseOutput(TransferSyntax source, DecodedFrame frame, List<string> warnings)
    {
        if (_outputSyntax == RedactionOutputSyntax.Keep && source.IsEncapsulated)
        {
            if (PixelCodecs.TryGetEncoder(source, frame, out var encoder) && encoder.IsLossless)
            {
                return (source, encoder);
            }

            if (source.Equals(TransferSyntax.JpegLossless) && PixelCodecs.TryGetEncoder(TransferSyntax.JpegLosslessSV1, frame, out var sv1) && sv1.IsLossless)
            {
                return (source, new SelectionValueOneAsProcess14Encoder(sv1));
            }

            warnings.Add($"KeepSyntaxNotPossible: no lossless encoder for {source.Name}; written as Explicit VR Little Endian");
        }

        return (TransferSyntax.ExplicitVRLittleEndian, null);
    }

    /// <summary>BurnedInAnnotation NO only when cleaned and verified; a lossy source keeps its lossy history.</summary>
    private static void MarkBurnedIn(DicomDataset dataset, TransferSyntax source, bool verified)
    {
        dataset.AddOrUpdate(DicomTag.BurnedInAnnotation, DicomVR.CS, verified ? "NO" : "YES");
        if (IsLossy(source))
        {
            dataset.AddOrUpdate(DicomTag.LossyImageCompression, DicomVR.CS, "01");
        }
    }

    private static bool IsMarkedClean(DicomDataset dataset) => string.Equals(dataset.GetString(DicomTag.BurnedInAnnotation)?.Trim(), "NO", StringComparison.Ordinal);

    private static bool IsLossy(TransferSyntax syntax) =>
        syntax == TransferSyntax.JpegBaseline || syntax == TransferSyntax.JpegExtended || syntax == TransferSyntax.JpegLSNearLossless ||
        syntax == TransferSyntax.Jpeg2000 || syntax == TransferSyntax.Jpeg2000Part2 || syntax == TransferSyntax.HTJ2K;

    /// <summary>Removes overlay planes (60xx groups, even groups 6000-601E): their bitmaps may hold text.</summary>
    private static int RemoveOverlays(DicomDataset dataset)
    {
        var groups = new HashSet<ushort>();
        foreach (var item in dataset)
        {
            if (item.Tag.Group is >= 0x6000 and <= 0x601E && item.Tag.Group % 2 == 0)
            {
                groups.Add(item.Tag.Group);
            }
        }

        dataset.RemoveAll(i => i.Tag.Group is >= 0x6000 and <= 0x601E && i.Tag.Group % 2 == 0);
        return groups.Count;
    }

    /// <summary>Removes icon images (0088,0200) at any depth: thumbnails of the same pixels, text included.</summary>
    private static int RemoveIcons(DicomDataset dataset)
    {
        var removed = dataset.Remove(DicomTag.IconImageSequence) ? 1 : 0;
        foreach (var item in dataset)
        {
            if (item is DicomSequence seq)
            {
                foreach (var nested in seq.Items)
                {
                    removed += RemoveIcons(nested);
                }
            }
        }

        return removed;
    }

    private static PhiContext BuildPhiContext(DicomDataset dataset, string? originalPath)
    {
        var context = PhiContextBuilder.Build(dataset);
        if (originalPath is null || !File.Exists(originalPath))
        {
            return context;
        }

        try
        {
            using var original = DicomFile.Open(originalPath);
            var before = PhiContextBuilder.Build(original.Dataset);
            context.PersonNames.AddRange(before.PersonNames);
            context.Identifiers.AddRange(before.Identifiers);
            context.Dates.AddRange(before.Dates);
            context.OtherValues.AddRange(before.OtherValues);
        }
        catch (MedImageCleanerException)
        {
            // The original is gone or damaged: the output's own header and the generic patterns still apply.
        }

        return context;
    }

    private TextRedactionResult ToQuarantine(TextRedactionResult result, string source, string reasonId, string message, Stopwatch watch)
    {
        var inPlace = Destination is null;
        var quarantined = Quarantine.Place(source, reasonId, message, move: inPlace);
        return result with { Status = TextRedactionStatus.Quarantined, QuarantinePath = quarantined, ErrorId = reasonId, Message = $"'{source}': {message} Quarantined.", Duration = watch.Elapsed };
    }

    /// <summary>In place, a file that failed verification must not stay in the clean folder.</summary>
    private void RemoveInPlaceOutput(string source)
    {
        if (Destination is null)
        {
            File.Delete(source);
        }
    }

    /// <summary>Copies the input unchanged to the target (nothing in place): <paramref name="copied"/>, Unchanged or Failed (exists).</summary>
    private TextRedactionStatus CopyUnchanged(string source, string target, TextRedactionStatus copied)
    {
        if (Destination is null)
        {
            return copied;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var pending = AtomicFile.Create(target);
        string hash;
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        using (var hashing = new HashingStream(pending.Stream))
        {
            input.CopyTo(hashing, 1 << 16);
            hash = hashing.HashHex();
        }

        return Commit(pending, target, hash) ?? copied;
    }

    /// <summary>Writes the redacted file to the target: null when written, Unchanged or Failed (exists) otherwise.</summary>
    private TextRedactionStatus? WriteOutput(DicomFile output, string target)
    {
        if (Destination is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        }

        using var pending = AtomicFile.Create(target);
        string hash;
        using (var hashing = new HashingStream(pending.Stream))
        {
            output.Save(hashing, new DicomWriteOptions { KeepOtherFileMetaElements = false });
            hash = hashing.HashHex();
        }

        return Commit(pending, target, hash);
    }

    private TextRedactionStatus? Commit(PendingFile pending, string target, string hash)
    {
        if (Destination is null)
        {
            // In place: the input is replaced (it is a de-identified output the caller asked to clean), unless it holds these bytes already.
            if (HashFile(target) == hash)
            {
                return TextRedactionStatus.Unchanged;
            }

            pending.TryCommit(overwrite: true);
            return null;
        }

        if (pending.TryCommit(overwrite: false))
        {
            return null;
        }

        if (HashFile(target) == hash)
        {
            return TextRedactionStatus.Unchanged;
        }

        if (!_force)
        {
            return TextRedactionStatus.Failed;
        }

        pending.TryCommit(overwrite: true);
        return null;
    }

    private static void Write(DicomFile file, string path, bool overwrite) =>
        file.Save(path, new DicomWriteOptions { KeepOtherFileMetaElements = false }, overwrite);

    private static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static TextRedactionResult DestinationExists(string source, string target, Stopwatch watch) =>
        Failed(source, target, "DestinationExists", $"'{target}' exists with other content; use -Force to overwrite it.", watch);

    private static TextRedactionResult Failed(string source, string target, string errorId, string message, Stopwatch watch) =>
        new() { FullName = target, InputPath = source, Status = TextRedactionStatus.Failed, ErrorId = errorId, Message = message, Duration = watch.Elapsed };
}
