namespace MedImageCleaner.Core.Audit;

/// <summary>Orders byte arrays (lookups) lexicographically.</summary>
internal sealed class ByteComparer : IComparer<byte[]>
{
    public static readonly ByteComparer Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
