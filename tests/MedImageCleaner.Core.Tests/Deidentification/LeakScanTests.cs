using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MedImageCleaner.Core.Phi;
using Xunit.Abstractions;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Fixtures;
using static MedImageCleaner.Core.Tests.Deidentification.DeidentificationTestSupport;

namespace MedImageCleaner.Core.Tests.Deidentification;

/// <summary>
/// Acceptance 2, over the real files of ../shared/corpus/pydicom and ../shared/corpus/fodicom and over synthetic PHI
/// fixtures, each de-identified with the Basic Profile by <see cref="DeidentificationService"/> into a temporary folder:
/// <list type="bullet">
/// <item>No value the plan did not keep appears in the output bytes. The needles are the original values of every
/// element the plan removed, emptied, replaced, mapped or cleaned, at any depth (everything inside a removed or emptied
/// sequence too, private attributes included), and the original file meta's instance UID and AE titles; each value of
/// a multi-valued string, and each name component (3+ characters) of a PN, is a needle of its own.
/// Exceptions, each because the bytes may legitimately be in the output: needles under 4 bytes; needles that occur
/// inside a value the plan kept (e.g. a removed Station Name that is also part of a kept Manufacturer's Model Name);
/// standard UIDs (1.2.840.10008.*, kept by design); needles inside the engine's own constants (dummy values, the
/// de-identification method attributes, the pseudonymous patient ID); needles of one repeated byte (zero-filled
/// binary). Pseudonymous 2.25 UIDs the engine wrote are blanked before the search (their digits are HMAC output).</item>
/// <item>dciodvfy finds no error in the output that it did not find in the input (values in &lt;&gt; and UIDs
/// normalised). Inputs dciodvfy cannot read completely (deflated, some bare datasets, damaged files, files it
/// crashes on) only need a dcmdump-readable output.</item>
/// <item>A study of three series, an SR, a KOS and an RT Structure Set, de-identified file by file with the same key,
/// still links up.</item>
/// </list>
/// </summary>
public sealed partial class LeakScanTests : IDisposable
{
    private const string AbsentCase = "(corpus absent)";
    private readonly TempDir _temp = new();
    private readonly ITestOutputHelper _output;

