using System.Diagnostics;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Benchmarks;

/// <summary>Issue 3, acceptance 5: Remove-DicomPhi (basic profile) against <c>gdcmanon -e</c>, and its 1 GB peak working set.</summary>
internal sealed partial class BenchmarkSuite
{
    private int Deidentification(string work)
    {
        var input = Path.Combine(work, "in");
        var workers = Environment.ProcessorCount;
        var loadBefore = LoadAverage();
        var contenders = new List<Contender>
        {
            new("Remove-DicomPhi service, ThrottleLimit 1 (one thread, in-process)", InProcess: true,
                output => Check(DeidentificationWorkloads.DeidentifyDirectory(input, output, workers: 1))),
            new($"Remove-DicomPhi service, ThrottleLimit {workers} (Parallel.ForEach, {workers} workers, in-process)", InProcess: true,
                output => Check(DeidentificationWorkloads.DeidentifyDirectory(input, output, workers))),
            new($"Remove-DicomPhi service, ThrottleLimit {workers}, fresh process (.NET start + JIT included)", InProcess: false,
                output => RunSelf("--deidentify-dir", input, output, workers.ToString(Inv))),
        };

        var gdcmanon = Tool("gdcmanon", "--version") is not null;
        var (cert, gdcmanonProblem) = gdcmanon ? PrepareGdcmanon(work, input) : (string.Empty, null);

        if (gdcmanon && gdcmanonProblem is null)
        {
            contenders.Add(new("gdcmanon -e -c cert.pem --continue -r (Basic Profile, one thread)", InProcess: false,
                output => RunTool("gdcmanon", "-e", "-c", cert, "--continue", "-r", "-i", input, "-o", output)));
        }

        DeidentificationWorkloads.DeidentifyDirectory(input, Path.Combine(work, "deid-warm"), workers);
        Thread.Sleep(500);
        var (times, cpu, ok) = MeasureRounds(work, "deid", contenders);
        var outputBytes = new double[contenders.Count];
        for (var t = 0; t < contenders.Count; t++)
        {
            var dir = OutputFolder(work, "deid", t, _settings.Rounds);
            if (Directory.Exists(dir))
            {
                var sizes = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f).Length).ToList();
                outputBytes[t] = sizes.Count == 0 ? 0 : sizes.Average();
            }
        }

        Line($"## Remove-DicomPhi (basic profile): {_settings.Files.ToString("N0", Inv)} small CT files vs gdcmanon -e");
        Line();
        Line("The same generated files as above. Ours: `DeidentificationService` as Remove-DicomPhi builds it (basic profile, no " +
             "options, a fixed key, flat layout: output named by the new SOP Instance UID), one shared instance; per file it reads " +
             "the input, applies the plan, writes the output atomically (AtomicFile) and hashes input and output (SHA-256, for " +
             $"the audit; both from bytes in memory). ThrottleLimit 1 = a loop on one thread; ThrottleLimit {workers} = `Parallel.ForEach` with " +
             $"MaxDegreeOfParallelism {workers} (= Environment.ProcessorCount, the cmdlet's default). The cmdlet's PowerShell " +
             "pipeline and the SQLite audit store are not included. gdcmanon -e: GDCM's Basic Profile de-identification " +
             "(PS3.15 E.1), which also encrypts the replaced attributes into an Encrypted Attributes Sequence for a throw-away " +
             "self-signed certificate (`openssl req -x509 -newkey rsa:2048`, made per run). " +
             $"Median of {_settings.Rounds} rounds after one warm-up round, interleaved; every output file counted. CPU = getrusage " +
             "user + system (this process, all threads, for the in-process rows; the child otherwise).");
        Line();
        Line("| Tool | Wall median (s) | Files/s (wall) | CPU median (s) | Files/s (CPU) | Avg output bytes | Wall rounds (s) | CPU rounds (s) |");
        Line("|---|---:|---:|---:|---:|---:|---|---|");
        var rates = new double[contenders.Count];
        var cpuRates = new double[contenders.Count];
        for (var t = 0; t < contenders.Count; t++)
        {
            var median = Median(times[t]);
            var cpuMedian = Median(cpu[t]);
            rates[t] = _settings.Files / median;
            cpuRates[t] = _settings.Files / cpuMedian;
            Line($"| {contenders[t].Name} | {median:0.000} | {rates[t]:0} | {cpuMedian:0.000} | {cpuRates[t]:0} | {outputBytes[t]:0} | " +
                 $"{string.Join(", ", times[t].Select(x => x.ToString("0.000", Inv)))} | {string.Join(", ", cpu[t].Select(x => x.ToString("0.000", Inv)))} |");
        }

        Line();
        if (gdcmanon && gdcmanonProblem is null)
        {
            var g = contenders.Count - 1;
            Metric("deidentification", "Remove-DicomPhi, basic profile, ThrottleLimit 1", rates[0], "files/s", "gdcmanon -e (basic profile, one thread)", rates[g], target: ">= 1.5x");
            Metric("deidentification", $"Remove-DicomPhi, basic profile, ThrottleLimit {workers}", rates[1], "files/s", "gdcmanon -e (basic profile, one thread)", rates[g], target: ">= 3x");
            Line($"**Remove-DicomPhi / gdcmanon -e, wall clock: {rates[0] / rates[g]:0.00}x with ThrottleLimit 1 (target >= 1.5x), " +
                 $"{rates[1] / rates[g]:0.00}x with ThrottleLimit {workers} (target >= 3x)**");
            Line();
            Line($"**Remove-DicomPhi / gdcmanon -e, CPU time (files per CPU-second): {cpuRates[0] / cpuRates[g]:0.00}x with ThrottleLimit 1 (target >= 1.5x), " +
                 $"{cpuRates[1] / cpuRates[g]:0.00}x with ThrottleLimit {workers} (target >= 3x)**");
            Line();
            Line($"- Median of the per-round ratios (each round runs the tools back to back, so slow changes in the machine's load " +
                 $"cancel out): ThrottleLimit 1 {PairedRatio(times, 0, g):0.00}x wall, {PairedRatio(cpu, 0, g):0.00}x CPU; " +
                 $"ThrottleLimit {workers} {PairedRatio(times, 1, g):0.00}x wall, {PairedRatio(cpu, 1, g):0.00}x CPU.");
            Line($"- As a fresh process with ThrottleLimit {workers}: {rates[2] / rates[g]:0.00}x wall, {cpuRates[2] / cpuRates[g]:0.00}x CPU.");
            Line($"- CPU time counts work, not elapsed time: with {workers} workers it shows what parallelism costs per file. If each of the " +
                 $"{workers} workers had an idle core, the wall-clock ratio would be at most {workers} x the CPU ratio = " +
                 $"{workers * cpuRates[1] / cpuRates[g]:0.00}x (perfect scaling, an upper bound; gdcmanon uses one thread).");
            Line($"- Parallel speed-up measured here, ThrottleLimit {workers} over ThrottleLimit 1: {rates[1] / rates[0]:0.00}x wall " +
                 "(on a loaded machine this depends on how much CPU the scheduler gives us, not only on our code).");
        }
        else if (!gdcmanon)
        {
            Line("gdcmanon is not installed (apt-get install libgdcm-tools): no ratio.");
        }
        else
        {
            Line($"**gdcmanon -e failed on this machine: {gdcmanonProblem}** No ratio.");
        }

        Line("- The in-process rows run warm code (a warm-up pass and round first): the first few thousand files of a fresh " +
             "process run tier-0 and instrumented JIT code and cost 2-3x more CPU per file; the fresh-process row includes that.");
        Line("- Every tool creates one new file per input; where the file system makes that expensive (see \"Create the temp " +
             "file\" below), it adds the same cost to every row and pulls the ratios towards 1. `--work /dev/shm` shows the " +
             "comparison without it. See the README on ext4 without a journal.");
        Line();
        Line($"Load average before: {loadBefore}; after: {LoadAverage()} on {Environment.ProcessorCount} logical cores.");
        Line();
        Console.WriteLine(string.Join(Environment.NewLine, _md.ToString().Split('\n').Where(l => l.StartsWith("**Remove-DicomPhi", StringComparison.Ordinal))));

        ok &= Breakdown(work, input, gdcmanon && gdcmanonProblem is null ? Median(cpu[^1]) / _settings.Files : double.NaN);
        return ok ? 0 : 1;
    }

    /// <summary>Where one thread's time goes per file (see <see cref="DeidentificationWorkloads.Breakdown"/>).</summary>
    private bool Breakdown(string work, string input, double gdcmanonCpuPerFile)
    {
        var scratch = Path.Combine(work, "breakdown");
        IReadOnlyList<Phase> phases;
        Phase service;
        int files;
        try
        {
            (phases, service, files) = DeidentificationWorkloads.Breakdown(input, scratch);
        }
        catch (InvalidOperationException ex)
        {
            Line($"Breakdown failed: {ex.Message}");
            Line();
            return false;
        }

        var sumCpu = phases.Where(p => p.InService).Sum(p => p.CpuSeconds);
        static double Us(double seconds, int n) => seconds / n * 1e6;
        Line($"### Where the time goes: one thread, per file (the service's steps redone one by one, {files.ToString("N0", Inv)} files)");
        Line();
        Line("Each step of `DeidentificationService.Process` is redone with the same public calls and timed separately: CPU time of " +
             "the thread (clock_gettime CLOCK_THREAD_CPUTIME_ID, insensitive to other load; gen-0 garbage collections triggered in " +
             "a step count in it) and wall clock. One warm pass, the files in the page cache.");
        Line();
        Line("| Step | CPU us/file | Share of the service's steps (CPU) | Wall us/file |");
        Line("|---|---:|---:|---:|");
        foreach (var p in phases)
        {
            Line($"| {p.Name} | {Us(p.CpuSeconds, files):0.0} | {(p.InService ? (p.CpuSeconds / sumCpu).ToString("0.0%", Inv) : string.Empty)} | {Us(p.WallSeconds, files):0.0} |");
        }

        Line($"| Sum of the service's steps | {Us(sumCpu, files):0.0} | 100% | {Us(phases.Where(p => p.InService).Sum(p => p.WallSeconds), files):0.0} |");
        Line($"| {service.Name} | {Us(service.CpuSeconds, files):0.0} | | {Us(service.WallSeconds, files):0.0} |");
        var create = phases.FirstOrDefault(p => p.Name.StartsWith("Create", StringComparison.Ordinal));
        if (create is not null)
        {
            Line($"| Sum of the service's steps without creating the file | {Us(sumCpu - create.CpuSeconds, files):0.0} | {(sumCpu - create.CpuSeconds) / sumCpu:0.0%} | {Us(phases.Where(p => p.InService).Sum(p => p.WallSeconds) - create.WallSeconds, files):0.0} |");
        }
        if (!double.IsNaN(_headerCpuPerFile))
        {
            Line($"| For comparison: header read + write above (Open + remove one element + Save), getrusage | {_headerCpuPerFile * 1e6:0.0} | | |");
        }

        if (!double.IsNaN(gdcmanonCpuPerFile))
        {
            Line($"| For comparison: gdcmanon -e, getrusage of the child (process start included) | {gdcmanonCpuPerFile * 1e6:0.0} | | |");
        }

        Line();
        return true;
    }

    /// <summary>The 1 GB multi-frame file through the service in a child process: peak working set (target &lt; 100 MB).</summary>
    private bool DeidentificationPeakWorkingSet(string work, string input, LargeFixture fixture, double rewriteMs)
    {
        var outputDir = Path.Combine(work, "large-deid");
        var child = RunSampled("--deidentify-large", input, outputDir);
        var peakMb = child.PeakKb / 1024.0;
        var fileMb = fixture.FileBytes / (1024.0 * 1024);
        var outputBytes = child.Report.TryGetValue("output_bytes", out var ob) ? long.Parse(ob, Inv) : -1;
        var status = child.Report.GetValueOrDefault("status") ?? "unknown";
        var sizeOk = outputBytes > 0 && Math.Abs(outputBytes - fixture.FileBytes) < 1024 * 1024;
        var ok = child.ExitCode == 0 && status == "Written" && sizeOk;
        var elapsedMs = child.Report.TryGetValue("elapsed_ms", out var e) ? double.Parse(e, Inv) : child.WallMs;
        Metric("large", $"Peak working set de-identifying a {fileMb / 1024:0.0} GB file", peakMb, "MB", "the file's size", fileMb, higherIsBetter: false, target: "< 100 MB");
        var summary = $"peak working set: {peakMb:0} MB de-identifying a {fileMb / 1024:0.0} GB file ({peakMb / fileMb * 100:0.0}% of the file size; target < 100 MB)";
        Console.WriteLine(summary);
        Line($"## Peak working set: Remove-DicomPhi (basic profile) on one {fileMb / 1024:0.0} GB multi-frame file");
        Line();
        Line("The same file, through `DeidentificationService.Process` in a child process (this program with " +
             "`--deidentify-large <in> <outdir>`): read (pixel data left in the file), plan applied, written atomically " +
             "(AtomicFile); SHA-256 of the output as it is written and of the input (read a second time: inputs over " +
             "8 MB are not held in memory). Peak working set measured as above.");
        Line();
        Line($"**{summary}**");
        Line();
        Line($"- child exit code {child.ExitCode}, status {status}{(child.Report.TryGetValue("error", out var err) && err.Length > 0 ? ", error " + err : string.Empty)}; " +
             $"output {(sizeOk ? $"{outputBytes:N0} bytes (input {fixture.FileBytes:N0}: header changed, pixel data copied)" : "SIZE UNEXPECTED OR MISSING")}");
        Line($"- de-identification time {elapsedMs / 1000:0.00} s ({fileMb / (elapsedMs / 1000):0} MB/s of input) against {rewriteMs / 1000:0.00} s for the plain rewrite above; " +
             $"it also computes SHA-256 of {fileMb / 1024:0.0} GB twice (the output while written, the input on a second read); managed bytes allocated by the child: " +
             $"{(child.Report.TryGetValue("managed_allocated", out var a) ? long.Parse(a, Inv) / 1024 : -1)} KB");
        Line($"- VmHWM self-reported {child.SelfReportedKb / 1024.0:0.0} MB, sampled {child.SampledKb / 1024.0:0.0} MB");
        Line();
        if (child.Report.TryGetValue("output", out var written) && File.Exists(written))
        {
            File.Delete(written);
        }

        return ok;
    }

    /// <summary>Runs gdcmanon -e on one file first: null when it writes its output, else why not.</summary>
    /// <summary>
    /// gdcmanon -e encrypts the original attributes (PS3.15 E.1.1 Encrypted Attributes Sequence) for the certificate's
    /// owner: a throw-away self-signed certificate, made for this run (once), and probed on one file of
    /// <paramref name="input"/>. Returns the certificate and, when gdcmanon -e cannot run here, why.
    /// </summary>
    private static (string Certificate, string? Problem) PrepareGdcmanon(string work, string input)
    {
        var cert = Path.Combine(work, "cert.pem");
        if (!File.Exists(cert))
        {
            var (certExit, certErr) = RunCapture("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path.Combine(work, "key.pem"),
                "-out", cert, "-days", "1", "-subj", "/CN=bench");
            if (certExit != 0)
            {
                return (cert, "openssl could not make the certificate: " + LastLine(certErr));
            }
        }

        return (cert, ProbeGdcmanon(work, input, cert));
    }

    private static string? ProbeGdcmanon(string work, string input, string cert)
    {
        var probe = Guid.NewGuid().ToString("N")[..8];
        var probeIn = Path.Combine(work, "probe-in-" + probe);
        var probeOut = Path.Combine(work, "probe-out-" + probe);
        Directory.CreateDirectory(probeIn);
        var first = Directory.EnumerateFiles(input).First();
        File.Copy(first, Path.Combine(probeIn, Path.GetFileName(first)));
        try
        {
            var (exit, err) = RunCapture("gdcmanon", "-e", "-c", cert, "--continue", "-r", "-i", probeIn, "-o", probeOut);
            var written = Directory.Exists(probeOut) ? Directory.EnumerateFiles(probeOut, "*", SearchOption.AllDirectories).Count() : 0;
            return exit == 0 && written == 1 ? null : $"exit {exit}, wrote {written} of 1 file; stderr: {LastLine(err)}";
        }
        finally
        {
            Directory.Delete(probeIn, recursive: true);
            if (Directory.Exists(probeOut))
            {
                Directory.Delete(probeOut, recursive: true);
            }
        }
    }

    /// <summary>The median over rounds of baseline time / contender time (same round).</summary>
    private static double PairedRatio(List<double>[] seconds, int contender, int baseline)
    {
        var ratios = new List<double>();
        for (var r = 0; r < Math.Min(seconds[contender].Count, seconds[baseline].Count); r++)
        {
            ratios.Add(seconds[baseline][r] / seconds[contender][r]);
        }

        return Median(ratios);
    }

    private static int Check(DirectoryOutcome outcome)
    {
        if (outcome.Failed > 0)
        {
            Console.Error.WriteLine($"{outcome.Failed} files not written; first: {outcome.FirstError}");
        }

        return outcome.Failed == 0 ? 0 : 1;
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(nothing)" : lines[^1];
    }

    private static (int ExitCode, string StandardError) RunCapture(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("The process did not start: " + tool);
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err.Result);
    }
}
