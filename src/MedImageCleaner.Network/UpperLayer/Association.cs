using System.Buffers;
using System.Buffers.Binary;
using System.Net;

namespace MedImageCleaner.Network;

/// <summary>
/// An established DICOM association (PS3.8), either role: DIMSE messages are sent as P-DATA-TF PDUs fragmented to
/// the peer's maximum PDU length, and received PDV by PDV (a data set can be streamed to a file without being held
/// in memory). Created by <see cref="DicomClient.ConnectAsync"/> (requestor) or by <see cref="DicomServer"/>
/// (acceptor). Sends are serialised; receives are meant for one reader at a time.
/// </summary>
public sealed partial class Association : IAsyncDisposable
{
    private readonly PduChannel _channel;
    private readonly Dictionary<byte, PresentationContext> _contexts = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly int _sendPdvMax;
    private RawPdu? _pdu;
    private int _pduOffset;
    private PresentationContext? _dataContext;
    private ushort _messageId;
    private int _closed;

    private Association(PduChannel channel, AssociationOptions options, AssociateParameters request, AssociateParameters accept, bool isRequestor, EndPoint? remote)
    {
        _channel = channel;
        Options = options;
        Request = request;
        Accept = accept;
        IsRequestor = isRequestor;
        RemoteEndPoint = remote;
        var proposed = new Dictionary<byte, string>();
        foreach (var pc in request.PresentationContexts)
        {
            proposed[pc.Id] = pc.AbstractSyntax;
        }

        foreach (var pc in accept.PresentationContexts)
        {
            if (pc.AcceptedTransferSyntax is not null && proposed.TryGetValue(pc.Id, out var abstractSyntax))
            {
                _contexts[pc.Id] = pc with { AbstractSyntax = abstractSyntax };
            }
        }

        var peerMax = isRequestor ? accept.MaxPduLength : request.MaxPduLength;
        var max = options.MaxSendPduLength == 0 ? 1024u * 1024 : options.MaxSendPduLength;
        if (peerMax != 0 && peerMax < max)
        {
            max = peerMax;
        }

        _sendPdvMax = (int)Math.Max(1, max - 6);
    }

    public AssociationOptions Options { get; }

    /// <summary>The A-ASSOCIATE-RQ as sent (requestor) or received (acceptor).</summary>
    public AssociateParameters Request { get; }

    /// <summary>The A-ASSOCIATE-AC as received (requestor) or sent (acceptor).</summary>
    public AssociateParameters Accept { get; }

    public bool IsRequestor { get; }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The calling AE title of the requestor.</summary>
    public string CallingAETitle => Request.CallingAETitle;

    /// <summary>The called AE title (the acceptor's).</summary>
    public string CalledAETitle => Request.CalledAETitle;

    /// <summary>The accepted presentation contexts, with their abstract syntaxes.</summary>
    public IReadOnlyCollection<PresentationContext> AcceptedContexts => _contexts.Values;

    /// <summary>The largest data fragment we put in one PDV (the peer's maximum PDU length minus the PDV header).</summary>
    public int SendFragmentLength => _sendPdvMax;

    /// <summary>True once released, aborted or closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>An accepted context for a SOP class (and transfer syntax, when given), or null.</summary>
    public PresentationContext? FindContext(string abstractSyntax, string? transferSyntax = null)
    {
        PresentationContext? found = null;
        foreach (var pc in _contexts.Values)
        {
            if (pc.AbstractSyntax == abstractSyntax && (transferSyntax is null || pc.AcceptedTransferSyntax == transferSyntax) && (found is null || pc.Id < found.Id))
            {
                found = pc;
            }
        }

        return found;
    }

    /// <summary>The next message id for a request we send (1, 2, ... wrapping past 65535 to 1).</summary>
    public ushort NextMessageId()
    {
        lock (_contexts)
        {
            _messageId = _messageId == ushort.MaxValue ? (ushort)1 : (ushort)(_messageId + 1);
            return _messageId;
        }
    }

