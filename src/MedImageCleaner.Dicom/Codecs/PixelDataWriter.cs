using System.Buffers.Binary;
using System.Globalization;
using MedImageCleaner.Dicom.IO;
using Microsoft.Win32.SafeHandles;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>How <see cref="PixelDataWriter"/> holds frames.</summary>
public sealed record PixelDataWriterOptions
{
    /// <summary>The defaults: up to 16 MiB of frames in memory, then a temporary file in the system temp folder.</summary>
    public static PixelDataWriterOptions Default { get; } = new();

    /// <summary>Frame bytes kept in memory; above this the frames go to a temporary file.</summary>
    public long MemoryThreshold { get; init; } = 16L * 1024 * 1024;

    /// <summary>The folder of the temporary file (null: <see cref="Path.GetTempPath"/>).</summary>
    public string? TemporaryDirectory { get; init; }
}

/// <summary>
/// Replaces a dataset's Pixel Data with new frames supplied one at a time, native (Explicit/Implicit VR Little Endian:
/// OB for 8-bit samples, OW otherwise) or encapsulated through an <see cref="IFrameEncoder"/> (one fragment per frame,
/// basic offset table filled). Frames are not all held in memory: above <see cref="PixelDataWriterOptions.MemoryThreshold"/>
/// they go to a temporary file (owner-only, delete-on-close, and on Unix unlinked as soon as it is open) that the new
/// Pixel Data value references, so
/// <see cref="DicomWriter"/> streams it.
/// <para>Usage: <c>using var w = PixelDataWriter.Begin(dataset, syntax); w.Add(frame) ...; w.Complete();</c> then save the
/// file with <c>DicomWriteOptions.TransferSyntax = w.TargetSyntax</c> <b>before</b> the writer is disposed: disposing it
/// deletes the temporary file the dataset then refers to.</para>
/// <para><see cref="Complete"/> updates Rows, Columns, Samples per Pixel, Photometric Interpretation, Planar
/// Configuration (0 for colour, removed for one sample), Bits Allocated/Stored, High Bit, Pixel Representation,
/// Number of Frames (when the source had it or there is more than one frame), Lossy Image Compression "01" for a lossy
/// encoder, and removes the Extended Offset Table (7FE0,0001)/(7FE0,0002). Until then the dataset is unchanged.</para>
/// </summary>
public sealed class PixelDataWriter : IDisposable
{
    private readonly DicomDataset _dataset;
    private readonly PixelDataWriterOptions _options;
    private readonly List<byte[]> _memory = [];
    private readonly List<long> _lengths = [];
    private IFrameEncoder? _encoder;
    private FileStream? _spillFile;
    private SafeFileHandle? _spill;
    private long _total;
    private DecodedFrame? _first;
    private bool _completed;
    private bool _disposed;

    private PixelDataWriter(DicomDataset dataset, TransferSyntax target, IFrameEncoder? encoder, PixelDataWriterOptions options)
    {
        _dataset = dataset;
        TargetSyntax = target;
        _encoder = encoder;
        _options = options;
    }

    /// <summary>The transfer syntax the dataset must be written with once complete.</summary>
    public TransferSyntax TargetSyntax { get; }

    /// <summary>Frames added so far.</summary>
    public int FrameCount => _lengths.Count;

    /// <summary>Bytes of pixel data (native frames or fragments, padded) added so far.</summary>
    public long TotalBytes => _total;

    /// <summary>True when the frames went to the temporary file.</summary>
    public bool IsSpilledToDisk => _spill is not null;

    /// <summary>Starts replacing the Pixel Data of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The dataset; it is changed only by <see cref="Complete"/>.</param>
    /// <param name="target">A little-endian native syntax, or an encapsulated one.</param>
    /// <param name="encoder">The encoder for an encapsulated target (null: the registered encoder for the first frame;
    /// Encapsulated Uncompressed needs none). Must be null for a native target.</param>
    /// <param name="options">Memory threshold and temporary folder.</param>
    public static PixelDataWriter Begin(DicomDataset dataset, TransferSyntax target, IFrameEncoder? encoder = null, PixelDataWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(target);
        if (target.IsBigEndian)
        {
            throw new ArgumentException("Pixel data is written little endian; Explicit VR Big Endian (retired) is not a target.", nameof(target));
        }

        if (!target.IsEncapsulated && encoder is not null)
        {
            throw new ArgumentException("A native transfer syntax takes no encoder.", nameof(encoder));
        }

        if (encoder is not null && encoder.Syntax != target)
        {
            throw new ArgumentException("The encoder produces another transfer syntax than the target.", nameof(encoder));
        }

        if (target.IsUnknown)
        {
            throw new ArgumentException("The target transfer syntax is not known.", nameof(target));
        }

        return new PixelDataWriter(dataset, target, encoder, options ?? PixelDataWriterOptions.Default);
    }

    /// <summary>Adds the next frame; every frame must have the shape of the first.</summary>
    /// <exception cref="PixelCodecException">The encoder cannot encode the frame.</exception>
    public void Add(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The pixel data is already complete.");
        }

        if (_first is null)
        {
            _first = frame;
            if (TargetSyntax.IsEncapsulated && _encoder is null && TargetSyntax != TransferSyntax.EncapsulatedUncompressed &&
                !PixelCodecs.TryGetEncoder(TargetSyntax, frame, out _encoder))
            {
                throw new PixelCodecException($"No encoder for the transfer syntax {TargetSyntax.Name} accepts this frame.") { IsUnsupported = true };
            }
        }
        else if (frame.Rows != _first.Rows || frame.Columns != _first.Columns || frame.SamplesPerPixel != _first.SamplesPerPixel ||
                 frame.BitsAllocated != _first.BitsAllocated || frame.BitsStored != _first.BitsStored || frame.IsSigned != _first.IsSigned ||
                 frame.PhotometricInterpretation != _first.PhotometricInterpretation)
        {
            throw new ArgumentException($"Frame {FrameCount} differs in shape from the first frame.", nameof(frame));
        }

