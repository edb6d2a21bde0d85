using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static MedImageCleaner.Network.Tests.NetworkTestSupport;

namespace MedImageCleaner.Network.Tests;

public sealed class AssociationTests
{
    private static readonly (string, IReadOnlyList<string>)[] EchoContext = [(NetworkDefaults.VerificationSopClass, ["1.2.840.10008.1.2"])];

    private static AssociationOptions Fast => new() { ArtimTimeout = TimeSpan.FromSeconds(2), ReadTimeout = TimeSpan.FromSeconds(5), IdleTimeout = TimeSpan.FromSeconds(5) };

    private static DicomServer StartServer(DicomServerOptions options, out int port)
    {
        var server = new DicomServer(options, [new EchoService()]);
        server.Start(IPAddress.Loopback, 0);
        port = server.LocalEndPoint.Port;
        return server;
    }

    [Fact]
    public async Task Echo_OurClientToOurServer_Succeeds()
    {
        await using var server = StartServer(new DicomServerOptions { AETitle = "DEID", Association = Fast }, out var port);
        await using var a = await DicomClient.ConnectAsync(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "DEID" }, EchoContext, Fast);
        for (var i = 0; i < 3; i++)
        {
            var (status, rtt) = await a.EchoAsync();
            Assert.Equal(DimseStatus.Success, status);
            Assert.True(rtt > TimeSpan.Zero);
        }

        await a.ReleaseAsync();
        Assert.True(a.IsClosed);
    }

    [Fact]
    public async Task Connect_WrongCalledAE_RejectedCalledNotRecognized()
    {
        await using var server = StartServer(new DicomServerOptions { AETitle = "DEID", Association = Fast }, out var port);
        var ex = await Assert.ThrowsAsync<AssociationRejectedException>(() =>
            DicomClient.ConnectAsync(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "WRONG" }, EchoContext, Fast));
        Assert.Equal(new AssociateReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAETitleNotRecognized), ex.Reject);
    }

    [Fact]
    public async Task Connect_CallingAENotAllowed_RejectedCallingNotRecognized()
    {
        await using var server = StartServer(new DicomServerOptions { AETitle = "DEID", AllowedCallingAETitles = ["GOOD"], Association = Fast }, out var port);
        var ex = await Assert.ThrowsAsync<AssociationRejectedException>(() =>
            DicomClient.ConnectAsync(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "DEID", CallingAETitle = "BAD" }, EchoContext, Fast));
        Assert.Equal(RejectReason.CallingAETitleNotRecognized, ex.Reject!.Reason);
        await using var ok = await DicomClient.ConnectAsync(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "DEID", CallingAETitle = "GOOD" }, EchoContext, Fast);
        Assert.Equal(DimseStatus.Success, (await ok.EchoAsync()).Status);
    }

    [Fact]
    public async Task Connect_HostNotAllowed_Rejected()
    {
        await using var server = StartServer(new DicomServerOptions { AETitle = "DEID", AllowedHosts = [IPAddress.Parse("10.9.8.7")], Association = Fast }, out var port);
        var ex = await Assert.ThrowsAsync<AssociationRejectedException>(() =>
            DicomClient.ConnectAsync(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "DEID" }, EchoContext, Fast));
        Assert.Equal(RejectSource.ServiceUser, ex.Reject!.Source);
    }

    [Fact]
    public async Task Connect_BeyondMaxAssociations_RejectedTransientLocalLimit()
    {
        await using var server = StartServer(new DicomServerOptions { AETitle = "DEID", MaxAssociations = 1, Association = Fast }, out var port);
        var peer = new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "DEID" };
        await using var first = await DicomClient.ConnectAsync(peer, EchoContext, Fast);
        var ex = await Assert.ThrowsAsync<AssociationRejectedException>(() => DicomClient.ConnectAsync(peer, EchoContext, Fast));
        Assert.Equal(new AssociateReject(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded), ex.Reject);
        Assert.True(ex.IsTransient);
        await first.ReleaseAsync();
        await Task.Delay(200);
        await using var again = await DicomClient.ConnectAsync(peer, EchoContext, Fast);
        Assert.Equal(DimseStatus.Success, (await again.EchoAsync()).Status);
    }

    [Fact]
    public async Task Connect_UnsupportedSopClass_ContextRejectedAbstractSyntax()
    {
        await using var server = StartServer(new DicomServerOptions { AETitle = "DEID", Association = Fast }, out var port);
        await using var a = await DicomClient.ConnectAsync(
            new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "DEID" },
            [(NetworkDefaults.VerificationSopClass, ["1.2.840.10008.1.2"]), ("1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2"])],
            Fast);
        Assert.Single(a.AcceptedContexts);
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, a.Accept.PresentationContexts[1].Result);
    }

    [Fact]
    public async Task Server_PeerThatConnectsAndStalls_IsDroppedAfterArtim()
    {
        var events = new ConcurrentQueue<AssociationEvent>();
        await using var server = StartServer(new DicomServerOptions { AETitle = "DEID", Association = Fast with { ArtimTimeout = TimeSpan.FromSeconds(1) } }, out var port);
        server.AssociationEvent += events.Enqueue;
        using var stall = new TcpClient();
        await stall.ConnectAsync(IPAddress.Loopback, port);
        var watch = Stopwatch.StartNew();
        var buffer = new byte[64];

        // The server closes the connection (read returns 0) once ARTIM expires.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await stall.GetStream().ReadAsync(buffer, cts.Token);
        Assert.Equal(0, n);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.Contains(events, e => e.Kind == "Failed");
    }

    [Fact]
    public async Task Client_PeerThatAcceptsTcpAndStalls_TimesOut()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var watch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<DicomNetworkException>(() =>
                DicomClient.ConnectAsync(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "X" }, EchoContext, Fast with { ArtimTimeout = TimeSpan.FromSeconds(1) }));
            Assert.True(ex.IsTransient);
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Connect_NothingListening_TransientError()
    {
        var ex = await Assert.ThrowsAsync<DicomNetworkException>(() =>
            DicomClient.ConnectAsync(new DicomPeer { Host = "127.0.0.1", Port = FreePort(), CalledAETitle = "X" }, EchoContext, Fast));
        Assert.True(ex.IsTransient);
    }

    [RequiresFact("echoscu")]
    public async Task Echoscu_ToOurServer_Succeeds_AndWrongTitleFails()
    {
        await using var server = StartServer(new DicomServerOptions { AETitle = "DEID", Association = Fast }, out var port);
        var ok = await Task.Run(() => Run("echoscu", "-aec", "DEID", "-aet", "DCMTK", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(ok.ExitCode == 0, ok.StdErr + ok.StdOut);
        var bad = await Task.Run(() => Run("echoscu", "-v", "-aec", "NOPE", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", bad.StdErr + bad.StdOut, StringComparison.OrdinalIgnoreCase);
    }

    [RequiresFact("storescp")]
    public async Task Echo_OurClientToStorescp_Succeeds()
    {
        var port = FreePort();
        using var storescp = new BackgroundTool("storescp", "-aet", "STORESCP", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WaitForPort(port, TimeSpan.FromSeconds(10));
        await using var a = await DicomClient.ConnectAsync(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "STORESCP" }, EchoContext, Fast);
        Assert.Equal(DimseStatus.Success, (await a.EchoAsync()).Status);
        await a.ReleaseAsync();
    }
}
