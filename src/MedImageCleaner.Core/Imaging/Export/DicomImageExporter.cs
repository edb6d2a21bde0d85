using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>
/// Convert-DicomImage per file: open, decode the selected frames one at a time (every registered codec), render
/// them (<see cref="FrameRenderer"/>), resize when asked, and write PNG/JPEG (a file per frame) or TIFF/NPY (one
/// file) atomically under a name that carries no PHI (the SOP Instance UID, else a hash of the path). Thread-safe:
/// one instance serves every worker.
/// </summary>
public sealed class DicomImageExporter
{
    /// <summary>Creates the exporter; the options must be valid (<see cref="ExportOptions.Validate"/>).</summary>
    /// <exception cref="ArgumentException">The options are not a valid combination.</exception>
    public DicomImageExporter(ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        Options = options with { Destination = Path.GetFullPath(options.Destination) };
        CoreCodecs.EnsureRegistered();
    }

    public ExportOptions Options { get; }

    /// <summary>The file extension of a format (with the dot).</summary>
    public static string Extension(ExportFormat format) => format switch
    {
        ExportFormat.Jpeg => ".jpg",
        ExportFormat.Tiff => ".tif",
        ExportFormat.Npy => ".npy",
        _ => ".png",
    };

    /// <summary>
    /// The output base name of a dataset: its SOP Instance UID with anything but letters, digits, '.' and '-' replaced,
    /// or, without one, "sha256-" and 16 hex digits of the full path. Never the input file name (it may be a patient's).
    /// </summary>
    public static string BaseName(DicomDataset dataset, string fullPath)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fullPath);
        var uid = dataset.GetString(DicomTag.SOPInstanceUID)?.Trim();
        if (!string.IsNullOrEmpty(uid))
        {
            var sb = new StringBuilder(Math.Min(uid.Length, 64));
            foreach (var ch in uid)
            {
                if (sb.Length == 64)
                {
                    break;
                }

                sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' ? ch : '_');
            }

            var name = sb.ToString().Trim('.');
            if (name.Length > 0)
            {
                return name;
            }
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(fullPath));
        return "sha256-" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>Exports one file; with <paramref name="planOnly"/> nothing is decoded or written (the names are still checked).</summary>
    public ExportOutcome Export(string path, bool planOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var source = Path.GetFullPath(path);
        if (DicomFileOpener.TryOpen(source, out var failure) is not { } file)
        {
            return Failed(source, failure!.ErrorId, failure.Message);
        }

        var written = new List<ConvertedImage>();
        using (file)
        {
            try
            {
                return ConvertFile(file, source, planOnly, written, cancellationToken);
            }
            catch (ExportException ex)
            {
                return Failed(source, ex.ErrorId, $"'{source}': {ex.Message}") with { Images = written };
            }
            catch (PixelCodecException ex)
            {
                return Failed(source, ex.IsUnsupported ? "UnsupportedPixelEncoding" : "PixelDecodeFailed", $"'{source}': {ex.Message}") with { Images = written };
            }
            catch (DicomReadException ex)
            {
                return Failed(source, FileErrorIds.DicomReadFailed, $"'{source}' cannot be read: {ex.Message}") with { Images = written };
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Failed(source, FileErrorIds.WriteFailed, $"'{source}': the output could not be written ({ex.GetType().Name}).") with { Images = written };
            }
        }
    }

    private ExportOutcome ConvertFile(DicomFile file, string source, bool planOnly, List<ConvertedImage> written, CancellationToken token)
    {
        var o = Options;
        var dataset = file.Dataset;
        if (!PixelData.TryCreate(dataset, out var pixels))
        {
            return Failed(source, "NoPixelData", $"'{source}' has no pixel data.");
        }

        if (!PixelCodecs.TryGetDecoder(file.TransferSyntax, out _))
        {
            return Failed(source, "UnsupportedPixelEncoding", $"'{source}': no decoder for the transfer syntax {file.TransferSyntax.Name} ({file.TransferSyntax.Uid}).");
        }

        var available = pixels.AvailableFrames;
        if (available == 0)
        {
            return Failed(source, "PixelDecodeFailed", $"'{source}': the pixel data holds no complete frame.");
        }

        var selection = o.Frames ?? (o.Format is ExportFormat.Png or ExportFormat.Jpeg ? FrameSelection.First : FrameSelection.All);
        if (!selection.TryResolve(available, out var frames))
        {
            return Failed(source, "FrameOutOfRange", $"'{source}' has {available} frame(s) (indexes 0 to {available - 1}); the -Frame selection is outside them.");
        }

        var baseName = BaseName(dataset, source);
        var ext = Extension(o.Format);
        var perFrame = o.Format is ExportFormat.Png or ExportFormat.Jpeg;
        var targets = new List<string>();
        if (perFrame)
        {
            foreach (var f in frames)
            {
                targets.Add(Path.Combine(o.Destination, frames.Length > 1 ? $"{baseName}_f{f:D4}{ext}" : baseName + ext));
            }
        }
        else
        {
            targets.Add(Path.Combine(o.Destination, baseName + ext));
        }

        foreach (var t in targets)
        {
            if (!o.Overwrite && File.Exists(t))
            {
                return DestinationExists(source, t);
            }
        }

        if (planOnly)
        {
            return new ExportOutcome { SourcePath = source };
        }

        Directory.CreateDirectory(o.Destination);
        var module = PixelModule.Read(dataset, pixels.IsSigned);
        var syntax = file.TransferSyntax;
        if (perFrame)
        {
            for (var k = 0; k < frames.Length; k++)
            {
                token.ThrowIfCancellationRequested();
                var image = RenderFrame(PixelCodecs.Decode(pixels, syntax, frames[k]), module);
                using var pending = AtomicFile.Create(targets[k]);
                using (var buffered = new BufferedStream(pending.Stream, 1 << 16))
                {
                    if (o.Format == ExportFormat.Jpeg)
                    {
                        buffered.Write(ImageOps.EncodeJpeg(image, o.Quality));
                    }
                    else
                    {
                        PngWriter.Write(buffered, image, o.CompressionLevel, o.RowFilter);
                    }
                }

                if (!pending.TryCommit(o.Overwrite))
                {
                    return DestinationExists(source, targets[k]) with { Images = written };
                }

                written.Add(Image(targets[k], image.Width, image.Height, 1, image.BitDepth, image.Channels, frames[k], null, source));
            }

            return new ExportOutcome { SourcePath = source, Images = written };
        }

        using (var pending = AtomicFile.Create(targets[0]))
        {
            ConvertedImage result;
            using (var buffered = new BufferedStream(pending.Stream, 1 << 16))
            {
                result = o.Format == ExportFormat.Tiff
                    ? WriteTiff(buffered, pixels, syntax, module, frames, targets[0], source, token)
                    : WriteNpy(buffered, pixels, syntax, module, frames, targets[0], source, token);
            }

            if (!pending.TryCommit(o.Overwrite))
            {
                return DestinationExists(source, targets[0]);
            }

            written.Add(result);
        }

        return new ExportOutcome { SourcePath = source, Images = written };
    }

    private RenderedImage RenderFrame(DecodedFrame frame, PixelModule module)
    {
        var o = Options;
        var settings = new RenderSettings(o)
        {
            BitDepth = o.BitDepth ?? (o.Raw && FrameRenderer.BitsStored(frame) > 8 ? 16 : 8),
            Raw = o.Raw,
            AllowSigned = o.Format == ExportFormat.Tiff,
        };
        var image = FrameRenderer.Render(frame, module, settings);
        var (w, h) = ImageOps.TargetSize(image.Width, image.Height, o.Size, o.Scale, o.KeepAspectRatio);
        return ImageOps.Resize(image, w, h);
    }

    private ConvertedImage WriteTiff(Stream output, PixelData pixels, TransferSyntax syntax, PixelModule module, int[] frames, string target, string source, CancellationToken token)
    {
        TiffWriter? writer = null;
        RenderedImage? first = null;
        foreach (var f in frames)
        {
            token.ThrowIfCancellationRequested();
            var image = RenderFrame(PixelCodecs.Decode(pixels, syntax, f), module);
            first ??= image;
            writer ??= new TiffWriter(output, image.Width, image.Height, image.Channels, image.BitDepth, image.Signed, frames.Length);
            writer.WritePage(image);
        }

        return Image(target, first!.Width, first.Height, frames.Length, first.BitDepth, first.Channels, frames[0], null, source);
    }

    private ConvertedImage WriteNpy(Stream output, PixelData pixels, TransferSyntax syntax, PixelModule module, int[] frames, string target, string source, CancellationToken token)
    {
        NpyType? type = null;
        int width = 0, height = 0, channels = 0;
        foreach (var f in frames)
        {
            token.ThrowIfCancellationRequested();
            var frame = PixelCodecs.Decode(pixels, syntax, f);
            var (values, ch) = NpyValues.Read(frame, module, Options.Raw);
            var (w, h) = ImageOps.TargetSize(frame.Columns, frame.Rows, Options.Size, Options.Scale, Options.KeepAspectRatio);
            if (w != frame.Columns || h != frame.Rows)
            {
                values = ImageOps.Resize(values, frame.Columns, frame.Rows, ch, w, h);
            }

            if (type is null)
            {
                type = NpyValues.ChooseType(frame, module, Options.Raw);
                (width, height, channels) = (w, h, ch);
                int[] shape = ch == 1 ? [frames.Length, h, w] : [frames.Length, h, w, ch];
                NpyWriter.WriteHeader(output, type, shape);
            }

            output.Write(NpyValues.Encode(values, type));
        }

        return Image(target, width, height, frames.Length, type!.Bytes * 8, channels, frames[0], type.Descr, source);
    }

    private ConvertedImage Image(string path, int width, int height, int frames, int bits, int channels, int firstFrame, string? dtype, string source) => new()
    {
        FullName = path,
        Format = Options.Format,
        Width = width,
        Height = height,
        Frames = frames,
        BitDepth = bits,
        Channels = channels,
        FrameIndex = firstFrame,
        DataType = dtype,
        SourcePath = source,
    };

    private static ExportOutcome DestinationExists(string source, string target) =>
        Failed(source, "DestinationExists", $"'{target}' exists; use -Force to overwrite it.") with { TargetPath = target };

    private static ExportOutcome Failed(string source, string errorId, string message) =>
        new() { SourcePath = source, ErrorId = errorId, Message = message, TargetPath = source };
}