    public LeakScanTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in TestCorpus.Files("pydicom", "fodicom"))
        {
            data.Add(Path.GetFileName(Path.GetDirectoryName(f)!) + "/" + Path.GetFileName(f));
        }

        if (data.Count == 0)
        {
            data.Add(AbsentCase);
        }

        return data;
    }

    public static TheoryData<string> Fixtures() => [.. SyntheticPhiFixtures.Names];

    public void Dispose() => _temp.Dispose();

    [RequiresTheory(Requirements.Corpus)]
    [MemberData(nameof(CorpusFiles))]
    public void Deidentify_CorpusFile_NoValueTheBasicProfileDropsIsInTheOutputBytes(string file)
    {
        var input = CorpusPath(file);
        Assert.NotNull(input);

        ScanForLeaks(input);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Deidentify_SyntheticPhiFixture_NoValueTheBasicProfileDropsIsInTheOutputBytes(string fixture)
    {
        var input = WriteFixture(fixture);
        var needles = ScanForLeaks(input);

        // The fixture's identifiers are all needles (so the scan looked for them) and none was excused.
        Assert.Contains(needles, n => n == "ZEBRA");
        Assert.Contains(needles, n => n == SyntheticPhiFixtures.PatientIdValue);
    }

    [Fact]
    public void FindLeaks_OutputIsTheUntouchedInput_ReportsTheIdentifiers()
    {
        // The scan itself can fail: handed the input as if it were the output, it finds what the plan dropped.
        var input = WriteFixture("ct");
        var result = Deidentify(input);
        var (leaks, _, _) = FindLeaks(input, input, result);
        Assert.Contains(leaks, l => l.StartsWith("(0010,0010) Zero", StringComparison.Ordinal) && l.EndsWith("'ZEBRA'", StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.StartsWith("(0010,0020) Dummy", StringComparison.Ordinal) && l.Contains(SyntheticPhiFixtures.PatientIdValue, StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.StartsWith("(0029,1001) Remove", StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.StartsWith("(0008,1062)[0]/(0040,1101)[0]/(0008,0104)", StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.StartsWith("(0020,000D) Uid", StringComparison.Ordinal));
    }

    [RequiresTheory(Requirements.Corpus)]
    [MemberData(nameof(CorpusFiles))]
    public void Deidentify_CorpusFile_DciodvfyFindsNoNewError(string file)
    {
        var input = CorpusPath(file);
        Assert.NotNull(input);

        CheckConformance(input);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Deidentify_SyntheticPhiFixture_DciodvfyFindsNoNewError(string fixture) => CheckConformance(WriteFixture(fixture));

    [Fact]
    public void Deidentify_StudyFileByFileWithOneKey_EveryReferenceResolves()
    {
        var inputDir = _temp.Sub("study-in");
        var outputDir = _temp.Sub("study-out");
        var outputs = new List<DicomFile>();
        try
        {
            foreach (var (name, ds) in SyntheticPhiFixtures.CreateStudy())
            {
                var path = Path.Combine(inputDir, name + ".dcm");
                DicomFixtureBuilder.WriteFile(path, ds);

                // A new service (and key object) per file: nothing but the key links the files.
                using var key = DeidentificationKey.FromBytes(KeyABytes);
                var service = DeidentificationService.Create(new DeidentificationSettings(), key, outputDir, OutputLayout.Flat, force: false, new PhiScrubber());
                var result = service.Process(new DeidentificationRequest(path));
                Assert.Equal(DeidentificationStatus.Written, result.Status);
                outputs.Add(DicomFile.Open(result.FullName));
            }

            var instances = outputs.Select(f => f.Dataset.GetString(DicomTag.SOPInstanceUID)!).ToHashSet(StringComparer.Ordinal);
            var series = outputs.Select(f => f.Dataset.GetString(DicomTag.SeriesInstanceUID)!).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(8, instances.Count);
            Assert.Equal(6, series.Count); // 3 image series, SR, KOS, RTSTRUCT
            Assert.All(instances, u => Assert.True(IsPseudonymousUid(u), u));

            var study = Assert.Single(outputs.Select(f => f.Dataset.GetString(DicomTag.StudyInstanceUID)).Distinct());
            Assert.True(IsPseudonymousUid(study!));
            Assert.NotEqual(SyntheticPhiFixtures.Study.StudyUid, study);
            var images = outputs.Where(f => f.Dataset.GetString(DicomTag.SOPClassUID) == SyntheticPhiFixtures.CtImageStorage).ToList();
            Assert.Equal(5, images.Count);
            var frame = Assert.Single(images.Select(f => f.Dataset.GetString(DicomTag.FrameOfReferenceUID)).Distinct());
            Assert.True(IsPseudonymousUid(frame!));

            // Images of one original series share the new series UID; different series do not.
            var seriesOf = images.GroupBy(f => f.Dataset.GetString(DicomTag.SeriesInstanceUID)).ToDictionary(g => g.Key!, g => g.Count());
            Assert.Equal([1, 2, 2], seriesOf.Values.Order());

            var references = 0;
            foreach (var file in outputs)
            {
                Assert.Equal(file.Dataset.GetString(DicomTag.SOPInstanceUID), file.FileMetaInfo.GetString(DicomTag.MediaStorageSOPInstanceUID));
                foreach (var (ds, item, _) in file.Dataset.Walk())
                {
                    if (item is not DicomElement e)
                    {
                        continue;
                    }

                    var value = ds.GetString(item.Tag) ?? string.Empty;
                    switch (item.Tag.Value)
                    {
                        case 0x00081155 when ds.GetString(DicomTag.ReferencedSOPClassUID) == "1.2.840.10008.3.1.2.3.1":
                            Assert.Equal(study, value); // RT Referenced Study: a Referenced SOP Instance UID that is a study
                            references++;
                            break;
                        case 0x00081155:
                            Assert.Contains(value, instances);
                            references++;
                            break;
                        case 0x0040A124:
                            Assert.Equal(study, value); // the SR's UIDREF names the study
                            references++;
                            break;
                        case 0x0020000D:
                            Assert.Equal(study, value);
                            break;
                        case 0x0020000E:
                            Assert.Contains(value, series);
                            break;
                        case 0x00200052 or 0x30060024:
                            Assert.Equal(frame, value);
                            references++;
                            break;
                        default:
                            if (e.VR == DicomVR.UI && value is { Length: > 0 } && !value.StartsWith("1.2.840.10008.", StringComparison.Ordinal))
                            {
                                Assert.True(IsPseudonymousUid(value), item.Tag + " kept an original UID");
                            }

                            break;
                    }
                }
            }

            // s1i2 1, s2i1 1, s2i2 2, s3i1 2, SR 3+1+1, KOS 2+2, RTSTRUCT study 1 + 3 images; frames 5 + 2.
            Assert.Equal(1 + 1 + 2 + 2 + 5 + 4 + 4 + 7, references);
        }
        finally
        {
            foreach (var f in outputs)
            {
                f.Dispose();
            }
        }
    }

    private static string? CorpusPath(string file) =>
        file == AbsentCase ? null : Path.Combine(TestCorpus.CorpusRoot, file.Replace('/', Path.DirectorySeparatorChar));

    private string WriteFixture(string name)
    {
        var path = Path.Combine(_temp.Sub("in"), name + ".dcm");
        DicomFixtureBuilder.WriteFile(path, SyntheticPhiFixtures.Create(name));
        return path;
    }

    private DeidentificationResult Deidentify(string input)
    {
        using var key = DeidentificationKey.FromBytes(KeyABytes);
        var service = DeidentificationService.Create(new DeidentificationSettings(), key, _temp.Sub("out"), OutputLayout.Flat, force: false, new PhiScrubber());
        return service.Process(new DeidentificationRequest(input), collectPlan: true);
    }

    /// <summary>De-identifies a file and searches the output bytes for every dropped value; returns the needles searched for.</summary>
    private List<string> ScanForLeaks(string input)
    {
        var result = Deidentify(input);
        if (result.Status == DeidentificationStatus.Failed && result.ErrorId is "NotDicomFile" or "DicomReadFailed")
        {
            return []; // nothing was written: nothing can leak
        }

        Assert.True(result.Status == DeidentificationStatus.Written, result.ErrorId + ": " + result.Message);
        var (leaks, searched, excused) = FindLeaks(input, result.FullName, result);
        _output.WriteLine($"{searched.Count} values searched for, {excused} excused");
        Assert.True(leaks.Count == 0, "values found in the output:\n" + string.Join('\n', leaks));
        return searched;
    }

    /// <summary>Searches <paramref name="outputPath"/> for the values of <paramref name="input"/> that <paramref name="result"/>'s plan dropped.</summary>
    private static (List<string> Leaks, List<string> Searched, int Excused) FindLeaks(string input, string outputPath, DeidentificationResult result)
    {
        using var source = DicomFile.Open(input);
        using var output = DicomFile.Open(outputPath);
        var plan = new Dictionary<string, PlanEntry>(StringComparer.Ordinal);
        foreach (var p in result.Plan)
        {
            plan[p.Path] = p;
        }

        var scan = new Scan(plan);
        scan.CollectMeta(source.FileMetaInfo);
        scan.Collect(source.Dataset, string.Empty, dropped: false);

        var constants = EngineConstants(output.Dataset, result.PseudoPatientId);
        var bytes = MaskPseudonymousUids(File.ReadAllBytes(outputPath), scan.OriginalUids);
        var leaks = new List<string>();
        var searched = new List<string>();
        var excused = 0;
        foreach (var (path, needle) in scan.Needles)
        {
            if (needle.Length < 4 || needle.AsSpan().IndexOfAnyExcept(needle[0]) < 0)
            {
                continue;
            }

            if (scan.Kept.Any(k => k.AsSpan().IndexOf(needle) >= 0) || constants.Any(c => c.AsSpan().IndexOf(needle) >= 0))
            {
                excused++;
                continue;
            }

            searched.Add(Encoding.Latin1.GetString(needle));
            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                leaks.Add(path + " " + (plan.TryGetValue(path, out var p) ? p.Action + " " + p.RuleId : "inside a dropped sequence") + ": '" + Printable(needle) + "'");
            }
        }

        return (leaks, searched, excused);
    }

    /// <summary>The values the engine writes itself: dummy values, the method attributes, the pseudonymous patient ID.</summary>
    private static List<byte[]> EngineConstants(DicomDataset output, string? pseudoPatientId)
    {
        var list = new List<byte[]>();
        foreach (var vr in DicomVR.All)
        {
            if (DummyValues.For(vr) is { } d)
            {
                list.Add(d);
            }
        }

        foreach (var tag in new uint[] { 0x00120062, 0x00120063, 0x00120064, 0x00280303 })
        {
            if (output.TryGet(new DicomTag(tag), out var item))
            {
                var holder = new DicomDataset();
                holder.AddOrUpdate(item);
                foreach (var (_, child, _) in holder.Walk())
                {
                    if (child is DicomElement e)
                    {
                        list.Add(e.Value.GetBytes().ToArray());
                    }
                }
            }
        }

        if (pseudoPatientId is not null)
        {
            list.Add(Encoding.ASCII.GetBytes(pseudoPatientId));
        }

        return list;
    }

    /// <summary>Blanks every 2.25 UID in the output that is not an original value (HMAC digits may contain any number).</summary>
    private static byte[] MaskPseudonymousUids(byte[] bytes, HashSet<string> originals)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var masked = PseudonymousUid().Replace(text, m => originals.Contains(m.Value) ? m.Value : new string('#', m.Length));
        return Encoding.Latin1.GetBytes(masked);
    }

    private static string Printable(byte[] b)
    {
        var s = Encoding.Latin1.GetString(b);
        return s.Any(c => c < 0x20 || c > 0x7E) ? Convert.ToHexString(b) : s;
    }

    /// <summary>Walks the source with the engine's plan paths, sorting values into kept ones and needles.</summary>
    private sealed class Scan(Dictionary<string, PlanEntry> plan)
    {
        public List<byte[]> Kept { get; } = [];

        public List<(string Path, byte[] Needle)> Needles { get; } = [];

        public HashSet<string> OriginalUids { get; } = new(StringComparer.Ordinal);

        public void CollectMeta(DicomDataset meta)
        {
            foreach (var item in meta)
            {
                // The source's instance UID and any AE titles or private meta; class, syntax and implementation are not PHI.
                if (item is DicomElement e && (item.Tag == DicomTag.MediaStorageSOPInstanceUID || item.Tag.Element > 0x0013))
                {
                    AddNeedles("meta " + item.Tag, e.VR, e.Value.GetBytes().ToArray());
                }
            }
        }

        public void Collect(DicomDataset ds, string prefix, bool dropped)
        {
            foreach (var item in ds.Items)
            {
                var path = prefix.Length == 0 ? item.Tag.ToString() : prefix + "/" + item.Tag;
                DeidentificationAction action;
                var vr = item.VR;
                if (dropped)
                {
                    action = DeidentificationAction.Remove;
                }
                else
                {
                    Assert.True(plan.TryGetValue(path, out var entry), "the plan has no entry for " + path);
                    action = entry.Action;
                    vr = entry.VR; // a standard attribute stored as UN is planned (and written) with its dictionary VR
                }

                switch (item)
                {
                    case DicomSequence seq:
                        var drop = action is DeidentificationAction.Remove or DeidentificationAction.Zero;
                        for (var i = 0; i < seq.Items.Count; i++)
                        {
                            Collect(seq.Items[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", drop);
                        }

                        break;
                    case DicomElement e:
                        var bytes = e.Value.GetBytes().ToArray();
                        if (action == DeidentificationAction.Keep)
                        {
                            Kept.Add(bytes);
                        }
                        else
                        {
                            AddNeedles(path, vr, bytes);
                        }

                        break;
                    case DicomFragmentSequence f:
                        foreach (var fragment in f.Fragments.Prepend(f.OffsetTable))
                        {
                            if (action == DeidentificationAction.Keep)
                            {
                                Kept.Add(fragment.GetBytes().ToArray());
                            }
                            else
                            {
                                AddNeedles(path, f.VR, fragment.GetBytes().ToArray());
                            }
                        }

                        break;
                }
            }
        }

        private void AddNeedles(string path, DicomVR vr, byte[] value)
        {
            if (!vr.IsString)
            {
                // Numbers (US, UL, FL, AT...) carry no text and their bytes recur in every header's lengths; a blob (OB,
                // OW, UN: often a private text or a vendor header) is searched for by its printable runs of 4+ characters.
                if (vr == DicomVR.OB || vr == DicomVR.OW || vr == DicomVR.UN)
                {
                    foreach (var run in PrintableRuns(value))
                    {
                        if (!run.AsSpan().StartsWith("1.2.840.10008."u8))
                        {
                            Needles.Add((path, run));
                        }
                    }
                }

                return;
            }

            var text = Encoding.Latin1.GetString(value).TrimEnd(' ', '\0');
            var values = text.Split('\\');
            foreach (var raw in values)
            {
                var v = raw.Trim(' ', '\0');
                if (vr == DicomVR.UI)
                {
                    if (v.StartsWith("1.2.840.10008.", StringComparison.Ordinal))
                    {
                        continue; // standard UIDs (classes, syntaxes, coding schemes) are kept by design
                    }

                    OriginalUids.Add(v);
                }

                Needles.Add((path, Encoding.Latin1.GetBytes(v)));
                if (vr == DicomVR.PN)
                {
                    foreach (var component in v.Split('=', '^'))
                    {
                        var c = component.Trim();
                        if (c.Length >= 3 && c != v)
                        {
                            Needles.Add((path, Encoding.Latin1.GetBytes(c)));
                        }
                    }
                }
            }

            if (values.Length > 1 && vr != DicomVR.UI)
            {
                Needles.Add((path, Encoding.Latin1.GetBytes(text)));
            }
        }
    }

    /// <summary>Runs of 4 or more printable ASCII bytes (what `strings` finds), trimmed of padding spaces.</summary>
    private static IEnumerable<byte[]> PrintableRuns(byte[] value)
    {
        var start = -1;
        for (var i = 0; i <= value.Length; i++)
        {
            var printable = i < value.Length && value[i] is >= 0x20 and < 0x7F;
            if (printable && start < 0)
            {
                start = i;
            }
            else if (!printable && start >= 0)
            {
                var run = value.AsSpan(start, i - start).Trim((byte)' ').ToArray();
                if (run.Length >= 4)
                {
                    yield return run;
                }

                start = -1;
            }
        }
    }

    // ---- conformance -----------------------------------------------------------------------------------------------

    private void CheckConformance(string input)
    {
        if (!ToolExists("dciodvfy") || !ToolExists("dcmdump"))
        {
            Assert.Fail("dciodvfy and dcmdump (dicom3tools, dcmtk) are required oracles and are not on PATH.");
        }

        var result = Deidentify(input);
        if (result.Status == DeidentificationStatus.Failed && result.ErrorId is "NotDicomFile" or "DicomReadFailed")
        {
            return;
        }

        Assert.True(result.Status == DeidentificationStatus.Written, result.ErrorId + ": " + result.Message);
        bool deflated;
        using (var source = DicomFile.Open(input))
        {
            deflated = source.TransferSyntax.IsDeflated;
        }

        // dciodvfy reads no deflated file; bare datasets it reads when it can (its read errors say when it cannot).
        (SortedSet<string> Errors, bool ReadFailed)? before = deflated ? null : Dciodvfy(input);
        if (before is null || before.Value.ReadFailed)
        {
            // dciodvfy cannot read the input (deflated, bare dataset, damaged): the output must at least be readable DICOM.
            var dump = RunTool("dcmdump", ["-E", result.FullName]);
            Assert.True(dump.ExitCode == 0, "dcmdump cannot read the output: " + dump.StdErr);
            _output.WriteLine("dciodvfy cannot read the input completely: output checked with dcmdump only");
            return;
        }

        var after = Dciodvfy(result.FullName);
        Assert.False(after.ReadFailed, "dciodvfy cannot read the output: " + string.Join('\n', after.Errors));
        _output.WriteLine($"dciodvfy: {before.Value.Errors.Count} distinct errors in the input, {after.Errors.Count} in the output");
        var added = after.Errors.Except(before.Value.Errors, StringComparer.Ordinal).Except(KnownIssues(input), StringComparer.Ordinal).ToList();
        Assert.True(added.Count == 0, "new dciodvfy errors:\n" + string.Join('\n', added));
    }

    /// <summary>
    /// New errors that are known and reported, not fixed here (each names the owner's file): a DICOMDIR has no SOP
    /// Class/Instance UID in its dataset and DeidentificationService writes a fresh file meta from the dataset, so the
    /// output loses Media Storage SOP Class UID (and its directory offsets no longer match): dciodvfy no longer knows
    /// the IOD. Remove an entry when its cause is fixed (the test then still passes; a new error still fails).
    /// </summary>
    private static IEnumerable<string> KnownIssues(string input) =>
        Path.GetFileName(input) == "DICOMDIR" ? ["Error - Information Object Not found"] : [];

    private static (SortedSet<string> Errors, bool ReadFailed) Dciodvfy(string path)
    {
        var r = RunTool("dciodvfy", [path]);
        var errors = new SortedSet<string>(StringComparer.Ordinal);
        var readFailed = r.ExitCode > 1 || r.TimedOut;
        foreach (var raw in (r.StdErr + "\n" + r.StdOut).Split('\n'))
        {
            var at = raw.IndexOf("Error - ", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var line = raw[at..].Trim();
            // dciodvfy stops at damage ("Tags out of order - trailing garbage..."): what it reports is then incomplete.
            readFailed |= line.Contains("read failed", StringComparison.OrdinalIgnoreCase) || line.Contains("Seek failed", StringComparison.Ordinal) ||
                          line.Contains("Tags out of order", StringComparison.Ordinal);
            errors.Add(NormaliseFinding(line));
        }

        return (errors, readFailed);
    }

    /// <summary>Values dciodvfy quotes ("= &lt;value&gt;", "Value=&lt;...&gt;") and UIDs become placeholders; names of attributes and modules stay.</summary>
    internal static string NormaliseFinding(string line)
    {
        line = QuotedValue().Replace(line, "$1<>");
        line = UidInText().Replace(line, "<uid>");
        line = UidAfterName().Replace(line, "$1<uid>");
        return Spaces().Replace(line, " ").Trim();
    }

    private static bool ToolExists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, name)));

    private static (int ExitCode, string StdOut, string StdErr, bool TimedOut) RunTool(string name, string[] args)
    {
        var psi = new ProcessStartInfo(name)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.Latin1,
            StandardErrorEncoding = Encoding.Latin1,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (-1, stdout.Result, stderr.Result, true);
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result, false);
    }

    [GeneratedRegex(@"2\.25\.[0-9]+")]
    private static partial Regex PseudonymousUid();

    [GeneratedRegex(@"(=\s*|Value\s*)<[^>]*>")]
    private static partial Regex QuotedValue();

    [GeneratedRegex(@"\b[0-9]+(\.[0-9]+){2,}\b")]
    private static partial Regex UidInText();

    [GeneratedRegex(@"(UID\s+)[0-9.]+")]
    private static partial Regex UidAfterName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
