using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace MedImageCleaner.Network;

/// <summary>Who may associate with a <see cref="DicomServer"/>, and its limits.</summary>
public sealed record DicomServerOptions
{
    /// <summary>Our AE title: a request calling another title is rejected (called AE title not recognized).</summary>
    public required string AETitle { get; init; }

    /// <summary>Calling AE titles allowed (exact, case-sensitive); null or empty allows any.</summary>
    public IReadOnlyCollection<string>? AllowedCallingAETitles { get; init; }

    /// <summary>Remote addresses allowed; null or empty allows any.</summary>
    public IReadOnlyCollection<IPAddress>? AllowedHosts { get; init; }

    /// <summary>Concurrent associations; one more is rejected (transient, local limit exceeded).</summary>
    public int MaxAssociations { get; init; } = 16;

    public AssociationOptions Association { get; init; } = AssociationOptions.Default;

    /// <summary>TLS: when set, every connection is wrapped in an SslStream authenticated as server.</summary>
    public SslServerAuthenticationOptions? Tls { get; init; }
}

/// <summary>What happened to an association on a <see cref="DicomServer"/> (for logs: no dataset values).</summary>
/// <param name="Kind">Accepted, Rejected, Released, Aborted or Failed.</param>
/// <param name="Remote">The peer address.</param>
/// <param name="CallingAETitle">The calling AE title, when the request was read.</param>
/// <param name="Detail">Reject reason or failure message.</param>
public sealed record AssociationEvent(string Kind, EndPoint? Remote, string? CallingAETitle, string? Detail);

