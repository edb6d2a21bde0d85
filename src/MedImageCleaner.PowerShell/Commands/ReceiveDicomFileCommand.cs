using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using MedImageCleaner.Network;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Receives DICOM files from peers (C-STORE SCP and C-ECHO SCP) and writes each to the pipeline as it arrives.</para>
/// <para type="description">
/// Listens on -Port as -AETitle; associations calling another AE title, or from a calling AE title or host not in the
/// allow-lists, are rejected with the matching A-ASSOCIATE-RJ reason. Each instance is written atomically to
/// -Destination as &lt;SOP Instance UID&gt;.dcm (a Part 10 file whose data set holds exactly the bytes received) and
/// only then written to the pipeline, so the next command starts on it at once; an instance cut short is never
/// written or emitted. Several associations are served at once. Stops after -Count instances, after -IdleTimeout
/// seconds without activity, or on Ctrl+C; everything received is kept.
/// </para>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "DicomFile", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Receive-DicomFile.md")]
[OutputType(typeof(ReceivedInstance))]
public sealed class ReceiveDicomFileCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<object> _events = [];

    /// <summary>The TCP port to listen on (default 11112; 0 picks a free port, reported in the verbose stream).</summary>
    [Parameter(Position = 0)]
    [ValidateRange(0, 65535)]
    public int Port { get; set; } = 11112;

    /// <summary>Our AE title: associations calling another title are rejected (default MEDIMGCLEAN).</summary>
    [Parameter]
    [Alias("AET")]
    public string AETitle { get; set; } = "MEDIMGCLEAN";

    /// <summary>The folder instances are stored in (created when missing).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Calling AE titles allowed to send (default: any).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AllowedCallingAETitle { get; set; }

    /// <summary>Host names or addresses allowed to connect (default: any).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AllowedHost { get; set; }

    /// <summary>The address to listen on (default: every IPv4 address).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Stop after this many instances (0: no limit).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Stop after this many seconds without an association or an instance (0: never).</summary>
    [Parameter]
    [ValidateRange(0, 86400 * 365)]
    public double IdleTimeout { get; set; }

    /// <summary>Associations served at once; more are rejected as transient (default 16).</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int MaxAssociations { get; set; } = 16;

    /// <summary>The largest PDU accepted (bytes; default 262144).</summary>
    [Parameter]
    [ValidateRange(4096, 16777216)]
    public int MaxPduLength { get; set; } = (int)NetworkDefaults.MaxPduLength;

    /// <summary>Below this much free space (MB) on the destination, instances are refused with status A700 (default 100).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MinFreeDiskSpaceMB { get; set; } = 100;

    /// <summary>Seconds a peer may take to send the association request or the next PDU of a message (default 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var whatIf = SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true
                     || (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent);
        var destination = Destinations.RequireWritableFolder(this, Destination, nameof(Destination), whatIf);
        var ae = NetworkParameters.RequireAETitle(this, AETitle, nameof(AETitle));
        var callers = new List<string>();
        foreach (var caller in AllowedCallingAETitle ?? [])
        {
            callers.Add(NetworkParameters.RequireAETitle(this, caller, nameof(AllowedCallingAETitle)));
        }

        var hosts = ResolveHosts();
        if (!IPAddress.TryParse(ListenAddress, out var address))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-ListenAddress '{ListenAddress}' is not an IP address."), "InvalidListenAddress", ErrorCategory.InvalidArgument, ListenAddress));
        }

        if (!ShouldProcess(destination, $"Listen on {ListenAddress}:{Port} as {ae} and store received files"))
        {
            return;
        }

        var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
        var options = new DicomServerOptions
        {
            AETitle = ae,
            AllowedCallingAETitles = callers,
            AllowedHosts = hosts,
            MaxAssociations = MaxAssociations,
            Association = new AssociationOptions { ArtimTimeout = timeout, ReadTimeout = timeout, IdleTimeout = TimeSpan.FromSeconds(Math.Max(TimeoutSeconds, 60)), MaxPduLength = (uint)MaxPduLength },
        };
        var storage = new StorageService(new StorageServiceOptions { Destination = destination, MinFreeDiskBytes = MinFreeDiskSpaceMB * 1024 * 1024 }, Enqueue);
        var server = new DicomServer(options, [new EchoService(), storage]);
        server.AssociationEvent += Enqueue;
        try
        {
            server.Start(address!, Port);
        }
        catch (SocketException ex)
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"Cannot listen on {ListenAddress}:{Port}: {ex.SocketErrorCode}.", ex), "PortUnavailable", ErrorCategory.ResourceUnavailable, Port));
        }

        try
        {
            WriteVerbose($"Listening on {server.LocalEndPoint} as {ae}; storing into '{destination}'.");
            Pump(server);
        }
        finally
        {
            // After -Count or -IdleTimeout, associations in progress may finish (their instances are kept); Ctrl+C aborts them.
            server.StopAsync(_stop.IsCancellationRequested ? TimeSpan.Zero : TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Dispose();
        _events.Dispose();
    }

    private void Enqueue(object item)
    {
        try
        {
            _events.Add(item);
        }
        catch (ObjectDisposedException)
        {
            // the command has ended; the file is on disk
        }
    }

    /// <summary>The pipeline thread: writes each received instance and association event as it comes, until a stop condition.</summary>
    private void Pump(DicomServer server)
    {
        var progress = new ProgressRecord(ProgressIds.ReceiveDicomFile, "Receive-DicomFile", $"Listening on port {server.LocalEndPoint.Port}");
        var clock = Stopwatch.StartNew();
        var lastActivity = clock.Elapsed;
        var nextProgress = TimeSpan.Zero;
        var received = 0;
        var extra = 0;
        while (!_stop.IsCancellationRequested)
        {
            if (_events.TryTake(out var item, 200))
            {
                lastActivity = clock.Elapsed;
                switch (item)
                {
                    case ReceivedInstance instance when Count == 0 || received < Count:
                        received++;
                        LiveInput.Write(this, instance);
                        break;
                    case ReceivedInstance:
                        extra++;
                        break;
                    case AssociationEvent e when e.Kind == "Rejected":
                        WriteWarning($"Association from {e.Remote} rejected: {e.Detail}.");
                        break;
                    case AssociationEvent e:
                        WriteVerbose($"Association {e.Kind.ToLowerInvariant()}: {e.CallingAETitle ?? "?"} from {e.Remote}{(e.Detail is null ? string.Empty : ": " + e.Detail)}.");
                        break;
                }
            }

            if (Count > 0 && received >= Count)
            {
                break;
            }

            if (IdleTimeout > 0 && server.ActiveAssociations == 0 && clock.Elapsed - lastActivity > TimeSpan.FromSeconds(IdleTimeout))
            {
                WriteVerbose($"No activity for {IdleTimeout} s: stopping.");
                break;
            }

            if (clock.Elapsed >= nextProgress)
            {
                nextProgress = clock.Elapsed + TimeSpan.FromSeconds(1);
                var rate = received / Math.Max(0.001, clock.Elapsed.TotalSeconds);
                progress.StatusDescription = $"{received} files received ({rate:0.0} files/s), {server.ActiveAssociations} association(s) open";
                WriteProgress(progress);
            }
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        if (extra > 0)
        {
            WriteVerbose($"{extra} more instance(s) arrived after -Count was reached; they are stored in the destination but not written to the pipeline.");
        }
    }

    private List<IPAddress> ResolveHosts()
    {
        var list = new List<IPAddress>();
        foreach (var host in AllowedHost ?? [])
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                list.Add(ip);
                continue;
            }

            try
            {
                list.AddRange(Dns.GetHostAddresses(host));
            }
            catch (SocketException ex)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-AllowedHost '{host}' cannot be resolved ({ex.SocketErrorCode}).", ex), "InvalidAllowedHost", ErrorCategory.InvalidArgument, host));
            }
        }

        return list;
    }
}