/// <summary>The values an NPY file holds: stored values (-Raw), modality values (grey), or RGB samples (colour).</summary>
internal static class NpyValues
{
    /// <summary>The element type for frames like <paramref name="frame"/>: fixed by the header, not by the data, so every file of a series agrees.</summary>
    public static NpyType ChooseType(DecodedFrame frame, PixelModule module, bool raw)
    {
        var bits = FrameRenderer.BitsStored(frame);
        var photometric = frame.PhotometricInterpretation.Trim().ToUpperInvariant();
        if (raw)
        {
            return frame.BytesPerSample switch
            {
                1 => frame.IsSigned ? NpyType.I1 : NpyType.U1,
                2 => frame.IsSigned ? NpyType.I2 : NpyType.U2,
                _ => frame.IsSigned ? NpyType.I4 : NpyType.U4,
            };
        }

        if (frame.SamplesPerPixel == 1 && photometric == "PALETTE COLOR")
        {
            var max = 0;
            foreach (var lut in module.Palette ?? [])
            {
                max = Math.Max(max, lut.BitsPerEntry);
            }

            return max <= 8 ? NpyType.U1 : NpyType.U2;
        }

        if (frame.SamplesPerPixel == 3)
        {
            return bits <= 8 ? NpyType.U1 : bits <= 16 ? NpyType.U2 : NpyType.U4;
        }

        if (!module.ModalityIsIntegral)
        {
            return NpyType.F4;
        }

        double lo, hi;
        if (module.ModalityLut is { } m)
        {
            lo = double.MaxValue;
            hi = double.MinValue;
            foreach (var e in m.Entries)
            {
                lo = Math.Min(lo, e);
                hi = Math.Max(hi, e);
            }
        }
        else
        {
            var minStored = frame.IsSigned ? -Math.Pow(2, bits - 1) : 0;
            var maxStored = frame.IsSigned ? Math.Pow(2, bits - 1) - 1 : Math.Pow(2, bits) - 1;
            var a = (minStored * module.RescaleSlope) + module.RescaleIntercept;
            var b = (maxStored * module.RescaleSlope) + module.RescaleIntercept;
            (lo, hi) = (Math.Min(a, b), Math.Max(a, b));
        }

        return NpyType.SmallestInteger(lo, hi);
    }

