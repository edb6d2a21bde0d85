using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Benchmarks;

/// <summary>Runs every measurement of one benchmark run and writes out/bench/results.md.</summary>
internal sealed partial class BenchmarkSuite
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly BenchSettings _settings;
    private readonly StringBuilder _md = new();
    private double _headerCpuPerFile = double.NaN;

    public BenchmarkSuite(BenchSettings settings) => _settings = settings;

    public int Run()
    {
        var outDir = Path.Combine(TestCorpus.RepositoryRoot, "out", "bench");
        Directory.CreateDirectory(outDir);
        var work = _settings.WorkRoot is null
            ? Directory.CreateTempSubdirectory("mic-bench-").FullName
            : Directory.CreateDirectory(Path.Combine(_settings.WorkRoot, "mic-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var exit = 0;
        try
        {
            Header();
            if (_settings.Only is null)
            {
                exit |= Throughput(work);
                exit |= Deidentification(work);
                exit |= PeakWorkingSet(work);
            }

            if (_settings.Only is null or "fresh")
            {
                exit |= FreshProcess(work);
            }

            if (_settings.Only is null or "pixels")
            {
                exit |= Pixels();
            }

            if (_settings.Only is null or "export")
            {
                exit |= Export(work);
            }

            if (_settings.Only is null or "workflow")
            {
                exit |= Workflow(work);
            }

            if (_settings.Only is null or "burnedin")
            {
                exit |= BurnedIn(work);
            }

            if (_settings.Only is null or "network")
            {
                exit |= Network(work);
            }

            if (_settings.Micro && _settings.Only is null)
            {
                Micro(outDir);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        var results = Path.Combine(outDir, "results.md");
        var text = _md.ToString();
        var firstSection = text.IndexOf("\n## ", StringComparison.Ordinal);
        text = firstSection < 0 ? text + SummaryTable() : text[..(firstSection + 1)] + SummaryTable() + text[(firstSection + 1)..];
        File.WriteAllText(results, text);
        WriteJson(Path.Combine(outDir, "results.json"));
        Console.WriteLine();
        Console.WriteLine($"results written to {results}");
        return exit;
    }

    private void Header()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        Line("# MedImageCleaner benchmarks");
        Line();
        Line($"- Run: {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Inv)} UTC, {(_settings.Quick ? "quick (smoke test sizes)" : "full")}");
        Line($"- Machine: {cpu ?? "unknown CPU"}, {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Line($"- .NET {Environment.Version}; {Tool("gdcmanon", "--version") ?? "gdcmanon not installed"}");
        Line($"- Work folder: {_settings.WorkRoot ?? Path.GetTempPath()} ({DriveType(_settings.WorkRoot ?? Path.GetTempPath())})");
        Line();
    }

    private int Throughput(string work)
    {
        var input = Path.Combine(work, "in");
        Directory.CreateDirectory(input);
        var watch = Stopwatch.StartNew();
        var totalBytes = Workloads.GenerateFiles(input, _settings.Files);

        Console.WriteLine($"generated {_settings.Files} files ({totalBytes / _settings.Files} bytes each) in {watch.ElapsedMilliseconds} ms");
        var gdcmanon = Tool("gdcmanon", "--version") is not null;
        var tools = new List<(string Name, Func<string, int> Run)>
        {
            ("ours, in-process (DicomFile.Open + remove (0010,0010) + Save)", output => Workloads.AnonymizeDirectory(input, output) == _settings.Files ? 0 : 1),
            ("ours, fresh process (includes .NET startup and JIT)", output => RunSelf("--anonymize-dir", input, output)),
        };
        if (gdcmanon)
        {
            tools.Add(("gdcmanon --dumb --remove 0010,0010 --continue -r", output => RunTool("gdcmanon", "--dumb", "--remove", "0010,0010", "--continue", "-r", "-i", input, "-o", output)));
        }

        tools.Add(("cp -r (copy floor)", output => RunTool("cp", "-r", input, output)));

        var contenders = tools.Select((x, i) => new Contender(x.Name, InProcess: i == 0, x.Run)).ToList();

        // Extra in-process warm-up so the timed rounds run tier-1 code (tiered JIT recompiles hot methods in the background).
        Workloads.AnonymizeDirectory(input, Path.Combine(work, "warm"));
        Thread.Sleep(500);
        var (times, cpu, ok) = MeasureRounds(work, "out", contenders);

        Line($"## Header read + write throughput: {_settings.Files.ToString("N0", Inv)} small CT files, single-threaded");
        Line();
        Line($"Each file: ~100 header elements with nested and private sequences, 64x64 16-bit pixels, {totalBytes / _settings.Files} bytes. " +
             $"Median of {_settings.Rounds} rounds after one warm-up round; inputs in the page cache; every output file counted. " +
             "Wall clock from a Stopwatch; CPU = user + system time from getrusage (this process for the in-process row, the child " +
             "process otherwise), which stays meaningful when other work shares the machine.");
        Line();
        Line("| Tool | Wall median (s) | Files/s (wall) | CPU median (s) | Files/s (CPU) | Wall rounds (s) |");
        Line("|---|---:|---:|---:|---:|---|");
        var rates = new double[tools.Count];
        var cpuRates = new double[tools.Count];
        for (var t = 0; t < tools.Count; t++)
        {
            var median = Median(times[t]);
            var cpuMedian = Median(cpu[t]);
            rates[t] = _settings.Files / median;
            cpuRates[t] = _settings.Files / cpuMedian;
            if (t == 0)
            {
                _headerCpuPerFile = cpuMedian / _settings.Files;
            }

            Line($"| {tools[t].Name} | {median:0.000} | {rates[t]:0} | {cpuMedian:0.000} | {cpuRates[t]:0} | {string.Join(", ", times[t].Select(x => x.ToString("0.000", Inv)))} |");
        }

        Line();
        if (gdcmanon)
        {
            var g = tools.FindIndex(x => x.Name.StartsWith("gdcmanon", StringComparison.Ordinal));
            Metric("header", "Header read + write, one thread, in-process", rates[0], "files/s", "gdcmanon --dumb (one thread)", rates[g], target: ">= 1.5x");
            Line($"**ours / gdcmanon = {rates[0] / rates[g]:0.00}x wall clock, {cpuRates[0] / cpuRates[g]:0.00}x CPU time (target >= 1.5x)**; " +
                 $"as a fresh process: {rates[1] / rates[g]:0.00}x wall, {cpuRates[1] / cpuRates[g]:0.00}x CPU.");
            Line();
            Line($"Load average while measuring: {LoadAverage()} on {Environment.ProcessorCount} logical cores.");
        }
        else
        {
            Line("gdcmanon is not installed (apt-get install libgdcm-tools): no ratio.");
        }

        Line();
        Line("Why a Stopwatch and not BenchmarkDotNet here: gdcmanon and cp are external processes that walk a directory, so the " +
             "only common measure is wall clock over the same folder in the same run. BenchmarkDotNet measures our in-process " +
             "per-file costs below. gdcmanon's time includes its own process start (once per run, a few milliseconds); the " +
             "\"fresh process\" row gives ours the same handicap (.NET runtime start and JIT included).");
        Line();
        Console.WriteLine(string.Join(Environment.NewLine, _md.ToString().Split('\n').Where(l => l.StartsWith('|') || l.StartsWith("**", StringComparison.Ordinal))));
        return ok ? 0 : 1;
    }

    private int PeakWorkingSet(string work)
    {
        var input = Path.Combine(work, "large.dcm");
        var output = Path.Combine(work, "large-out.dcm");
        var watch = Stopwatch.StartNew();
        var fixture = DicomFixtureBuilder.WriteLargeMultiframe(input, _settings.LargeFileBytes);
        Console.WriteLine($"generated {fixture.FileBytes / (1024.0 * 1024 * 1024):0.00} GB ({fixture.Image.Frames} frames) in {watch.ElapsedMilliseconds} ms");

        var child = RunSampled("--rewrite", input, output);
        var peakMb = child.PeakKb / 1024.0;
        var fileGb = fixture.FileBytes / (1024.0 * 1024 * 1024);
        var sameSize = File.Exists(output) && new FileInfo(output).Length == fixture.FileBytes;
        var ok = child.ExitCode == 0 && sameSize;
        var elapsedMs = child.Report.TryGetValue("elapsed_ms", out var e) ? double.Parse(e, Inv) : child.WallMs;

        var cpSeconds = TimeCopy(input, Path.Combine(work, "large-cp.dcm"));
        Metric("large", $"Rewrite a {fileGb:0.0} GB multi-frame file", elapsedMs / 1000, "s", "cp of the same file", cpSeconds, higherIsBetter: false);
        Metric("large", $"Peak working set rewriting a {fileGb:0.0} GB file", peakMb, "MB", "the file's size", fixture.FileBytes / (1024.0 * 1024), higherIsBetter: false, target: "< 100 MB");
        var summary = $"peak working set: {peakMb:0} MB for a {fileGb:0.0} GB file ({peakMb / (fixture.FileBytes / (1024.0 * 1024)) * 100:0.0}% of the file size; target < 100 MB)";
        Console.WriteLine(summary);
        Line($"## Peak working set: read + rewrite one {fileGb:0.0} GB multi-frame file");
        Line();
        Line($"A child process (this program with `--rewrite <in> <out>`) opens the {fixture.Image.Frames}-frame 512x512 16-bit file " +
             "(generated by the fixture builder, streamed) and saves it to a new file. Peak working set = max of the child's own " +
             "VmHWM (/proc/self/status at exit) and the parent's 5 ms samples of /proc/<pid>/status VmHWM (Process.PeakWorkingSet64 " +
             "is not readable after a Linux process exits).");
        Line();
        Line($"**{summary}**");
        Line();
        Line($"- child exit code {child.ExitCode}; output {(sameSize ? "same size as the input" : "SIZE DIFFERS OR MISSING")}");
        Line($"- rewrite time {elapsedMs / 1000:0.00} s ({fixture.FileBytes / (1024.0 * 1024) / (elapsedMs / 1000):0} MB/s); managed bytes allocated by the child: {(child.Report.TryGetValue("managed_allocated", out var a) ? long.Parse(a, Inv) / 1024 : -1)} KB");
        Line($"- VmHWM self-reported {child.SelfReportedKb / 1024.0:0.0} MB, sampled {child.SampledKb / 1024.0:0.0} MB");
        Line();
        File.Delete(output);
        ok &= DeidentificationPeakWorkingSet(work, input, fixture, elapsedMs);
        File.Delete(input);
        return ok ? 0 : 1;
    }

    /// <summary>
    /// Runs this program as a child with <paramref name="args"/>, sampling its VmHWM every 5 ms; the child prints
    /// key=value lines (vmhwm_kb among them).
    /// </summary>
    private static SampledChild RunSampled(params string[] args)
    {
        var psi = SelfStartInfo(args);
        psi.RedirectStandardOutput = true;
        var watch = Stopwatch.StartNew();
        using var child = Process.Start(psi) ?? throw new InvalidOperationException("The child process did not start.");
        var pid = child.Id.ToString(Inv);
        var stdout = child.StandardOutput.ReadToEndAsync();
        long sampled = 0;
        while (!child.HasExited)
        {
            sampled = Math.Max(sampled, ProcStatus.ReadKilobytes(pid, "VmHWM") ?? 0);
            Thread.Sleep(5);
        }

        child.WaitForExit();
        watch.Stop();
        var report = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var selfReported = report.TryGetValue("vmhwm_kb", out var v) ? long.Parse(v, Inv) : 0;
        return new SampledChild(child.ExitCode, report, sampled, selfReported, watch.ElapsedMilliseconds);
    }

    /// <summary>
    /// Runs every contender once per round (one untimed warm-up round, then <see cref="BenchSettings.Rounds"/> timed
    /// ones), interleaved so that load changes hit all of them alike; counts the files each one wrote. Every run writes
    /// a new folder and nothing is deleted until the end of the whole run: on ext4 without a journal, inodes freed in
    /// the last 1 to 6 minutes are skipped (one by one) when a new file is created, so deleting 5,000 outputs between
    /// runs made file creation 10x dearer for whichever tool ran next.
    /// </summary>
    private (List<double>[] Wall, List<double>[] Cpu, bool Ok) MeasureRounds(string work, string prefix, IReadOnlyList<Contender> contenders)
    {
        var times = contenders.Select(_ => new List<double>()).ToArray();
        var cpu = contenders.Select(_ => new List<double>()).ToArray();
        var ok = true;
        for (var round = 0; round <= _settings.Rounds; round++)
        {
            for (var t = 0; t < contenders.Count; t++)
            {
                var output = OutputFolder(work, prefix, t, round);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var inProcess = contenders[t].InProcess;
                var cpuBefore = inProcess ? ResourceUsage.SelfSeconds() : ResourceUsage.ChildrenSeconds();
                var sw = Stopwatch.StartNew();
                var exit = contenders[t].Run(output);
                sw.Stop();
                var cpuUsed = (inProcess ? ResourceUsage.SelfSeconds() : ResourceUsage.ChildrenSeconds()) - cpuBefore;
                var written = Directory.Exists(output) ? Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Count() : 0;
                if (exit != 0 || written != _settings.Files)
                {
                    Console.Error.WriteLine($"{contenders[t].Name}: exit {exit}, wrote {written} of {_settings.Files} files");
                    ok = false;
                }

                if (round > 0)
                {
                    times[t].Add(sw.Elapsed.TotalSeconds);
                    cpu[t].Add(cpuUsed);
                }

                Console.WriteLine($"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: {contenders[t].Name}: {sw.Elapsed.TotalMilliseconds:0} ms wall, {cpuUsed * 1000:0} ms CPU");
            }
        }

        return (times, cpu, ok);
    }

    /// <summary>Where contender <paramref name="contender"/> writes in round <paramref name="round"/>.</summary>
    private static string OutputFolder(string work, string prefix, int contender, int round) =>
        Path.Combine(work, prefix + contender.ToString(Inv) + "-r" + round.ToString(Inv));

    private void Micro(string outDir)
    {
        // Bounded iteration counts: on a loaded machine the default job keeps adding iterations and the in-process
        // toolchain's time limit stops it.
        var job = (_settings.Quick ? Job.ShortRun : Job.Default.WithWarmupCount(6).WithIterationCount(20).WithMinIterationTime(TimeInterval.FromMilliseconds(250)))
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(10), logOutput: true));
        var config = DefaultConfig.Instance.AddJob(job).WithArtifactsPath(Path.Combine(outDir, "bdn"));
        var summaries = BenchmarkRunner.Run([typeof(HeaderBenchmarks), typeof(DeidentificationBenchmarks)], config);
        Line("## In-process micro benchmarks (BenchmarkDotNet 0.15.8, MemoryDiagnoser)");
        Line();
        Line($"Job: {(_settings.Quick ? "ShortRun" : "6 warm-up + 20 measured iterations")}, in-process emit toolchain. One file like those of the throughput set. " +
             "Engine* and DeidentifyInMemory: the basic profile with a fixed key (no file system, no SHA-256).");
        Line();
        Line("| Benchmark | Mean | Median | StdDev | Per second (median) | Allocated/op |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            var stats = report.ResultStatistics;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            Line(stats is null
                ? $"| {report.BenchmarkCase.Descriptor.WorkloadMethod.Name} | failed | | | | |"
                : $"| {report.BenchmarkCase.Descriptor.WorkloadMethod.Name} | {stats.Mean / 1000:0.00} us | {stats.Median / 1000:0.00} us | {stats.StandardDeviation / 1000:0.00} us | {1e9 / stats.Median:0} | {(allocated is null ? "?" : (allocated.Value / 1024.0).ToString("0.0", Inv) + " KB")} |");
        }

        Line();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string DriveType(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var best = DriveInfo.GetDrives().Where(d => full.StartsWith(d.RootDirectory.FullName, StringComparison.Ordinal)).MaxBy(d => d.RootDirectory.FullName.Length);
            return best is null ? "unknown file system" : best.DriveFormat + " file system";
        }
        catch (IOException)
        {
            return "unknown file system";
        }
    }

    /// <summary>Seconds cp takes to copy <paramref name="input"/> (the floor for rewriting it); the copy is deleted.</summary>
    private static double? TimeCopy(string input, string copy)
    {
        var watch = Stopwatch.StartNew();
        var exit = RunTool("cp", input, copy);
        var seconds = watch.Elapsed.TotalSeconds;
        File.Delete(copy);
        return exit == 0 ? seconds : null;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int RunSelf(params string[] args) => Wait(SelfStartInfo(args));

    private static int RunTool(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Wait(psi);
    }

    private static int Wait(ProcessStartInfo psi)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("The process did not start: " + psi.FileName);
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Console.Error.WriteLine(err.Result);
        }

        return p.ExitCode;
    }

    private static ProcessStartInfo SelfStartInfo(params string[] args)
    {
        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var psi = new ProcessStartInfo(exe);
        if (Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    private static string? Tool(string name, string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(name, args) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (p is null)
            {
                return null;
            }

            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return text.Length > 0 ? text : name;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private void Line(string text = "") => _md.Append(text).Append('\n');

    /// <summary>One tool of a throughput comparison: <paramref name="Run"/> writes the output folder it is given and returns an exit code.</summary>
    /// <param name="Name">The row label.</param>
    /// <param name="InProcess">CPU time is this process's (getrusage self) rather than the children's.</param>
    /// <param name="Run">The work.</param>
    private sealed record Contender(string Name, bool InProcess, Func<string, int> Run);

    /// <summary>A finished child process of <see cref="RunSampled"/>.</summary>
    /// <param name="ExitCode">Its exit code.</param>
    /// <param name="Report">The key=value lines it printed.</param>
    /// <param name="SampledKb">The largest VmHWM the parent saw.</param>
    /// <param name="SelfReportedKb">The VmHWM it printed at exit.</param>
    /// <param name="WallMs">Start to exit, as the parent saw it.</param>
    private sealed record SampledChild(int ExitCode, Dictionary<string, string> Report, long SampledKb, long SelfReportedKb, long WallMs)
    {
        public long PeakKb => Math.Max(SampledKb, SelfReportedKb);
    }
}
