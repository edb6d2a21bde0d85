using System.Buffers.Binary;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Dicom.Imaging;

/// <summary>
/// Access to the frames of (7FE0,0010) Pixel Data: native frames (any BitsAllocated 1/8/16/32, signed or unsigned,
/// any samples per pixel and planar configuration) and encapsulated frames (fragments grouped per frame through the
/// extended offset table, the basic offset table, or frame boundaries). Decoding compressed frames is the codecs' job;
/// this class hands them the right bytes.
/// </summary>
public sealed class PixelData
{
    private readonly DicomItem _item;
    private readonly List<List<int>>? _frameFragments;

    private PixelData(DicomDataset dataset, DicomItem item)
    {
        _item = item;
        VR = item.VR;
        Rows = dataset.GetInt32(DicomTag.Rows, 0);
        Columns = dataset.GetInt32(DicomTag.Columns, 0);
        SamplesPerPixel = Math.Max(1, dataset.GetInt32(DicomTag.SamplesPerPixel, 1));
        BitsAllocated = dataset.GetInt32(DicomTag.BitsAllocated, 0);
        BitsStored = dataset.GetInt32(DicomTag.BitsStored, BitsAllocated);
        HighBit = dataset.GetInt32(DicomTag.HighBit, BitsStored - 1);
        IsSigned = dataset.GetInt32(DicomTag.PixelRepresentation, 0) == 1;
        PlanarConfiguration = dataset.GetInt32(DicomTag.PlanarConfiguration, 0);
        PhotometricInterpretation = dataset.GetString(DicomTag.PhotometricInterpretation) ?? string.Empty;
        NumberOfFrames = Math.Max(1, dataset.GetInt32(DicomTag.NumberOfFrames, 1));
        if (item is DicomFragmentSequence fragments)
        {
            IsEncapsulated = true;
            _frameFragments = GroupFragments(dataset, fragments, NumberOfFrames);
        }
    }

    /// <summary>Rows (height).</summary>
    public int Rows { get; }

    /// <summary>Columns (width).</summary>
    public int Columns { get; }

    public int SamplesPerPixel { get; }

    public int BitsAllocated { get; }

    public int BitsStored { get; }

    public int HighBit { get; }

    /// <summary>Pixel Representation 1 (two's complement).</summary>
    public bool IsSigned { get; }

    /// <summary>0 = interleaved (RGBRGB...), 1 = by plane (RR..GG..BB..).</summary>
    public int PlanarConfiguration { get; }

    public string PhotometricInterpretation { get; }

    /// <summary>Number of frames (1 when the attribute is absent).</summary>
    public int NumberOfFrames { get; }

    /// <summary>True when the pixel data is encapsulated (compressed).</summary>
    public bool IsEncapsulated { get; }

    /// <summary>The VR of (7FE0,0010) as read (OB or OW; encapsulated data is OB).</summary>
    public DicomVR VR { get; }

    /// <summary>
    /// True for native YBR_FULL_422 data (PS3.3 C.7.6.3.1.2): each two horizontally adjacent pixels are stored as four
    /// samples Y1 Y2 Cb Cr, so a frame holds two samples per pixel instead of three.
    /// </summary>
    public bool IsNativeSubsampled422 =>
        !IsEncapsulated && SamplesPerPixel == 3 && PhotometricInterpretation == "YBR_FULL_422";

    /// <summary>
    /// Size of one native frame as stored, in bytes: for BitsAllocated 1 rounded up to whole bytes (frames of bit data
    /// follow each other without padding), for native YBR_FULL_422 two samples per pixel.
    /// </summary>
    public long FrameSizeInBytes => BitsAllocated == 1
        ? ((long)Rows * Columns * SamplesPerPixel + 7) / 8
        : (long)Rows * Columns * StoredSamplesPerPixel * (BitsAllocated / 8);

    private int StoredSamplesPerPixel => IsNativeSubsampled422 ? 2 : SamplesPerPixel;

    /// <summary>The frame count actually available (encapsulated: frames found; native: whole frames in the value).</summary>
    public int AvailableFrames
    {
        get
        {
            if (_frameFragments is not null)
            {
                return _frameFragments.Count;
            }

            if (Rows <= 0 || Columns <= 0 || BitsAllocated <= 0)
            {
                return 0;
            }

            var bits = (long)Rows * Columns * StoredSamplesPerPixel * BitsAllocated;
            var length = ((DicomElement)_item).Length;
            return bits <= 0 ? 0 : (int)Math.Min(NumberOfFrames, length * 8 / bits);
        }
    }

    /// <summary>Reads the pixel data description of a dataset; false when it has no (7FE0,0010).</summary>
    public static bool TryCreate(DicomDataset dataset, out PixelData pixelData)
    {
        if (dataset.TryGet(DicomTag.PixelData, out var item) && item is DicomElement or DicomFragmentSequence)
        {
            pixelData = new PixelData(dataset, item);
            return true;
        }

        pixelData = null!;
        return false;
    }

