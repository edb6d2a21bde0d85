using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Dicom.Tests.Oracles;
using static MedImageCleaner.Network.Tests.NetworkTestSupport;

namespace MedImageCleaner.Network.Tests;

/// <summary>C-STORE both ways: our SCU and SCP with each other and with dcmtk's storescu/storescp, over the corpus.</summary>
public sealed class StoreTests
{
    private static readonly string[] CorpusFolders = ["pydicom", "fodicom", "burned-in"];

    private static AssociationOptions Fast => new() { ArtimTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(20), IdleTimeout = TimeSpan.FromSeconds(20) };

    /// <summary>The files of the corpus our SCU can offer (a SOP class and instance UID are readable), with their headers.</summary>
    internal static List<StorableFile> StorableCorpus()
    {
        var list = new List<StorableFile>();
        foreach (var path in TestCorpus.Files(CorpusFolders))
        {
            try
            {
                list.Add(StorableFile.Inspect(path));
            }
            catch (Dicom.DicomReadException)
            {
                // not DICOM, or no SOP UIDs: not storable
            }
        }

        return list;
    }

    /// <summary>The bytes of a Part 10 file after its meta (the data set as sent on the wire).</summary>
    internal static byte[] DataSetBytes(string path)
    {
        var f = StorableFile.Inspect(path);
        Assert.True(f.HasPart10Meta, Path.GetFileName(path) + " has no Part 10 meta");
        return File.ReadAllBytes(path)[(int)f.DataSetOffset..];
    }

    internal sealed class Receiver : IAsyncDisposable
    {
        public Receiver(string folder, string ae = "DEID")
        {
            Folder = folder;
            Server = new DicomServer(
                new DicomServerOptions { AETitle = ae, Association = Fast },
                [new EchoService(), new StorageService(new StorageServiceOptions { Destination = folder, MinFreeDiskBytes = 0 }, Received.Enqueue)]);
            Server.Start(IPAddress.Loopback, 0);
        }

        public string Folder { get; }

        public DicomServer Server { get; }

        public int Port => Server.LocalEndPoint.Port;