        byte[] bytes;
        if (_encoder is not null)
        {
            if (!_encoder.CanEncode(frame))
            {
                throw new PixelCodecException($"Frame {FrameCount} cannot be encoded with {_encoder.Name}.") { IsUnsupported = true };
            }

            bytes = _encoder.Encode(frame);
        }
        else
        {
            bytes = (byte[])frame.Data.Clone();
        }

        long length = bytes.Length;
        if (TargetSyntax.IsEncapsulated && (length & 1) != 0)
        {
            // Fragments have even length (PS3.5 A.4); the encoders pad, this keeps a stray odd one valid.
            Array.Resize(ref bytes, bytes.Length + 1);
            length++;
        }

        Store(bytes);
        _lengths.Add(length);
        _total += length;
    }

    /// <summary>Puts the new Pixel Data and the image attributes into the dataset.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The pixel data is already complete.");
        }

        if (_first is null)
        {
            throw new InvalidOperationException("No frame was added.");
        }

        var f = _first;
        var ds = _dataset;
        var hadFrames = ds.Contains(DicomTag.NumberOfFrames);
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)f.SamplesPerPixel);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, f.PhotometricInterpretation);
        if (f.SamplesPerPixel > 1)
        {
            ds.AddOrUpdate(DicomTag.PlanarConfiguration, 0);
        }
        else
        {
            ds.Remove(DicomTag.PlanarConfiguration);
        }

        if (hadFrames || FrameCount > 1)
        {
            ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, FrameCount.ToString(CultureInfo.InvariantCulture));
        }

        ds.AddOrUpdate(DicomTag.Rows, checked((ushort)f.Rows));
        ds.AddOrUpdate(DicomTag.Columns, checked((ushort)f.Columns));
        ds.AddOrUpdate(DicomTag.BitsAllocated, (ushort)f.BitsAllocated);
        var stored = Math.Clamp(f.BitsStored, 1, f.BitsAllocated);
        ds.AddOrUpdate(DicomTag.BitsStored, (ushort)stored);
        ds.AddOrUpdate(DicomTag.HighBit, (ushort)(stored - 1));
        ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)(f.IsSigned ? 1 : 0));
        if (_encoder is { IsLossless: false })
        {
            ds.AddOrUpdate(DicomTag.LossyImageCompression, DicomVR.CS, "01");
        }

        ds.Remove(DicomTag.ExtendedOffsetTable);
        ds.Remove(DicomTag.ExtendedOffsetTableLengths);
        if (TargetSyntax.IsEncapsulated)
        {
            ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, OffsetTable(), Fragments()));
        }
        else
        {
            var vr = f.BitsAllocated == 8 ? DicomVR.OB : DicomVR.OW;
            ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, vr, Concatenated()));
        }

        _memory.Clear();
        _completed = true;
    }

    /// <summary>Deletes the temporary file (the dataset must have been saved first when the writer completed).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _spillFile?.Dispose();
        _memory.Clear();
    }

    private void Store(byte[] bytes)
    {
        if (_spill is null && _total + bytes.LongLength > _options.MemoryThreshold)
        {
            var dir = _options.TemporaryDirectory ?? Path.GetTempPath();
            var path = Path.Combine(dir, "mic-pixels-" + Guid.NewGuid().ToString("N") + ".tmp");
            var fileOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                Options = FileOptions.DeleteOnClose,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
            {
                // The frames may show burned-in identifiers: readable by the owner only.
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            _spillFile = new FileStream(path, fileOptions);
            _spill = _spillFile.SafeFileHandle;
            if (!OperatingSystem.IsWindows())
            {
                // Unlinked at once: the open handle keeps the data, and nothing is left behind even after a crash.
                File.Delete(path);
            }

            long offset = 0;
            foreach (var chunk in _memory)
            {
                RandomAccess.Write(_spill, chunk, offset);
                offset += chunk.LongLength;
            }

            _memory.Clear();
        }

        if (_spill is not null)
        {
            RandomAccess.Write(_spill, bytes, _total);
        }
        else
        {
            _memory.Add(bytes);
        }
    }

    private ValueSource Concatenated()
    {
        if (_spill is not null)
        {
            return new FileSliceValueSource(_spill, 0, _total, 1);
        }

        if (_memory.Count == 1)
        {
            return ValueSource.FromBytes(_memory[0]);
        }

        var all = new byte[_total];
        long at = 0;
        foreach (var chunk in _memory)
        {
            chunk.CopyTo(all, at);
            at += chunk.LongLength;
        }

        return ValueSource.FromBytes(all);
    }

    private List<ValueSource> Fragments()
    {
        var list = new List<ValueSource>(_lengths.Count);
        long offset = 0;
        for (var i = 0; i < _lengths.Count; i++)
        {
            list.Add(_spill is not null ? new FileSliceValueSource(_spill, offset, _lengths[i], 1) : ValueSource.FromBytes(_memory[i]));
            offset += _lengths[i];
        }

        return list;
    }

    /// <summary>The basic offset table (PS3.5 A.4), or empty when an offset exceeds 32 bits.</summary>
    private ValueSource OffsetTable()
    {
        var table = new byte[4 * _lengths.Count];
        long offset = 0;
        for (var i = 0; i < _lengths.Count; i++)
        {
            if (offset > uint.MaxValue)
            {
                return ValueSource.Empty;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4 * i), (uint)offset);
            offset += 8 + _lengths[i];
        }

        return ValueSource.FromBytes(table);
    }
}
