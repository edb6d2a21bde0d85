using System.Buffers.Binary;
using System.Net;

namespace MedImageCleaner.Network;

/// <summary>The acceptor's answer to an A-ASSOCIATE-RQ: a reject, or the A-ASSOCIATE-AC parameters.</summary>
public sealed record AssociationDecision(AssociateReject? Reject, AssociateParameters? Accept)
{
    public static AssociationDecision Rejected(RejectResult result, RejectSource source, byte reason) => new(new AssociateReject(result, source, reason), null);

    public static AssociationDecision Accepted(AssociateParameters accept) => new(null, accept);
}

/// <content>Association establishment (both roles) and the P-DATA receive loop.</content>
public sealed partial class Association
{
    /// <summary>Requestor: sends the A-ASSOCIATE-RQ on a connected stream and waits (ARTIM) for the answer.</summary>
    /// <exception cref="AssociationRejectedException">The peer sent an A-ASSOCIATE-RJ.</exception>
    internal static async Task<Association> RequestAsync(Stream stream, AssociateParameters request, AssociationOptions options, EndPoint? remote, CancellationToken cancellationToken, System.Net.Sockets.Socket? socket = null)
    {
        var channel = new PduChannel(stream, options.MaxPduLength, socket);
        request = request with
        {
            MaxPduLength = channel.MaxReceivePdu,
            ImplementationClassUid = options.ImplementationClassUid,
            ImplementationVersionName = options.ImplementationVersionName,
        };
        try
        {
            await channel.WriteAsync(PduType.AssociateRequest, AssociatePduCodec.Encode(request, accept: false), cancellationToken).ConfigureAwait(false);
            var pdu = await channel.ReadAsync(options.ArtimTimeout, cancellationToken).ConfigureAwait(false)
                      ?? throw new DicomNetworkException("The peer closed the connection instead of answering the A-ASSOCIATE-RQ.") { IsTransient = true };
            try
            {
                switch (pdu.Type)
                {
                    case PduType.AssociateAccept:
                        var accept = AssociatePduCodec.Decode(pdu.Body, accept: true);
                        return new Association(channel, options, request, accept, isRequestor: true, remote);
                    case PduType.AssociateReject:
                        var b = pdu.Body;
                        throw new AssociationRejectedException(new AssociateReject((RejectResult)b[1], (RejectSource)b[2], b[3]));
                    case PduType.Abort:
                        throw new AssociationAbortedException("The peer aborted the association request.") { Abort = new Abort(pdu.Body[2], pdu.Body[3]) };
                    default:
                        throw new DicomProtocolException("The peer answered the A-ASSOCIATE-RQ with a " + pdu.Type + " PDU.");
                }
            }
            finally
            {
                PduChannel.Return(pdu);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            if (ex is DicomProtocolException)
            {
                await TryAbortAsync(channel, Abort.InvalidParameterValue).ConfigureAwait(false);
            }

            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Acceptor: waits (ARTIM) for the A-ASSOCIATE-RQ on an accepted connection, asks <paramref name="negotiate"/>,
    /// and answers with an A-ASSOCIATE-AC or -RJ. A rejected or malformed request throws after answering.
    /// </summary>
    internal static async Task<Association> AcceptAsync(Stream stream, Func<AssociateParameters, AssociationDecision> negotiate, AssociationOptions options, EndPoint? remote, CancellationToken cancellationToken, System.Net.Sockets.Socket? socket = null)
    {
        var channel = new PduChannel(stream, options.MaxPduLength, socket);
        try
        {
            var pdu = await channel.ReadAsync(options.ArtimTimeout, cancellationToken).ConfigureAwait(false)
                      ?? throw new DicomNetworkException("The peer closed the connection before sending an A-ASSOCIATE-RQ.");
            AssociateParameters request;
            try
            {
                if (pdu.Type != PduType.AssociateRequest)
                {
                    throw new DicomProtocolException("Expected an A-ASSOCIATE-RQ, received a " + pdu.Type + " PDU.");
                }

                request = AssociatePduCodec.Decode(pdu.Body, accept: false);
            }
            finally
            {
                PduChannel.Return(pdu);
            }

            AssociationDecision decision;
            if ((request.ProtocolVersion & 1) == 0)
            {
                decision = AssociationDecision.Rejected(RejectResult.Permanent, RejectSource.ServiceProviderAcse, RejectReason.ProtocolVersionNotSupported);
            }
            else if (request.ApplicationContext != AssociateParameters.DicomApplicationContext)
            {
                decision = AssociationDecision.Rejected(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.ApplicationContextNotSupported);
            }
            else
            {
                decision = negotiate(request);
            }

            if (decision.Reject is { } reject)
            {
                await channel.WriteShortAsync(PduType.AssociateReject, (byte)reject.Result, (byte)reject.Source, reject.Reason, cancellationToken).ConfigureAwait(false);
                throw new AssociationRejectedException(reject);
            }

            var accept = decision.Accept! with
            {
                CalledAETitle = request.CalledAETitle,
                CallingAETitle = request.CallingAETitle,
                MaxPduLength = channel.MaxReceivePdu,
                ImplementationClassUid = options.ImplementationClassUid,
                ImplementationVersionName = options.ImplementationVersionName,
            };
            await channel.WriteAsync(PduType.AssociateAccept, AssociatePduCodec.Encode(accept, accept: true), cancellationToken).ConfigureAwait(false);
            return new Association(channel, options, request, accept, isRequestor: false, remote);
        }
        catch (Exception ex)
        {
            if (ex is DicomProtocolException)
            {
                await TryAbortAsync(channel, Abort.InvalidParameterValue).ConfigureAwait(false);
            }

            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task TryAbortAsync(PduChannel channel, byte reason)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await channel.WriteShortAsync(PduType.Abort, 0, Abort.ServiceProvider, reason, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomNetworkException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // best effort
        }
    }

    /// <summary>
    /// The next PDV: from the current P-DATA-TF, or from the next PDU read. Null when the peer released (answered
    /// here) or closed between messages. A-ABORT throws; anything else out of place aborts and throws.
    /// </summary>
    private async Task<(PresentationContext Context, bool IsCommand, bool Last, int Offset, int Length)?> NextPdvAsync(bool betweenMessages, TimeSpan wait, CancellationToken cancellationToken)
    {
        while (true)
        {
            ThrowIfClosed();
            if (_pdu is { } current && _pduOffset < current.Length)
            {
                var body = current.Body;
                var remaining = body.Length - _pduOffset;
                var itemLength = remaining >= 6 ? BinaryPrimitives.ReadUInt32BigEndian(body[_pduOffset..]) : 0;
                if (remaining < 6 || itemLength < 2 || itemLength > (uint)(remaining - 4))
                {
                    throw await ProtocolErrorAsync("a PDV item length does not fit its P-DATA-TF PDU").ConfigureAwait(false);
                }

                var id = body[_pduOffset + 4];
                var header = body[_pduOffset + 5];
                if (!_contexts.TryGetValue(id, out var context))
                {
                    throw await ProtocolErrorAsync("a PDV names a presentation context that was not accepted").ConfigureAwait(false);
                }

                var offset = _pduOffset + 6;
                _pduOffset += 4 + (int)itemLength;
                return (context, (header & 1) != 0, (header & 2) != 0, offset, (int)itemLength - 2);
            }

            if (_pdu is { } done)
            {
                _pdu = null;
                PduChannel.Return(done);
            }

            RawPdu? next;
            try
            {
                next = await _channel.ReadAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (DicomProtocolException ex)
            {
                await AbortAsync(Abort.ServiceProvider, Abort.InvalidParameterValue).ConfigureAwait(false);
                throw new DicomProtocolException(ex.Message, ex);
            }
            catch (Exception ex) when (ex is DicomNetworkException or OperationCanceledException)
            {
                await AbortAsync(Abort.ServiceProvider, Abort.NotSpecified).ConfigureAwait(false);
                throw;
            }

            if (next is null)
            {
                await CloseAsync().ConfigureAwait(false);
                return betweenMessages ? null : throw new DicomNetworkException("The peer closed the connection inside a message.") { IsTransient = true };
            }

            var pdu = next.Value;
            switch (pdu.Type)
            {
                case PduType.DataTransfer:
                    _pdu = pdu;
                    _pduOffset = 0;
                    if (pdu.Length < 6)
                    {
                        throw await ProtocolErrorAsync("a P-DATA-TF PDU holds no PDV").ConfigureAwait(false);
                    }

                    continue;
                case PduType.ReleaseRequest when betweenMessages:
                    PduChannel.Return(pdu);
                    try
                    {
                        await _channel.WriteShortAsync(PduType.ReleaseResponse, 0, 0, 0, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        await CloseAsync().ConfigureAwait(false);
                    }

                    return null;
                case PduType.Abort:
                    var abort = new Abort(pdu.Body[2], pdu.Body[3]);
                    PduChannel.Return(pdu);
                    await CloseAsync().ConfigureAwait(false);
                    throw new AssociationAbortedException("The peer aborted the association (source " + abort.Source + ", reason " + abort.Reason + ").") { Abort = abort, IsTransient = true };
                default:
                    PduChannel.Return(pdu);
                    throw await ProtocolErrorAsync("an unexpected " + pdu.Type + " PDU arrived").ConfigureAwait(false);
            }
        }
    }

    private async Task<DicomProtocolException> ProtocolErrorAsync(string what)
    {
        await AbortAsync(Abort.ServiceProvider, Abort.UnexpectedPdu).ConfigureAwait(false);
        return new DicomProtocolException("Protocol error from the peer: " + what + "; the association was aborted.");
    }
}

/// <summary>A memory stream that refuses to grow beyond a limit (throws <see cref="InvalidDataException"/>).</summary>
internal sealed class BoundedMemoryStream(int limit) : MemoryStream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Check(count);
        base.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Check(buffer.Length);
        return base.WriteAsync(buffer, cancellationToken);
    }

    private void Check(int more)
    {
        if (Length + more > limit)
        {
            throw new InvalidDataException("The data set exceeds the limit.");
        }
    }
}