        public ConcurrentQueue<ReceivedInstance> Received { get; } = new();

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    [RequiresFact(Requirements.Corpus, "dciodvfy")]
    public async Task Corpus_OurScuToOurScp_DataSetBytesEqual_NoNewDciodvfyError()
    {
        var folder = TempFolder("rx");
        try
        {
            await using var rx = new Receiver(folder);
            var files = StorableCorpus();
            Assert.True(files.Count > 100, "only " + files.Count + " storable corpus files");
            var problems = new List<string>();
            await using (var scu = new StoreClient(new DicomPeer { Host = "127.0.0.1", Port = rx.Port, CalledAETitle = "DEID" }, new StoreClientOptions { Association = Fast }))
            {
                foreach (var f in files)
                {
                    var r = await scu.StoreAsync(f.Path);
                    if (r.Status != DimseStatus.Success)
                    {
                        problems.Add(Path.GetFileName(f.Path) + ": " + (r.Status?.ToString("X4", CultureInfo.InvariantCulture) ?? r.Error));
                        continue;
                    }

                    var received = Path.Combine(folder, f.SopInstanceUid + ".dcm");
                    if (!File.Exists(received))
                    {
                        problems.Add(Path.GetFileName(f.Path) + ": not stored");
                        continue;
                    }

                    if (!r.Converted && !DataSetBytes(f.Path).AsSpan().SequenceEqual(DataSetBytes(received)))
                    {
                        problems.Add(Path.GetFileName(f.Path) + ": data set bytes differ");
                    }

                    if (!r.Converted && File.Exists(received))
                    {
                        var before = Dciodvfy.Run(f.Path).Errors;
                        var after = Dciodvfy.Run(received).Errors;
                        after.ExceptWith(before);
                        if (after.Count > 0)
                        {
                            problems.Add(Path.GetFileName(f.Path) + ": new dciodvfy errors: " + string.Join(" | ", after));
                        }
                    }

                    File.Delete(received);
                }

                Assert.True(scu.AssociationsOpened < files.Count, "the association was not reused");
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [RequiresFact(Requirements.Corpus, "storescu", "storescp")]
    public async Task Corpus_StorescuToOurScp_ReceivesTheBytesStorescpReceives()
    {
        var folder = TempFolder("rx-dcmtk");
        var reference = TempFolder("rx-storescp");
        var port = FreePort();
        try
        {
            await using var rx = new Receiver(folder);

            // The reference: dcmtk's own receiver, bit-preserving (+B), gets the same storescu runs. storescu re-encodes
            // what it reads (it drops trailing padding, converts lengths), so the file is not what goes on the wire.
            using var storescp = new BackgroundTool("storescp", "-aet", "DEID", "+xa", "-pm", "+B", "-od", reference, port.ToString(CultureInfo.InvariantCulture));
            WaitForPort(port, TimeSpan.FromSeconds(10));

            // storescu proposes the syntaxes it is told to (it converts otherwise): one run per syntax it has an option for.
            var options = new Dictionary<string, string?>
            {
                ["1.2.840.10008.1.2"] = null,
                ["1.2.840.10008.1.2.1"] = null,
                ["1.2.840.10008.1.2.2"] = null,
                ["1.2.840.10008.1.2.1.99"] = "-xd",
                ["1.2.840.10008.1.2.4.50"] = "-xy",
                ["1.2.840.10008.1.2.4.51"] = "-xx",
                ["1.2.840.10008.1.2.4.70"] = "-xs",
                ["1.2.840.10008.1.2.4.90"] = "-xv",
                ["1.2.840.10008.1.2.4.91"] = "-xw",
                ["1.2.840.10008.1.2.4.80"] = "-xt",
                ["1.2.840.10008.1.2.4.81"] = "-xu",
                ["1.2.840.10008.1.2.5"] = "-xr",
            };

            // Several corpus files share a SOP Instance UID (variants of one image): one file per UID, so names are unambiguous.
            var files = StorableCorpus().FindAll(f => f.HasPart10Meta && options.ContainsKey(f.TransferSyntax.Uid))
                .GroupBy(f => f.SopInstanceUid).Where(g => g.Count() == 1).Select(g => g.First()).ToList();
            foreach (var group in files.GroupBy(f => options[f.TransferSyntax.Uid]))
            {
                foreach (var target in new[] { rx.Port, port })
                {
                    var args = new List<string> { "-aec", "DEID", "-aet", "STORESCU", "-nh", "127.0.0.1", target.ToString(CultureInfo.InvariantCulture) };
                    if (group.Key is { } option)
                    {
                        args.Insert(0, option);
                    }

                    args.AddRange(group.Select(f => f.Path));
                    await Task.Run(() => Run("storescu", [.. args]));
                }
            }

            var problems = new List<string>();
            var compared = 0;
            foreach (var f in files)
            {
                var ours = Path.Combine(folder, f.SopInstanceUid + ".dcm");
                var theirs = Directory.GetFiles(reference, "*" + f.SopInstanceUid + "*");
                if (File.Exists(ours) != (theirs.Length == 1))
                {
                    problems.Add(Path.GetFileName(f.Path) + (File.Exists(ours) ? ": only we received it" : ": only storescp received it"));
                    continue;
                }

                if (!File.Exists(ours))
                {
                    continue;
                }

                compared++;
                if (!DataSetBytes(ours).AsSpan().SequenceEqual(DataSetBytes(theirs[0])))
                {
                    problems.Add(Path.GetFileName(f.Path) + ": data set bytes differ from storescp's");
                }
            }

            Assert.True(compared > files.Count / 2, "storescu stored only " + compared + " of " + files.Count);
            Assert.Equal(compared, rx.Received.Count(r => files.Exists(f => f.SopInstanceUid == r.SopInstanceUid)));
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(reference, recursive: true);
        }
    }

    [RequiresFact(Requirements.Corpus, "storescp")]
    public async Task Corpus_OurScuToStorescp_BitPreservingReceiverGetsTheSameBytes()
    {
        var folder = TempFolder("storescp");
        var port = FreePort();
        try
        {
            using var storescp = new BackgroundTool("storescp", "-aet", "STORESCP", "+xa", "+B", "-od", folder, "-uf", port.ToString(CultureInfo.InvariantCulture));
            WaitForPort(port, TimeSpan.FromSeconds(10));
            var files = StorableCorpus().FindAll(f => f.HasPart10Meta);
            var problems = new List<string>();
            var sent = 0;
            await using (var scu = new StoreClient(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "STORESCP" }, new StoreClientOptions { Association = Fast }))
            {
                foreach (var f in files)
                {
                    var r = await scu.StoreAsync(f.Path);
                    if (r.Status is null)
                    {
                        // storescp refuses some syntaxes (e.g. ones newer than its dcmtk): a clear per-file error, no crash.
                        Assert.False(string.IsNullOrEmpty(r.Error));
                        continue;
                    }

                    if (r.Status != DimseStatus.Success)
                    {
                        problems.Add(Path.GetFileName(f.Path) + ": status " + r.Status.Value.ToString("X4", CultureInfo.InvariantCulture));
                        continue;
                    }

                    sent++;
                    var received = Directory.GetFiles(folder, "*" + f.SopInstanceUid + "*");
                    if (received.Length != 1)
                    {
                        problems.Add(Path.GetFileName(f.Path) + ": storescp wrote " + received.Length + " files");
                        continue;
                    }

                    if (!r.Converted && !DataSetBytes(f.Path).AsSpan().SequenceEqual(DataSetBytes(received[0])))
                    {
                        problems.Add(Path.GetFileName(f.Path) + ": bytes differ");
                    }

                    File.Delete(received[0]);
                }
            }

            Assert.True(sent > files.Count * 7 / 10, "storescp took only " + sent + " of " + files.Count + "\n" + storescp.Output);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [RequiresFact(Requirements.Corpus, "storescp")]
    public async Task NativeFile_PeerAcceptsOnlyImplicit_IsConverted_CompressedRefused()
    {
        var folder = TempFolder("storescp-implicit");
        var port = FreePort();
        try
        {
            // storescp +xi: accept Implicit VR Little Endian only.
            using var storescp = new BackgroundTool("storescp", "-aet", "STORESCP", "+xi", "-od", folder, port.ToString(CultureInfo.InvariantCulture));
            WaitForPort(port, TimeSpan.FromSeconds(10));
            var corpus = StorableCorpus();
            var explicitFile = corpus.Find(f => f.TransferSyntax == Dicom.TransferSyntax.ExplicitVRLittleEndian && f.HasPart10Meta)!;
            var compressed = corpus.Find(f => f.TransferSyntax == Dicom.TransferSyntax.JpegBaseline)!;
            await using var scu = new StoreClient(new DicomPeer { Host = "127.0.0.1", Port = port, CalledAETitle = "STORESCP" }, new StoreClientOptions { Association = Fast });
            var r = await scu.StoreAsync(explicitFile.Path);
            Assert.Equal(DimseStatus.Success, r.Status);
            Assert.True(r.Converted);
            Assert.Equal(Dicom.TransferSyntax.ImplicitVRLittleEndian.Uid, r.TransferSyntaxUid);
            var c = await scu.StoreAsync(compressed.Path);
            Assert.Null(c.Status);
            Assert.Equal("Refused", c.ErrorKind);
            Assert.Contains("not converted", c.Error, StringComparison.Ordinal);
            var written = Assert.Single(Directory.GetFiles(folder));
            Assert.Equal(Dicom.TransferSyntax.ImplicitVRLittleEndian, StorableFile.Inspect(written).TransferSyntax);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