/// <summary>
/// An SCP: listens on a TCP port, accepts associations whose called AE, calling AE and host are allowed, negotiates
/// presentation contexts against its services, and dispatches every request to them. Associations run
/// concurrently (up to <see cref="DicomServerOptions.MaxAssociations"/>).
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly IReadOnlyList<IDimseService> _services;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private int _active;
    private volatile bool _listening;

    public DicomServer(DicomServerOptions options, IReadOnlyList<IDimseService> services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        AeTitle.Check(options.AETitle, nameof(options));
        _options = options;
        _services = services;
    }

    /// <summary>Raised (on a worker thread) for every association event.</summary>
    public event Action<AssociationEvent>? AssociationEvent;

    /// <summary>The bound end point (the port is known here when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("The server is not started.")).LocalEndpoint;

    /// <summary>Associations in progress.</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    /// <summary>Binds and starts accepting. Port 0 picks a free port.</summary>
    /// <exception cref="SocketException">The port is in use or not allowed.</exception>
    public void Start(IPAddress address, int port)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        _listener = new TcpListener(address, port);
        _listener.Start(backlog: 64);
        _listening = true;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Stops accepting, aborts associations still open and waits for them.</summary>
    public Task StopAsync() => StopAsync(TimeSpan.Zero);

    /// <summary>
    /// Stops accepting new connections, lets the associations in progress end on their own for up to
    /// <paramref name="grace"/>, then aborts those still open (an instance they were sending is discarded) and waits
    /// for them.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _listening = false;
        _listener?.Stop();
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        if (grace > TimeSpan.Zero)
        {
            await Task.WhenAny(Task.WhenAll(sessions), Task.Delay(grace)).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (_listening && !_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                if (_stop.IsCancellationRequested || !_listening)
                {
                    return;
                }

                continue;
            }

            client.NoDelay = true;
            var task = Task.Run(() => RunSessionAsync(client));
            lock (_sessions)
            {
                _sessions.RemoveAll(t => t.IsCompleted);
                _sessions.Add(task);
            }
        }
    }

    private async Task RunSessionAsync(TcpClient client)
    {
        var remote = client.Client.RemoteEndPoint;
        var active = Interlocked.Increment(ref _active);
        Association? association = null;
        try
        {
            Stream stream = new OwnedStream(client.GetStream(), client);
            if (_options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                handshake.CancelAfter(_options.Association.ArtimTimeout);
                await ssl.AuthenticateAsServerAsync(tls, handshake.Token).ConfigureAwait(false);
            }

            var host = (remote as IPEndPoint)?.Address;
            association = await Association.AcceptAsync(stream, rq => Negotiate(rq, host, active), _options.Association, remote, _stop.Token, client.Client).ConfigureAwait(false);
            Raise("Accepted", remote, association.CallingAETitle, association.AcceptedContexts.Count + " presentation contexts");
            while (!_stop.IsCancellationRequested)
            {
                var message = await association.ReceiveMessageAsync(_stop.Token, _options.Association.IdleTimeout).ConfigureAwait(false);
                if (message is null)
                {
                    Raise("Released", remote, association.CallingAETitle, null);
                    break;
                }

                await DimseDispatcher.DispatchAsync(association, message, _services, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (AssociationRejectedException ex)
        {
            Raise("Rejected", remote, null, ex.Reject?.Describe());
        }
        catch (AssociationAbortedException ex)
        {
            Raise("Aborted", remote, association?.CallingAETitle, ex.Message);
        }
        catch (Exception ex) when (ex is DicomNetworkException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            Raise(_stop.IsCancellationRequested ? "Stopped" : "Failed", remote, association?.CallingAETitle, ex.Message);
        }
        finally
        {
            if (association is not null)
            {
                await association.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                client.Dispose();
            }

            Interlocked.Decrement(ref _active);
        }
    }

    private AssociationDecision Negotiate(AssociateParameters request, IPAddress? host, int active)
    {
        if (!string.Equals(request.CalledAETitle, _options.AETitle.Trim(), StringComparison.Ordinal))
        {
            return AssociationDecision.Rejected(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAETitleNotRecognized);
        }

        if (_options.AllowedCallingAETitles is { Count: > 0 } callers && !callers.Contains(request.CallingAETitle))
        {
            return AssociationDecision.Rejected(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAETitleNotRecognized);
        }

        if (_options.AllowedHosts is { Count: > 0 } hosts && (host is null || !IsAllowed(hosts, host)))
        {
            return AssociationDecision.Rejected(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.NoReasonGiven);
        }

        if (active > _options.MaxAssociations)
        {
            return AssociationDecision.Rejected(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded);
        }

        var answers = new List<PresentationContext>(request.PresentationContexts.Count);
        foreach (var pc in request.PresentationContexts)
        {
            answers.Add(Answer(pc));
        }

        return AssociationDecision.Accepted(request with
        {
            PresentationContexts = answers,
            RoleSelections = [],
            UserIdentity = null,
            OtherUserItems = [],
            AsyncOperations = null,
        });
    }

    private PresentationContext Answer(PresentationContext proposed)
    {
        var known = false;
        foreach (var service in _services)
        {
            if (!service.SupportsSopClass(proposed.AbstractSyntax))
            {
                continue;
            }

            known = true;
            var ts = service.ChooseTransferSyntax(proposed.AbstractSyntax, proposed.TransferSyntaxes);
            if (ts is not null)
            {
                return new PresentationContext(proposed.Id, string.Empty, [ts], PresentationContextResult.Acceptance);
            }
        }

        return new PresentationContext(proposed.Id, string.Empty, [], known ? PresentationContextResult.TransferSyntaxesNotSupported : PresentationContextResult.AbstractSyntaxNotSupported);
    }

    private static bool IsAllowed(IReadOnlyCollection<IPAddress> hosts, IPAddress host)
    {
        var mapped = host.IsIPv4MappedToIPv6 ? host.MapToIPv4() : host;
        foreach (var h in hosts)
        {
            if (h.Equals(mapped) || h.Equals(host))
            {
                return true;
            }
        }

        return false;
    }

    private void Raise(string kind, EndPoint? remote, string? calling, string? detail) =>
        AssociationEvent?.Invoke(new AssociationEvent(kind, remote, calling, detail));
}
