using System.Security.Cryptography;

namespace MedImageCleaner.Dicom.IO;

/// <summary>
/// A write-only stream that hashes (SHA-256) what passes through it to an inner stream, or only hashes when there
/// is no inner stream (a sink that proves what a writer produced without storing it).
/// </summary>
public sealed class HashingStream(Stream? inner = null) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    /// <summary>Bytes written so far.</summary>
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    /// <summary>The hash of the bytes written so far (writing may go on afterwards).</summary>
    public byte[] GetHash() => _hash.GetCurrentHash();

    /// <summary>The hash of the bytes written so far, in lower-case hexadecimal.</summary>
    public string HashHex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        inner?.Write(buffer);
    }

    public override void Flush() => inner?.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
