using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Network;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// Issue 14, item 4 (<c>--only network</c>): C-STORE on loopback with many small CT files (a corpus CT file copied with
/// new UIDs). Our SCU (the service under Send-DicomFile) against storescu, both into the same storescp; our receiver
/// (the service under Receive-DicomFile) against storescp, both fed by the same storescu; -ThrottleLimit 2 (two
/// associations) against storescu. Ratios, not timed assertions.
/// </summary>
internal sealed partial class BenchmarkSuite
{
    private int Network(string work)
    {
        Line("## DICOM network: C-STORE on loopback (issue 14)");
        Line();
        if (Tool("storescu", "--version") is null || Tool("storescp", "--version") is null)
        {
            Line("dcmtk (storescu, storescp) is not installed: not measured.");
            Line();
            return 0;
        }

        var files = _settings.Quick ? 200 : 2000;
        var input = Path.Combine(work, "net-in");
        var bytes = GenerateNetworkSet(input, files);
        var paths = Directory.GetFiles(input);
        Array.Sort(paths, StringComparer.Ordinal);
        var rounds = _settings.Rounds;
        var sink = Path.Combine(work, "net-sink");
        Directory.CreateDirectory(sink);

        // A storescp that reads and discards (--ignore), one process per association (--fork): the sink for the senders.
        var sinkPort = FreeBenchPort();
        using var discard = StartTool("storescp", "--fork", "--ignore", "-aet", "SINK", "-od", sink, sinkPort.ToString(Inv));
        WaitForBenchPort(sinkPort);
        var peer = new DicomPeer { Host = "127.0.0.1", Port = sinkPort, CalledAETitle = "SINK" };
        var options = new StoreClientOptions { Association = new AssociationOptions { MaxPduLength = 256 * 1024 } };

        double OursSend(int throttle)
        {
            var sw = Stopwatch.StartNew();
            var pool = new StoreClientPool(peer, options);
            var failed = 0;
            Parallel.ForEach(paths, new ParallelOptions { MaxDegreeOfParallelism = throttle }, p =>
            {
                var r = pool.StoreAsync(p).GetAwaiter().GetResult();
                if (r.Status != DimseStatus.Success)
                {
                    Interlocked.Increment(ref failed);
                }
            });
            pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (failed > 0)
            {
                throw new InvalidOperationException(failed + " files were not stored.");
            }

            return sw.Elapsed.TotalSeconds;
        }

        double Storescu(int port, string called)
        {
            var sw = Stopwatch.StartNew();
            var exit = RunDcmtk("storescu", "-aec", called, "+sd", "127.0.0.1", port.ToString(Inv), input);
            if (exit != 0)
            {
                throw new InvalidOperationException("storescu failed with exit code " + exit + ".");
            }

            return sw.Elapsed.TotalSeconds;
        }

        // Receivers: ours in this process (the StorageService Receive-DicomFile uses), storescp as a process; both store every file.
        var oursFolder = Path.Combine(work, "net-ours");
        var scpFolder = Path.Combine(work, "net-storescp");
        Directory.CreateDirectory(oursFolder);
        Directory.CreateDirectory(scpFolder);
        var stored = 0;
        var server = new DicomServer(
            new DicomServerOptions { AETitle = "OURS" },
            [new EchoService(), new StorageService(new StorageServiceOptions { Destination = oursFolder, MinFreeDiskBytes = 0 }, _ => Interlocked.Increment(ref stored))]);
        server.Start(IPAddress.Loopback, 0);
        var scpPort = FreeBenchPort();
        using var storescp = StartTool("storescp", "-aet", "STORESCP", "-od", scpFolder, scpPort.ToString(Inv));
        WaitForBenchPort(scpPort);

        var rows = new (string Name, List<double> Times)[]
        {
            ("send: ours, one association (StoreClient, Send-DicomFile's service) -> storescp --ignore", []),
            ("send: storescu +sd (one association) -> storescp --ignore", []),
            ("send: ours, -ThrottleLimit 2 (two associations) -> storescp --fork --ignore", []),
            ("receive: storescu -> ours (StorageService, Receive-DicomFile's service), files stored", []),
            ("receive: storescu -> storescp, files stored", []),
        };
        try
        {
            for (var round = 0; round <= rounds; round++)
            {
                var t = new[]
                {
                    OursSend(1),
                    Storescu(sinkPort, "SINK"),
                    OursSend(2),
                    Storescu(server.LocalEndPoint.Port, "OURS"),
                    Storescu(scpPort, "STORESCP"),
                };
                var oursCount = Directory.GetFiles(oursFolder).Length;
                var scpCount = Directory.GetFiles(scpFolder).Length;
                if (oursCount != files || scpCount != files)
                {
                    throw new InvalidOperationException($"stored {oursCount} (ours) and {scpCount} (storescp) of {files} files.");
                }

                Console.WriteLine($"network round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: " + string.Join(", ", t.Select(x => x.ToString("0.000", Inv) + " s")));
                foreach (var folder in new[] { oursFolder, scpFolder, sink })
                {
                    foreach (var f in Directory.GetFiles(folder))
                    {
                        File.Delete(f);
                    }
                }

                if (round > 0)
                {
                    for (var i = 0; i < rows.Length; i++)
                    {
                        rows[i].Times.Add(t[i]);
                    }
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            Line("Not measured: " + ex.Message);
            Line();
            return 1;
        }
        finally
        {
            server.StopAsync().GetAwaiter().GetResult();
        }

        Line($"{files.ToString("N0", Inv)} CT files of {bytes / files / 1024.0:0.0} KB (pydicom's CT_small.dcm with new SOP Instance UIDs), " +
             $"Explicit VR Little Endian, loopback. Median of {rounds} rounds after one warm-up round, rows interleaved in each round; " +
             "wall clock from the first connection to the last response (storescu: process start to exit). The senders send " +
             "into a storescp that discards what it reads (`--ignore`); the receivers store every file (ours: atomic Part 10 " +
             "files named by SOP Instance UID; storescp: its default file names). Ours runs in this process (no .NET start-up " +
             "in the figure); dcmtk's tools are processes (their start-up, a few ms, is in theirs), run with `TCP_NODELAY=1` (dcmtk " +
             "keeps Nagle's algorithm on by default and then waits ~40 ms per message on loopback: about 10x slower). **Shared, noisy machine: " +
             "compare rows of one run.**");
        Line();
        Line("| Run | Wall median (s) | Files/s | Wall rounds (s) |");
        Line("|---|---:|---:|---|");
        var rate = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var median = Median(rows[i].Times);
            rate[i] = files / median;
            Line($"| {rows[i].Name} | {median:0.000} | {rate[i]:0} | {string.Join(", ", rows[i].Times.Select(x => x.ToString("0.000", Inv)))} |");
        }

        Line();
        Line($"**send: ours / storescu = {rate[0] / rate[1]:0.00}x (target >= 1); -ThrottleLimit 2 / storescu = {rate[2] / rate[1]:0.00}x " +
             $"(target >= 1.5x); receive: ours / storescp = {rate[3] / rate[4]:0.00}x (target >= 1)** on {Environment.ProcessorCount} logical cores.");
        Line();
        Metric("network", "C-STORE send, one association (StoreClient)", rate[0], "files/s", "storescu", rate[1], target: ">= 1x");
        Metric("network", "C-STORE send, two associations (-ThrottleLimit 2)", rate[2], "files/s", "storescu", rate[1], target: ">= 1.5x");
        Metric("network", "C-STORE receive, files stored (StorageService)", rate[3], "files/s", "storescp", rate[4], target: ">= 1x");
        Console.WriteLine(string.Join(Environment.NewLine, _md.ToString().Split('\n').Where(l => l.StartsWith("| send", StringComparison.Ordinal) || l.StartsWith("| receive", StringComparison.Ordinal) || l.StartsWith("**send", StringComparison.Ordinal))));
        return 0;
    }

    /// <summary>Copies of a corpus CT file with new SOP Instance UIDs (the fixture CT when the corpus is absent).</summary>
    private static long GenerateNetworkSet(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var ct = Path.Combine(TestCorpus.CorpusRoot, "pydicom", "CT_small.dcm");
        if (!File.Exists(ct))
        {
            return Workloads.GenerateFiles(folder, count);
        }

        long total = 0;
        for (var i = 0; i < count; i++)
        {
            using var file = DicomFile.Open(ct);
            var uid = "2.25.14" + i.ToString("D6", Inv);
            file.Dataset.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, uid);
            var path = Path.Combine(folder, $"ct{i:D5}.dcm");
            file.Save(path, DicomWriteOptions.KeepSource);
            total += new FileInfo(path).Length;
        }

        return total;
    }

    private static int FreeBenchPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static void WaitForBenchPort(int port)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("Nothing listens on port " + port + ".");
    }

    private static BackgroundProcess StartTool(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["TCP_NODELAY"] = "1";
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi) ?? throw new InvalidOperationException("The process did not start: " + tool);
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return new BackgroundProcess(p);
    }

    /// <summary>
    /// Runs a dcmtk tool with TCP_NODELAY=1: dcmtk leaves Nagle's algorithm on unless told so, and then stalls ~40 ms per
    /// message on loopback (delayed ACKs); measured against their best configuration, not their default.
    /// </summary>
    private static int RunDcmtk(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool);
        psi.Environment["TCP_NODELAY"] = "1";
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Wait(psi);
    }

    /// <summary>A server process started for a section and killed (with its children) at the end of it.</summary>
    private sealed class BackgroundProcess(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }

            process.Dispose();
        }
    }
}