    /// <summary>
    /// The bytes of one frame: for native data the frame's bytes in little-endian order as stored (for BitsAllocated 1
    /// the bits unpacked to one byte per pixel, 0 or 1; native YBR_FULL_422 still subsampled); for encapsulated data the frame's compressed codestream (its fragments
    /// concatenated).
    /// </summary>
    public byte[] GetFrame(int index)
    {
        if (index < 0 || index >= AvailableFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "The frame does not exist.");
        }

        if (_frameFragments is not null)
        {
            var fragments = ((DicomFragmentSequence)_item).Fragments;
            long total = 0;
            foreach (var f in _frameFragments[index])
            {
                total += fragments[f].Length;
            }

            if (total > Array.MaxLength)
            {
                throw new DicomLimitExceededException("The frame is too large to load into memory.");
            }

            var bytes = new byte[total];
            var pos = 0;
            foreach (var f in _frameFragments[index])
            {
                pos += fragments[f].Read(0, bytes.AsSpan(pos));
            }

            return bytes;
        }

        var value = ((DicomElement)_item).Value;
        if (BitsAllocated == 1)
        {
            var pixels = (long)Rows * Columns * SamplesPerPixel;
            var firstBit = pixels * index;
            var byteStart = firstBit / 8;
            var packed = new byte[((firstBit % 8) + pixels + 7) / 8];
            value.Read(byteStart, packed);
            var result = new byte[pixels];
            var shift = (int)(firstBit % 8);
            for (long i = 0; i < pixels; i++)
            {
                var bit = i + shift;
                result[i] = (byte)((packed[bit >> 3] >> (int)(bit & 7)) & 1);
            }

            return result;
        }

        var size = FrameSizeInBytes;
        if (size > Array.MaxLength)
        {
            throw new DicomLimitExceededException("The frame is too large to load into memory.");
        }

        var frame = new byte[size];
        value.Read(size * index, frame);
        return frame;
    }

    /// <summary>The fragment indexes that make up each frame (encapsulated data), for tests and codecs.</summary>
    public IReadOnlyList<IReadOnlyList<int>> FrameFragmentIndexes => _frameFragments is null ? [] : _frameFragments;

    private static List<List<int>> GroupFragments(DicomDataset dataset, DicomFragmentSequence seq, int frames)
    {
        var fragments = seq.Fragments;
        var result = new List<List<int>>();
        if (fragments.Count == 0)
        {
            return result;
        }

        // Fragment start offsets relative to the first fragment's item tag (as offset tables count them).
        var starts = new long[fragments.Count];
        long offset = 0;
        for (var i = 0; i < fragments.Count; i++)
        {
            starts[i] = offset;
            offset += 8 + fragments[i].Length + (fragments[i].Length & 1);
        }

        var table = ReadOffsets(dataset, seq);
        if (table.Count > 0)
        {
            foreach (var frameStart in table)
            {
                var idx = Array.IndexOf(starts, frameStart);
                if (idx < 0)
                {
                    table.Clear();
                    break;
                }
            }
        }

        if (table.Count > 0)
        {
            for (var f = 0; f < table.Count; f++)
            {
                var first = Array.IndexOf(starts, table[f]);
                var end = f + 1 < table.Count ? Array.IndexOf(starts, table[f + 1]) : fragments.Count;
                var list = new List<int>();
                for (var i = first; i < end; i++)
                {
                    list.Add(i);
                }

                result.Add(list);
            }

            return result;
        }

        if (frames == 1)
        {
            var all = new List<int>(fragments.Count);
            for (var i = 0; i < fragments.Count; i++)
            {
                all.Add(i);
            }

            result.Add(all);
            return result;
        }

        if (fragments.Count == frames)
        {
            for (var i = 0; i < fragments.Count; i++)
            {
                result.Add([i]);
            }

            return result;
        }

        // No usable table: a frame starts at each fragment that begins a codestream (JPEG SOI FFD8, J2K SOC FF4F,
        // JP2 box) — RLE frames always carry one fragment each and are handled above.
        Span<byte> head = stackalloc byte[2];
        for (var i = 0; i < fragments.Count; i++)
        {
            var n = fragments[i].Read(0, head);
            var startsFrame = n == 2 && head[0] == 0xFF && (head[1] == 0xD8 || head[1] == 0x4F);
            if (startsFrame || result.Count == 0)
            {
                result.Add([]);
            }

            result[^1].Add(i);
        }

        return result;
    }

    private static List<long> ReadOffsets(DicomDataset dataset, DicomFragmentSequence seq)
    {
        var offsets = new List<long>();
        if (dataset.TryGetElement(DicomTag.ExtendedOffsetTable, out var eot) && eot.Length >= 8)
        {
            var b = eot.Value.GetBytes().Span;
            for (var i = 0; i + 8 <= b.Length; i += 8)
            {
                offsets.Add((long)BinaryPrimitives.ReadUInt64LittleEndian(b[i..]));
            }

            return offsets;
        }

        if (seq.OffsetTable.Length >= 4)
        {
            var b = seq.OffsetTable.GetBytes().Span;
            for (var i = 0; i + 4 <= b.Length; i += 4)
            {
                offsets.Add(BinaryPrimitives.ReadUInt32LittleEndian(b[i..]));
            }
        }

        return offsets;
    }
}
