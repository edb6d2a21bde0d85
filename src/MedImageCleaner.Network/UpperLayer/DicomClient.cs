using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;

namespace MedImageCleaner.Network;

/// <summary>The peer an SCU connects to, and who we say we are.</summary>
public sealed record DicomPeer
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string CalledAETitle { get; init; }

    public string CallingAETitle { get; init; } = "MEDIMGCLEAN";

    /// <summary>Optional user identity negotiation (PS3.7 D.3.3.7).</summary>
    public UserIdentity? UserIdentity { get; init; }

    /// <summary>TLS (PS3.15 B.1 secure transport): when set, the connection is wrapped in an SslStream.</summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    public override string ToString() => CalledAETitle + "@" + Host + ":" + Port;
}

/// <summary>The SCU side: opening associations and the C-ECHO request.</summary>
public static class DicomClient
{
    /// <summary>
    /// Connects (TCP, optional TLS), proposes <paramref name="contexts"/> (ids are assigned 1, 3, 5...) and returns
    /// the established association.
    /// </summary>
    /// <exception cref="AssociationRejectedException">The peer rejected the association.</exception>
    /// <exception cref="DicomNetworkException">Connection failure, timeout, protocol error.</exception>
    public static async Task<Association> ConnectAsync(DicomPeer peer, IEnumerable<(string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)> contexts, AssociationOptions? options = null, IReadOnlyList<RoleSelection>? roles = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(contexts);
        options ??= AssociationOptions.Default;
        var proposed = new List<PresentationContext>();
        byte id = 1;
        foreach (var (abstractSyntax, syntaxes) in contexts)
        {
            if (proposed.Count == 128)
            {
                throw new ArgumentException("At most 128 presentation contexts can be proposed.", nameof(contexts));
            }

            proposed.Add(new PresentationContext(id, abstractSyntax, syntaxes));
            id += 2;
        }

        var client = new TcpClient { NoDelay = true };
        Stream? stream = null;
        try
        {
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                cts.CancelAfter(options.ConnectTimeout);
                try
                {
                    await client.ConnectAsync(peer.Host, peer.Port, cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new DicomNetworkException("No TCP connection to " + peer.Host + ":" + peer.Port + " within " + options.ConnectTimeout.TotalSeconds + " s.") { IsTransient = true };
                }
                catch (SocketException ex)
                {
                    throw new DicomNetworkException("Cannot connect to " + peer.Host + ":" + peer.Port + ": " + ex.SocketErrorCode + ".", ex) { IsTransient = true };
                }
            }

            stream = client.GetStream();
            if (peer.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                try
                {
                    await ssl.AuthenticateAsClientAsync(tls, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
                {
                    throw new DicomNetworkException("The TLS handshake with " + peer.Host + ":" + peer.Port + " failed: " + ex.Message, ex);
                }
            }

            var request = new AssociateParameters
            {
                CalledAETitle = AeTitle.Check(peer.CalledAETitle, nameof(peer)),
                CallingAETitle = AeTitle.Check(peer.CallingAETitle, nameof(peer)),
                PresentationContexts = proposed,
                RoleSelections = roles ?? [],
                UserIdentity = peer.UserIdentity,
            };
            var association = await Association.RequestAsync(new OwnedStream(stream, client), request, options, client.Client.RemoteEndPoint, cancellationToken, client.Client).ConfigureAwait(false);
            stream = null;
            return association;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (!client.Connected || stream is not null)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>Sends a C-ECHO-RQ on the association's Verification context and waits for the response.</summary>
    /// <returns>The response status and the round-trip time of the request.</returns>
    public static async Task<(ushort Status, TimeSpan RoundTrip)> EchoAsync(this Association association, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        var pc = association.FindContext(NetworkDefaults.VerificationSopClass)
                 ?? throw new DicomNetworkException("The peer did not accept the Verification SOP class.");
        var request = DimseCommand.CreateEchoRequest(association.NextMessageId());
        var watch = Stopwatch.StartNew();
        await association.SendMessageAsync(pc.Id, request, (Stream?)null, cancellationToken).ConfigureAwait(false);
        var response = await association.ReceiveResponseAsync(request.MessageId, null, cancellationToken).ConfigureAwait(false);
        return (response.Command.Status, watch.Elapsed);
    }

    /// <summary>
    /// Waits for the response to <paramref name="messageId"/> (pending ones included: call again until the status
    /// is not pending). Requests the peer sends meanwhile are answered by <paramref name="services"/> (e.g. C-STORE
    /// sub-operations of a C-GET), or refused when none is given.
    /// </summary>
    public static async Task<DimseMessage> ReceiveResponseAsync(this Association association, ushort messageId, IReadOnlyList<IDimseService>? services = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        while (true)
        {
            var message = await association.ReceiveMessageAsync(cancellationToken).ConfigureAwait(false)
                          ?? throw new DicomNetworkException("The peer ended the association before responding.") { IsTransient = true };
            if (message.Command.IsRequest)
            {
                await DimseDispatcher.DispatchAsync(association, message, services ?? [], cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (message.Command.MessageIdBeingRespondedTo != messageId)
            {
                await association.AbortAsync(Abort.ServiceProvider, Abort.UnexpectedPdu).ConfigureAwait(false);
                throw new DicomProtocolException("The peer answered message " + message.Command.MessageIdBeingRespondedTo + " while " + messageId + " was outstanding.");
            }

            return message;
        }
    }
}

/// <summary>A stream that also disposes the TcpClient it came from.</summary>
internal sealed class OwnedStream(Stream inner, IDisposable owner) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        owner.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
