using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;

namespace MedImageCleaner.Core.Validation;

/// <summary>Options of <see cref="DeidentificationValidator"/>. Immutable; safe to share between workers.</summary>
public sealed record ValidationOptions
{
    /// <summary>The defaults: options recovered from each file, warnings do not fail, no values, no OCR.</summary>
    public static ValidationOptions Default { get; } = new();

    /// <summary>Warnings fail a file too.</summary>
    public bool Strict { get; init; }

    /// <summary>The profile options to check against; null recovers them from each file's De-identification Method attributes.</summary>
    public ProfileOptions? Profile { get; init; }

    /// <summary>Put the offending value into findings (it may be PHI: for review only).</summary>
    public bool IncludeValues { get; init; }

    /// <summary>OCR every frame (and overlay bit plane) for text that reads as PHI.</summary>
    public bool CheckPixels { get; init; }

    /// <summary>Tesseract language(s) for <see cref="CheckPixels"/>.</summary>
    public string Language { get; init; } = "eng";

    /// <summary>The tessdata folder (default: Tesseract's own).</summary>
    public string? TessdataPath { get; init; }
}

/// <summary>
/// Deterministic sampling (-SampleRate with -Seed): a file is taken when a keyed hash of its full path, read as a number
/// in [0, 1), is below the rate. The choice of a file depends only on the seed and its path, not on the order or the
/// number of files, so a rerun with the same seed checks the same files.
/// </summary>
public sealed class ValidationSampler
{
    private readonly double _rate;
    private readonly byte[] _seed;

    /// <summary>Creates a sampler; <paramref name="rate"/> must be in [0, 1].</summary>
    public ValidationSampler(double rate, int seed)
    {
        if (double.IsNaN(rate) || rate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), "The sample rate must be between 0 and 1.");
        }

        _rate = rate;
        _seed = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(_seed, seed);
    }

    /// <summary>True when <paramref name="fullPath"/> is in the sample.</summary>
    public bool Takes(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        if (_rate >= 1)
        {
            return true;
        }

        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(_seed, Encoding.UTF8.GetBytes(fullPath), hash);
        var x = BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11; // 53 bits
        return x * (1.0 / (1UL << 53)) < _rate;
    }
}

/// <summary>The identifying values of the original of a de-identified file. Holds PHI: never log it.</summary>
/// <param name="Values">Names, IDs, dates, institution and other values, the patient ID and the UIDs.</param>
/// <param name="HasHeaderValues">False when only the patient ID and UIDs are known (an audit row of an older version).</param>
public sealed record OriginalValues(IReadOnlyList<IdentifyingValue> Values, bool HasHeaderValues);

/// <summary>Finds the original values of a de-identified file (the audit vault, opened with the key).</summary>
public interface IOriginalValueSource
{
    /// <summary>The original values of <paramref name="output"/> (read from <paramref name="outputPath"/>), or null when unknown.</summary>
    OriginalValues? Find(MedImageCleaner.Dicom.DicomDataset output, string outputPath);
}
