using System.Diagnostics;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static MedImageCleaner.Network.Tests.NetworkTestSupport;

namespace MedImageCleaner.Network.Tests;

/// <summary>
/// An Orthanc (the Debian package) started for a test on free ports with a generated configuration: storage in a
/// temporary folder, HTTP on loopback only, no authentication, every DIMSE service allowed, and the AE titles of
/// our receivers as DicomModalities (for C-MOVE and /modalities/{id}/store). Killed on dispose.
/// </summary>
internal sealed class OrthancPeer : IDisposable
{
    public const string AETitle = "ORTHANC";
    private readonly BackgroundTool _process;
    private readonly HttpClient _http;

    /// <param name="name">A folder name for the instance.</param>
    /// <param name="modalities">Symbolic name -> (AE title, port) of peers on 127.0.0.1 Orthanc may send to.</param>
    public OrthancPeer(string name, IReadOnlyDictionary<string, (string AETitle, int Port)> modalities)
    {
        Folder = TempFolder("orthanc-" + name);
        DicomPort = FreePort();
        HttpPort = FreePort();
        var mods = new JsonObject();
        foreach (var (id, (ae, port)) in modalities)
        {
            mods[id] = new JsonObject { ["AET"] = ae, ["Host"] = "127.0.0.1", ["Port"] = port };
        }

        var config = new JsonObject
        {
            ["Name"] = name,
            ["StorageDirectory"] = Path.Combine(Folder, "storage"),
            ["IndexDirectory"] = Path.Combine(Folder, "storage"),
            [nameof(HttpPort)] = HttpPort,
            [nameof(DicomPort)] = DicomPort,
            ["DicomAet"] = AETitle,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomCheckCalledAet"] = true,
            ["DicomAlwaysAllowEcho"] = true,
            ["DicomAlwaysAllowStore"] = true,
            ["DicomAlwaysAllowFind"] = true,
            ["DicomAlwaysAllowGet"] = true,
            ["DicomAlwaysAllowMove"] = true,
            ["DicomModalities"] = mods,
            ["Plugins"] = new JsonArray(),
            ["SaveJobs"] = false,
            ["StableAge"] = 1,
        };
        var path = Path.Combine(Folder, "orthanc.json");
        File.WriteAllText(path, config.ToJsonString());
        _process = new BackgroundTool("Orthanc", path);
        _http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + HttpPort + "/"), Timeout = TimeSpan.FromSeconds(30) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _ = GetJson("system");
                WaitForPort(DicomPort, TimeSpan.FromSeconds(10));
                break;
            }
            catch (HttpRequestException) when (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(100);
            }
        }
    }

    public string Folder { get; }

    public int DicomPort { get; }

    public int HttpPort { get; }

    public DicomPeer Peer(string callingAETitle = "MEDIMGCLEAN") => new() { Host = "127.0.0.1", Port = DicomPort, CalledAETitle = AETitle, CallingAETitle = callingAETitle };

    /// <summary>Uploads a file through the REST API; returns Orthanc's instance id.</summary>
    public string Upload(string file)
    {
        using var content = new ByteArrayContent(File.ReadAllBytes(file));
        using var rsp = _http.PostAsync("instances", content).GetAwaiter().GetResult();
        var text = rsp.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.True(rsp.IsSuccessStatusCode, "Orthanc refused an upload: " + text);
        return JsonNode.Parse(text)!["ID"]!.GetValue<string>();
    }

    public JsonNode GetJson(string relative)
    {
        var text = _http.GetStringAsync(relative).GetAwaiter().GetResult();
        return JsonNode.Parse(text)!;
    }

    public JsonNode PostJson(string relative, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var rsp = _http.PostAsync(relative, content).GetAwaiter().GetResult();
        var text = rsp.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.True(rsp.IsSuccessStatusCode, "Orthanc: " + relative + ": " + text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>The instance ids Orthanc holds.</summary>
    public List<string> Instances() => [.. GetJson("instances").AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>The stored file of an instance, as Orthanc serves it.</summary>
    public byte[] FileOf(string instanceId) => _http.GetByteArrayAsync("instances/" + instanceId + "/file").GetAwaiter().GetResult();

    public string Log => _process.Output;

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held: left in the temp folder
        }
    }
}