    /// <summary>
    /// Sends a DIMSE message: the command, then (when <paramref name="dataSet"/> is given) the data set read from the
    /// stream to its end, already encoded in the context's transfer syntax. The command's CommandDataSetType is set
    /// to match.
    /// </summary>
    public async Task SendMessageAsync(byte contextId, DimseCommand command, Stream? dataSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_contexts.ContainsKey(contextId))
        {
            throw new ArgumentException("Presentation context " + contextId + " was not accepted.", nameof(contextId));
        }

        command.HasDataSet = dataSet is not null;
        var encoded = command.Encode();
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var a = ArrayPool<byte>.Shared.Rent(_sendPdvMax + 12);
        var b = dataSet is null ? null : ArrayPool<byte>.Shared.Rent(_sendPdvMax + 12);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            ThrowIfClosed();
            var at = 0;
            do
            {
                var n = Math.Min(_sendPdvMax, encoded.Length - at);
                encoded.AsSpan(at, n).CopyTo(a.AsSpan(12));
                at += n;
                cts.CancelAfter(Options.ReadTimeout);
                await WritePdvAsync(a, contextId, command: true, last: at == encoded.Length, n, cts.Token).ConfigureAwait(false);
            }
            while (at < encoded.Length);

            if (dataSet is not null)
            {
                var current = a;
                var next = b!;
                var filled = await FillAsync(dataSet, current.AsMemory(12, _sendPdvMax), cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    var nextFilled = filled == _sendPdvMax ? await FillAsync(dataSet, next.AsMemory(12, _sendPdvMax), cancellationToken).ConfigureAwait(false) : 0;
                    var last = nextFilled == 0;
                    cts.CancelAfter(Options.ReadTimeout);
                    await WritePdvAsync(current, contextId, command: false, last, filled, cts.Token).ConfigureAwait(false);
                    if (last)
                    {
                        break;
                    }

                    (current, next) = (next, current);
                    filled = nextFilled;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException("The peer did not take the message within the timeout.") { IsTransient = true };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(a);
            if (b is not null)
            {
                ArrayPool<byte>.Shared.Return(b);
            }

            _sendLock.Release();
        }
    }

