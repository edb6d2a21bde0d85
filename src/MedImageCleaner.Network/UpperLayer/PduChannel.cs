using System.Buffers;
using System.Buffers.Binary;

namespace MedImageCleaner.Network;

/// <summary>A PDU read from the wire: its type and body (the bytes after the 6-byte header), in a pooled buffer.</summary>
internal readonly struct RawPdu(PduType type, byte[] buffer, int length)
{
    public PduType Type { get; } = type;

    public ReadOnlySpan<byte> Body => buffer.AsSpan(0, length);

    public ReadOnlyMemory<byte> BodyMemory => buffer.AsMemory(0, length);

    public byte[] Buffer => buffer;

    public int Length => length;
}

/// <summary>
/// PDU framing over a byte stream (PS3.8 9.3.1): a 6-byte header (type, reserved, 32-bit big-endian length) and a
/// body. Reading checks the length against the limit for that PDU type before any buffer is taken, and waits at most
/// the given timeout; the body goes to a pooled buffer the caller returns with <see cref="Return"/>.
/// </summary>
internal sealed class PduChannel : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly System.Net.Sockets.Socket? _socket;
    private readonly byte[] _header = new byte[6];

    public PduChannel(Stream stream, uint maxReceivePdu, System.Net.Sockets.Socket? socket = null)
    {
        _stream = stream;
        _socket = OperatingSystem.IsLinux() ? socket : null;
        MaxReceivePdu = maxReceivePdu == 0 || maxReceivePdu > NetworkDefaults.MaxPduLengthLimit ? NetworkDefaults.MaxPduLengthLimit : maxReceivePdu;
    }

    /// <summary>The largest P-DATA-TF body accepted (the limit we announce in the A-ASSOCIATE).</summary>
    public uint MaxReceivePdu { get; }

    public Stream Stream => _stream;

    /// <summary>Reads one PDU; null when the peer closed the connection cleanly before a new PDU began.</summary>
    public async Task<RawPdu?> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            cts.CancelAfter(timeout);
        }

        try
        {
            var got = await ReadFullyAsync(_header, cts.Token).ConfigureAwait(false);
            if (got == 0)
            {
                return null;
            }

            if (got < _header.Length)
            {
                throw new DicomProtocolException("The connection closed inside a PDU header.");
            }

            var type = (PduType)_header[0];
            var length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(2));
            var limit = type switch
            {
                PduType.DataTransfer => MaxReceivePdu,
                PduType.AssociateRequest or PduType.AssociateAccept => NetworkDefaults.MaxAssociatePduLength,
                PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort => 4u,
                _ => throw new DicomProtocolException("Unknown PDU type 0x" + _header[0].ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "."),
            };
            if (length > limit)
            {
                throw new DicomProtocolException("A " + type + " PDU of " + length + " bytes exceeds the limit of " + limit + " bytes.");
            }

            if (length < 4 && type is PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort)
            {
                throw new DicomProtocolException("A " + type + " PDU must be 4 bytes long.");
            }

            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
            try
            {
                var n = await ReadFullyAsync(buffer.AsMemory(0, (int)length), cts.Token).ConfigureAwait(false);
                if (n < length)
                {
                    throw new DicomProtocolException("The connection closed inside a " + type + " PDU.");
                }

                return new RawPdu(type, buffer, (int)length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DicomNetworkException("No PDU arrived within " + timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s.") { IsTransient = true };
        }
        catch (IOException ex)
        {
            throw new DicomNetworkException("The connection failed while reading: " + ex.Message, ex) { IsTransient = true };
        }
    }

    /// <summary>Returns the buffer of a PDU to the pool.</summary>
    public static void Return(RawPdu pdu) => ArrayPool<byte>.Shared.Return(pdu.Buffer);

    /// <summary>Writes a whole PDU: header and body.</summary>
    public async Task WriteAsync(PduType type, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var header = new byte[6];
        header[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), (uint)body.Length);
        try
        {
            await _stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await _stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new DicomNetworkException("The connection failed while writing: " + ex.Message, ex) { IsTransient = true };
        }
    }

    /// <summary>Writes a buffer that already holds a whole PDU (header included).</summary>
    public async Task WriteRawAsync(ReadOnlyMemory<byte> pdu, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(pdu, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new DicomNetworkException("The connection failed while writing: " + ex.Message, ex) { IsTransient = true };
        }
    }

    /// <summary>Sends a 4-byte PDU (reject, release, abort) whose last two bytes are given.</summary>
    public Task WriteShortAsync(PduType type, byte b1, byte b2, byte b3, CancellationToken cancellationToken) =>
        WriteAsync(type, new byte[] { 0, b1, b2, b3 }, cancellationToken);

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    /// <summary>
    /// Linux: acknowledge at once (TCP_QUICKACK, reset by the kernel after each read). A peer that keeps Nagle's
    /// algorithm on (dcmtk's default) holds its next write until our ACK, which the kernel otherwise delays by up to
    /// 40 ms: one stall per message.
    /// </summary>
    private void QuickAck()
    {
        if (_socket is null)
        {
            return;
        }

        try
        {
            _socket.SetRawSocketOption(6, 12, QuickAckOn);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            // an optimisation only
        }
    }

    private static ReadOnlySpan<byte> QuickAckOn => [1, 0, 0, 0];

    private async Task<int> ReadFullyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            QuickAck();
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