/// <summary>dcmtk's dcmqrscp started for a test (forking: 3.6.7 crashes after a release in --single-process mode): a database in a temporary folder (generated dcmqrscp.cfg, AE
/// COMMON), our receiver's AE in its host table for C-MOVE, filled with storescu.</summary>
internal sealed class DcmqrscpPeer : IDisposable
{
    public const string AETitle = "COMMON";
    private readonly BackgroundTool _process;

    public DcmqrscpPeer(string moveDestinationAE, int moveDestinationPort)
    {
        Folder = TempFolder("dcmqrscp");
        var db = Path.Combine(Folder, "db");
        Directory.CreateDirectory(db);
        Port = FreePort();
        var cfg = new StringBuilder()
            .AppendLine("NetworkTCPPort = " + Port)
            .AppendLine("MaxPDUSize = 16384")
            .AppendLine("MaxAssociations = 16")
            .AppendLine("HostTable BEGIN")
            .AppendLine("rx = (" + moveDestinationAE + ", 127.0.0.1, " + moveDestinationPort + ")")
            .AppendLine("HostTable END")
            .AppendLine("VendorTable BEGIN")
            .AppendLine("VendorTable END")
            .AppendLine("AETable BEGIN")
            .AppendLine(AETitle + " " + db + " RW (200, 1024mb) ANY")
            .AppendLine("AETable END")
            .ToString();
        var path = Path.Combine(Folder, "dcmqrscp.cfg");
        System.IO.File.WriteAllText(path, cfg);
        _process = new BackgroundTool("dcmqrscp", "+xw", "-c", path, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WaitForPort(Port, TimeSpan.FromSeconds(15));
    }

    public string Folder { get; }

    public int Port { get; }

    public DicomPeer Peer(string callingAETitle = "MEDIMGCLEAN") => new() { Host = "127.0.0.1", Port = Port, CalledAETitle = AETitle, CallingAETitle = callingAETitle };

    /// <summary>Stores files into the database with storescu (-xw: JPEG 2000 proposed beside the uncompressed syntaxes).</summary>
    public void Store(params string[] files)
    {
        var r = Run("storescu", ["-xw", "-aec", AETitle, "-aet", "STORESCU", "127.0.0.1", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. files]);
        Assert.True(r.ExitCode == 0, "storescu into dcmqrscp failed: " + r.StdErr + r.StdOut);
    }

    /// <summary>The data set bytes of the file the database holds for an instance.</summary>
    public byte[] DataSetBytes(string sopInstanceUid)
    {
        foreach (var f in Directory.GetFiles(Path.Combine(Folder, "db"), "*.dcm"))
        {
            if (DcmValue.Of(f, "SOPInstanceUID") == sopInstanceUid)
            {
                return StoreTests.DataSetBytes(f);
            }
        }

        throw new FileNotFoundException("dcmqrscp holds no file for the instance.");
    }

    public string Log => _process.Output;

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // left in the temp folder
        }
    }
}

/// <summary>One attribute of a file as dcmdump prints it (the independent reader; UIDs as numbers).</summary>
internal static class DcmValue
{
    public static string Of(string file, string keyword)
    {
        var r = Run("dcmdump", "-s", "-Un", "+P", keyword, file);
        var line = r.StdOut.Split('\n').FirstOrDefault(l => l.Contains('[', StringComparison.Ordinal)) ?? string.Empty;
        var start = line.IndexOf('[', StringComparison.Ordinal);
        var end = line.LastIndexOf(']');
        return start >= 0 && end > start ? line[(start + 1)..end] : string.Empty;
    }
}