    /// <summary>The values of one frame (row-major, samples interleaved) and the channel count.</summary>
    public static (double[] Values, int Channels) Read(DecodedFrame frame, PixelModule module, bool raw)
    {
        var bits = FrameRenderer.BitsStored(frame);
        var n = frame.Rows * frame.Columns * frame.SamplesPerPixel;
        var mask = bits >= 32 ? uint.MaxValue : (1u << bits) - 1;
        var photometric = frame.PhotometricInterpretation.Trim().ToUpperInvariant();
        var values = new double[n];
        if (raw)
        {
            for (var i = 0; i < n; i++)
            {
                values[i] = FrameRenderer.Value(FrameRenderer.Code(frame.Data, frame.BytesPerSample, i, mask), bits, frame.IsSigned);
            }

            return (values, frame.SamplesPerPixel);
        }

        if (frame.SamplesPerPixel == 3 && photometric is "RGB" or "YBR_FULL")
        {
            var rgb = FrameRenderer.RgbSamples(frame, bits, photometric == "YBR_FULL");
            for (var i = 0; i < n; i++)
            {
                values[i] = rgb[i];
            }

            return (values, 3);
        }

        if (frame.SamplesPerPixel == 1 && photometric == "PALETTE COLOR")
        {
            var palette = module.Palette ?? throw new ExportException("UnsupportedPixelEncoding", "The PALETTE COLOR image has no usable palette color lookup tables.");
            var result = new double[n * 3];
            for (var i = 0; i < n; i++)
            {
                var index = FrameRenderer.Value(FrameRenderer.Code(frame.Data, frame.BytesPerSample, i, mask), bits, frame.IsSigned);
                for (var c = 0; c < 3; c++)
                {
                    result[(3 * i) + c] = palette[c][index];
                }
            }

            return (result, 3);
        }

        if (frame.SamplesPerPixel == 1 && photometric is "MONOCHROME1" or "MONOCHROME2" or "")
        {
            for (var i = 0; i < n; i++)
            {
                values[i] = module.Modality(FrameRenderer.Value(FrameRenderer.Code(frame.Data, frame.BytesPerSample, i, mask), bits, frame.IsSigned));
            }

            return (values, 1);
        }

        throw new ExportException("UnsupportedPixelEncoding", $"{frame.SamplesPerPixel} samples per pixel with this photometric interpretation cannot be exported.");
    }

    /// <summary>The values as little-endian elements of <paramref name="type"/> (integers rounded and saturated).</summary>
    public static byte[] Encode(double[] values, NpyType type)
    {
        var bytes = new byte[values.Length * type.Bytes];
        var span = bytes.AsSpan();
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var at = span[(i * type.Bytes)..];
            if (type.Float)
            {
                if (type.Bytes == 4)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(at, (float)v);
                }
                else
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(at, v);
                }

                continue;
            }

            var r = Math.Clamp(Math.Round(v), type.Minimum, type.Maximum);
            switch (type.Bytes)
            {
                case 1:
                    at[0] = type.Signed ? (byte)(sbyte)r : (byte)r;
                    break;
                case 2:
                    if (type.Signed)
                    {
                        BinaryPrimitives.WriteInt16LittleEndian(at, (short)r);
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)r);
                    }

                    break;
                default:
                    if (type.Signed)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(at, (int)r);
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)r);
                    }

                    break;
            }
        }

        return bytes;
    }
}