    /// <summary>Sends a message whose data set is in memory.</summary>
    public async Task SendMessageAsync(byte contextId, DimseCommand command, ReadOnlyMemory<byte> dataSet, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(dataSet.ToArray(), writable: false);
        await SendMessageAsync(contextId, command, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Receives the next DIMSE message (request or response). Returns null when the peer released the association
    /// (we answered with A-RELEASE-RP) or closed it between messages. A data set left unread from the previous
    /// message is skipped first. <paramref name="timeout"/> (default <see cref="AssociationOptions.ReadTimeout"/>)
    /// bounds the wait for the first PDU.
    /// </summary>
    public async Task<DimseMessage?> ReceiveMessageAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (_dataContext is not null)
        {
            await CopyDataSetToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        var command = new ByteWriter(256);
        PresentationContext? context = null;
        var wait = timeout ?? Options.ReadTimeout;
        while (true)
        {
            var pdv = await NextPdvAsync(context is null, wait, cancellationToken).ConfigureAwait(false);
            if (pdv is null)
            {
                return null;
            }

            var (pc, isCommand, last, offset, length) = pdv.Value;
            if (!isCommand || (context is not null && pc.Id != context.Id))
            {
                throw await ProtocolErrorAsync("a data fragment or another context's fragment arrived inside a command").ConfigureAwait(false);
            }

            context = pc;
            if (command.Length + length > DimseCommand.MaxEncodedLength)
            {
                throw await ProtocolErrorAsync("a command set exceeds " + DimseCommand.MaxEncodedLength + " bytes").ConfigureAwait(false);
            }

            command.Bytes(_pdu!.Value.Body.Slice(offset, length));
            wait = Options.ReadTimeout;
            if (last)
            {
                break;
            }
        }

        DimseCommand decoded;
        try
        {
            decoded = DimseCommand.Decode(command.ToArray());
        }
        catch (DicomProtocolException ex)
        {
            throw await ProtocolErrorAsync(ex.Message).ConfigureAwait(false);
        }

        if (decoded.HasDataSet)
        {
            _dataContext = context;
        }

        return new DimseMessage(decoded, context);
    }

    /// <summary>Copies the data set of the message just received to <paramref name="destination"/>, fragment by fragment.</summary>
    public async Task CopyDataSetToAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var context = _dataContext ?? throw new InvalidOperationException("No data set is pending on this association.");
        while (true)
        {
            var pdv = await NextPdvAsync(false, Options.ReadTimeout, cancellationToken).ConfigureAwait(false)
                      ?? throw new DicomNetworkException("The association ended inside a data set.");
            var (pc, isCommand, last, offset, length) = pdv;
            if (isCommand || pc.Id != context.Id)
            {
                throw await ProtocolErrorAsync("a command or another context's fragment arrived inside a data set").ConfigureAwait(false);
            }

            if (length > 0)
            {
                await destination.WriteAsync(_pdu!.Value.BodyMemory.Slice(offset, length), cancellationToken).ConfigureAwait(false);
            }

            if (last)
            {
                _dataContext = null;
                return;
            }
        }
    }

    /// <summary>Reads the pending data set into memory; a data set larger than <paramref name="maxLength"/> aborts.</summary>
    public async Task<byte[]> ReadDataSetAsync(int maxLength, CancellationToken cancellationToken)
    {
        using var bounded = new BoundedMemoryStream(maxLength);
        try
        {
            await CopyDataSetToAsync(bounded, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            throw await ProtocolErrorAsync("a data set exceeds the limit of " + maxLength + " bytes").ConfigureAwait(false);
        }

        return bounded.ToArray();
    }

    /// <summary>Requestor: A-RELEASE-RQ, then waits (ARTIM) for the A-RELEASE-RP and closes.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (IsClosed)
        {
            return;
        }

        try
        {
            await _channel.WriteShortAsync(PduType.ReleaseRequest, 0, 0, 0, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var pdu = await _channel.ReadAsync(Options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
                if (pdu is null)
                {
                    break;
                }

                var type = pdu.Value.Type;
                PduChannel.Return(pdu.Value);
                if (type is PduType.ReleaseResponse or PduType.Abort)
                {
                    break;
                }

                if (type == PduType.ReleaseRequest)
                {
                    // Release collision (PS3.8 9.2.2.1): the requestor answers first.
                    await _channel.WriteShortAsync(PduType.ReleaseResponse, 0, 0, 0, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (DicomNetworkException)
        {
            // A peer that does not answer the release is closed anyway (ARTIM expiry).
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends an A-ABORT (service user unless told otherwise) and closes the connection.</summary>
    public async Task AbortAsync(byte source = Abort.ServiceUser, byte reason = Abort.NotSpecified)
    {
        if (IsClosed)
        {
            return;
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _channel.WriteShortAsync(PduType.Abort, 0, source, reason, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomNetworkException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The connection is going away anyway.
        }

        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Aborts when the association was neither released nor aborted, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await AbortAsync().ConfigureAwait(false);
        _sendLock.Dispose();
    }

    /// <summary>A short description for logs (AE titles, peer address, contexts; no dataset values).</summary>
    public override string ToString() => CallingAETitle + " -> " + CalledAETitle + " (" + RemoteEndPoint + ", " + _contexts.Count + " contexts)";

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        if (_pdu is { } pdu)
        {
            _pdu = null;
            PduChannel.Return(pdu);
        }

        await _channel.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new DicomNetworkException("The association is closed.");
        }
    }

    private async Task WritePdvAsync(byte[] buffer, byte contextId, bool command, bool last, int length, CancellationToken cancellationToken)
    {
        buffer[0] = (byte)PduType.DataTransfer;
        buffer[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), (uint)(length + 6));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(6), (uint)(length + 2));
        buffer[10] = contextId;
        buffer[11] = (byte)((command ? 1 : 0) | (last ? 2 : 0));
        await _channel.WriteRawAsync(buffer.AsMemory(0, length + 12), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> FillAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await source.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
