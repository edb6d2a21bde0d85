using System.Text.Json.Nodes;
using static MedImageCleaner.Network.Tests.NetworkTestSupport;

namespace MedImageCleaner.Network.Tests;

/// <summary>
/// Our SCUs and SCP against Orthanc (the Debian package, started on free ports): C-ECHO, C-STORE both ways, C-FIND at
/// study and series level, C-MOVE to our receiver and C-GET; Orthanc's REST API is the independent view of what it
/// holds.
/// </summary>
public sealed class OrthancTests
{
    private static AssociationOptions Fast => QueryRetrieveTests.Fast;

    [RequiresFact(Requirements.Corpus, "Orthanc", "dcmdump")]
    public async Task Orthanc_EchoStoreFindMoveGet()
    {
        var folder = TempFolder("orthanc-rx");
        try
        {
            await using var rx = new StoreTests.Receiver(folder, "DEIDRX");
            using var pacs = new OrthancPeer("pacs", new Dictionary<string, (string, int)> { ["rx"] = ("DEIDRX", rx.Port) });
            var peer = pacs.Peer();

            // C-ECHO
            var echo = await ConnectionTester.TestAsync(peer, Fast);
            Assert.True(echo.Success, echo.Reason);

            // C-STORE: our SCU -> Orthanc, checked through its REST API
            var files = QueryRetrieveTests.FixtureFiles();
            await using (var scu = new StoreClient(peer, new StoreClientOptions { Association = Fast }))
            {
                foreach (var f in files)
                {
                    var r = await scu.StoreAsync(f);
                    Assert.True(r.Status == DimseStatus.Success, Path.GetFileName(f) + ": " + r.Error + r.Status);
                }
            }

            var held = new Dictionary<string, string>();
            foreach (var id in pacs.Instances())
            {
                held[pacs.GetJson("instances/" + id + "/tags?simplify")["SOPInstanceUID"]!.GetValue<string>()] = id;
            }

            Assert.Equal(files.Select(f => DcmValue.Of(f, "SOPInstanceUID")).Order(), held.Keys.Order());
            byte[] Held(string uid) => StoreTests.DataSetBytes(SaveTemp(pacs.FileOf(held[uid]), folder));

            // C-STORE: Orthanc (REST /modalities/rx/store) -> our receiver
            var rtUid = DcmValue.Of(files[3], "SOPInstanceUID");
            _ = pacs.PostJson("modalities/rx/store", "{\"Resources\":[\"" + held[rtUid] + "\"],\"Synchronous\":true}");
            var pushed = Assert.Single(rx.Received);
            Assert.Equal(rtUid, pushed.SopInstanceUid);
            Assert.Equal(Held(rtUid), StoreTests.DataSetBytes(pushed.FullName));
            while (rx.Received.TryDequeue(out _))
            {
            }

            // C-FIND at study and series level (Orthanc computes Modalities in Study)
            await QueryRetrieveTests.CheckFindAsync(peer, modalitiesInStudy: true);

            // C-MOVE to our receiver, C-GET of a native and a JPEG 2000 study
            await QueryRetrieveTests.CheckMoveAsync(peer, rx, Held);
            await QueryRetrieveTests.CheckGetAsync(peer, Held, 1, 2);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string SaveTemp(byte[] bytes, string folder)
    {
        var path = Path.Combine(folder, "held-" + Guid.NewGuid().ToString("N") + ".tmp");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
