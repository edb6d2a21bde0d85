namespace MedImageCleaner.Dicom.Codecs;

/// <summary>
/// One frame in native layout, as an uncompressed Explicit VR Little Endian file would hold it with Planar
/// Configuration 0: little-endian samples of <see cref="BitsAllocated"/> bits (8, 16 or 32; BitsAllocated 1 is
/// unpacked to 8), samples of a pixel interleaved (R,G,B,R,G,B...), rows top to bottom.
/// <see cref="PhotometricInterpretation"/> is the one that describes <see cref="Data"/> after decoding (a codec that
/// converts YBR to RGB says RGB; one that keeps YBR_FULL says so).
/// </summary>
public sealed class DecodedFrame
{
    public DecodedFrame(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored, bool isSigned, string photometricInterpretation, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(photometricInterpretation);
        if (rows <= 0 || columns <= 0 || samplesPerPixel <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), "A frame needs positive rows, columns and samples per pixel.");
        }

        if (bitsAllocated is not (8 or 16 or 32))
        {
            throw new ArgumentOutOfRangeException(nameof(bitsAllocated), "A decoded frame holds 8-, 16- or 32-bit samples.");
        }

        var expected = (long)rows * columns * samplesPerPixel * (bitsAllocated / 8);
        if (data.LongLength != expected)
        {
            throw new ArgumentException($"The frame data holds {data.LongLength} bytes; {expected} expected.", nameof(data));
        }

        Rows = rows;
        Columns = columns;
        SamplesPerPixel = samplesPerPixel;
        BitsAllocated = bitsAllocated;
        BitsStored = bitsStored;
        IsSigned = isSigned;
        PhotometricInterpretation = photometricInterpretation;
        Data = data;
    }

    public int Rows { get; }

    public int Columns { get; }

    public int SamplesPerPixel { get; }

    /// <summary>8, 16 or 32.</summary>
    public int BitsAllocated { get; }

    public int BitsStored { get; }

    public bool IsSigned { get; }

    public string PhotometricInterpretation { get; }

    /// <summary>Rows x Columns x SamplesPerPixel samples, little endian, interleaved.</summary>
    public byte[] Data { get; }

    /// <summary>Bytes per sample (1, 2 or 4).</summary>
    public int BytesPerSample => BitsAllocated / 8;
}
