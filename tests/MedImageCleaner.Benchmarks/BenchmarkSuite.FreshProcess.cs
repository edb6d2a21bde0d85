using System.Diagnostics;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// Issue 13: speed as users run it. A fresh <c>dotnet pwsh</c> imports the module from the build layout
/// (out/MedImageCleaner/&lt;version&gt;, ReadyToRun for linux-x64) and pipes Get-ChildItem into Remove-DicomPhi, against
/// <c>gdcmanon -e</c> on the same files in the same rounds; the same module warm (one pwsh, timed after a warm-up);
/// and Get-DicomFile against dcmdump run once per file. Where the time goes: the child reports Import-Module time and the
/// JIT's own counters (System.Runtime.JitInfo: methods compiled and time spent compiling), with and without ReadyToRun.
/// </summary>
internal sealed partial class BenchmarkSuite
{
    private const string FreshScript = """
        param([string] $Module, [string] $Mode, [string] $In, [string] $Out, [string] $Key, [int] $Rounds)
        $ErrorActionPreference = 'Stop'
        $ProgressPreference = 'SilentlyContinue'
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        if ($Mode -ne 'bare') { Import-Module $Module }
        $import = $sw.Elapsed.TotalMilliseconds
        switch ($Mode) {
            'pipeline' { $null = Get-ChildItem -LiteralPath $In -File | Remove-DicomPhi -Destination $Out -KeyFile $Key }
            'path' { $null = Remove-DicomPhi -Path $In -Destination $Out -KeyFile $Key }
            'get' { $null = Get-ChildItem -LiteralPath $In -File | Get-DicomFile }
            'warm' {
                $null = Get-ChildItem -LiteralPath $In -File | Remove-DicomPhi -Destination (Join-Path $Out 'w0') -KeyFile $Key
                $null = Remove-DicomPhi -Path $In -Destination (Join-Path $Out 'w1') -KeyFile $Key
                for ($r = 1; $r -le $Rounds; $r++) {
                    $t = [System.Diagnostics.Stopwatch]::StartNew()
                    $null = Get-ChildItem -LiteralPath $In -File | Remove-DicomPhi -Destination (Join-Path $Out "p$r") -KeyFile $Key
                    'warm_pipeline_ms={0}' -f $t.Elapsed.TotalMilliseconds
                    $t.Restart()
                    $null = Remove-DicomPhi -Path $In -Destination (Join-Path $Out "d$r") -KeyFile $Key
                    'warm_path_ms={0}' -f $t.Elapsed.TotalMilliseconds
                }
            }
        }
        'import_ms={0}' -f $import
        'work_ms={0}' -f ($sw.Elapsed.TotalMilliseconds - $import)
        'jit_methods={0}' -f [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
        'jit_ms={0}' -f [System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds
        """;

    private int FreshProcess(string work)
    {
        var module = FindModuleManifest();
        Line("## Fresh process, as a user runs it: Import-Module + Get-ChildItem | Remove-DicomPhi");
        Line();
        if (module is null)
        {
            Line("The module layout (out/MedImageCleaner/<version>/MedImageCleaner.psd1) is missing: run `build.ps1 -Task Build` first " +
                 "(`build.ps1 -Task Bench` does). Not measured.");
            Line();
            return 1;
        }

        var files = _settings.Quick ? 1000 : 10_000;
        var input = Path.Combine(work, "fresh-in");
        Workloads.GenerateFiles(input, files);
        var script = Path.Combine(work, "fresh.ps1");
        File.WriteAllText(script, FreshScript);
        var key = Path.Combine(work, "fresh.key");
        var made = Pwsh(script, module, "bare", input, work, key, 0);
        var (keyExit, _) = RunPwshCommand($"Import-Module '{module}'; $null = New-DeidentificationKey -Path '{key}'");
        if (made.Exit != 0 || keyExit != 0)
        {
            Line($"pwsh did not run (exit {made.Exit}, key {keyExit}): not measured.");
            Line();
            return 1;
        }

        // The same layout with IL-only dlls (what the build copies before ReadyToRun), to show what ReadyToRun saves.
        var ilModule = IlOnlyLayout(module, Path.Combine(work, "il-module"));
        var (cert, gdcmanonProblem) = Tool("gdcmanon", "--version") is not null ? PrepareGdcmanon(work, input) : (string.Empty, "gdcmanon is not installed");

        var rows = new List<(string Name, Func<string, (int Exit, Dictionary<string, string> Report)> Run, bool Counted)>
        {
            ("dotnet pwsh -NoProfile (start only, no module)", o => Pwsh(script, module, "bare", input, o, key, 0), false),
            ("fresh pwsh: Import-Module + Get-ChildItem | Remove-DicomPhi (ReadyToRun)", o => Pwsh(script, module, "pipeline", input, o, key, 0), true),
            ("fresh pwsh: Import-Module + Remove-DicomPhi -Path (ReadyToRun)", o => Pwsh(script, module, "path", input, o, key, 0), true),
        };
        if (ilModule is not null)
        {
            rows.Add(("fresh pwsh: Import-Module + Get-ChildItem | Remove-DicomPhi (IL only, JIT)", o => Pwsh(script, ilModule, "pipeline", input, o, key, 0), true));
        }

        if (gdcmanonProblem is null)
        {
            rows.Add(("gdcmanon -e -c cert.pem --continue -r (one process)", o => (RunTool("gdcmanon", "-e", "-c", cert, "--continue", "-r", "-i", input, "-o", o), []), true));
        }

        rows.Add(("cp -r (copy floor)", o => (RunTool("cp", "-r", input, o), []), true));

        var wall = rows.Select(_ => new List<double>()).ToArray();
        var reports = rows.Select(_ => new List<Dictionary<string, string>>()).ToArray();
        var ok = true;
        for (var round = 0; round <= _settings.Rounds; round++)
        {
            for (var t = 0; t < rows.Count; t++)
            {
                var output = Path.Combine(work, $"fresh{t}-r{round}");
                var sw = Stopwatch.StartNew();
                var (exit, report) = rows[t].Run(output);
                sw.Stop();
                var written = Directory.Exists(output) ? Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Count() : 0;
                if (exit != 0 || (rows[t].Counted && written != files))
                {
                    Console.Error.WriteLine($"{rows[t].Name}: exit {exit}, wrote {written} of {files} files");
                    ok = false;
                }

                if (round > 0)
                {
                    wall[t].Add(sw.Elapsed.TotalSeconds);
                    reports[t].Add(report);
                }

                // Outputs stay until the suite ends (its work folder is deleted then): on this ext4 a file created in the
                // minutes after a mass deletion costs up to ten times the kernel CPU (see README), and deleting each row's
                // 10,000 files here made the next rows pay for it (round 1 took 2-3x round 0).
                Console.WriteLine($"fresh round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: {rows[t].Name}: {sw.Elapsed.TotalMilliseconds:0} ms");
            }
        }

        // Warm: one pwsh, the module imported and both commands run once, then timed rounds.
        var warmOut = Path.Combine(work, "fresh-warm");
        var warm = Pwsh(script, module, "warm", input, warmOut, key, _settings.Rounds);
        ok &= warm.Exit == 0;
        var warmPipeline = Values(warm.Report, "warm_pipeline_ms");
        var warmPath = Values(warm.Report, "warm_path_ms");

        Line($"{files.ToString("N0", Inv)} small CT files (the throughput set's generator). Each fresh row is a new `dotnet pwsh -NoProfile " +
             "-NonInteractive -File` (the PowerShell local tool) that imports the module from the build layout and runs the command " +
             "with `-Destination <folder> -KeyFile <key>` (basic profile, default ThrottleLimit = logical cores), output discarded " +
             $"(`$null = ...`). Median of {_settings.Rounds} rounds after one warm-up round, the rows interleaved in each round, wall " +
             "clock measured outside the child (process start to exit). Import and JIT columns: medians reported by the child " +
             "(Stopwatch around Import-Module; System.Runtime.JitInfo for the whole process, pwsh's own methods included). " +
             "**The machine is shared and noisy (other builds and test runs on 2 cores): compare rows of the same run only.**");
        Line();
        Line("| Run | Wall median (s) | Files/s | Import-Module (ms) | Methods JIT-compiled | JIT time (ms) | Wall rounds (s) |");
        Line("|---|---:|---:|---:|---:|---:|---|");
        for (var t = 0; t < rows.Count; t++)
        {
            var median = Median(wall[t]);
            var import = Median(reports[t].SelectMany(r => Values(r, "import_ms")).ToList());
            var jitMethods = Median(reports[t].SelectMany(r => Values(r, "jit_methods")).ToList());
            var jitMs = Median(reports[t].SelectMany(r => Values(r, "jit_ms")).ToList());
            Line($"| {rows[t].Name.Replace("|", "\\|", StringComparison.Ordinal)} | {median:0.000} | {(rows[t].Counted ? (files / median).ToString("0", Inv) : "-")} | " +
                 $"{(double.IsNaN(import) ? "-" : import.ToString("0", Inv))} | {(double.IsNaN(jitMethods) ? "-" : jitMethods.ToString("0", Inv))} | " +
                 $"{(double.IsNaN(jitMs) ? "-" : jitMs.ToString("0", Inv))} | {string.Join(", ", wall[t].Select(x => x.ToString("0.000", Inv)))} |");
        }

        var warmPipelineS = Median(warmPipeline) / 1000;
        var warmPathS = Median(warmPath) / 1000;
        Line($"| warm pwsh (module imported, both commands run once): Get-ChildItem \\| Remove-DicomPhi | {warmPipelineS:0.000} | {files / warmPipelineS:0} | | | | {string.Join(", ", warmPipeline.Select(x => (x / 1000).ToString("0.000", Inv)))} |");
        Line($"| warm pwsh: Remove-DicomPhi -Path | {warmPathS:0.000} | {files / warmPathS:0} | | | | {string.Join(", ", warmPath.Select(x => (x / 1000).ToString("0.000", Inv)))} |");
        Line();

        var fresh = Median(wall[1]);
        var cp = Median(wall[^1]);
        if (gdcmanonProblem is null)
        {
            var g = Median(wall[^2]);
            Metric("fresh", "Fresh pwsh: Import-Module + Get-ChildItem | Remove-DicomPhi", files / fresh, "files/s", "gdcmanon -e (one process)", files / g, target: ">= 3x");
            Metric("fresh", "Warm pwsh: Get-ChildItem | Remove-DicomPhi", files / warmPipelineS, "files/s", "gdcmanon -e (one process)", files / g, target: ">= 4x");
            Line($"**Fresh pwsh pipeline / gdcmanon -e: {g / fresh:0.00}x (target >= 3x); warm pipeline: {g / warmPipelineS:0.00}x (target >= 4x); " +
                 $"warm -Path: {g / warmPathS:0.00}x.**");
        }
        else
        {
            Line($"gdcmanon -e: {gdcmanonProblem}; no ratio.");
        }

        Metric("fresh", "Warm pwsh: Remove-DicomPhi -Path", warmPathS, "s", "cp -r of the same files", cp, higherIsBetter: false, target: "<= 1.5x");
        Line($"**Warm -Path / cp -r: {warmPathS / cp:0.00}x (target <= 1.5x).**");
        if (ilModule is not null)
        {
            Line($"- ReadyToRun saves {Median(wall[3]) - fresh:0.00} s of the fresh pipeline run ({Median(wall[3]):0.00} s IL-only).");
        }

        var bareJit = Median(reports[0].SelectMany(r => Values(r, "jit_methods")).ToList());
        var bareJitMs = Median(reports[0].SelectMany(r => Values(r, "jit_ms")).ToList());
        var freshJit = Median(reports[1].SelectMany(r => Values(r, "jit_methods")).ToList());
        Line($"- Where the JIT time goes: `dotnet pwsh` alone compiles {bareJit:0} methods ({bareJitMs:0} ms of compile time, all threads) " +
             "before the script runs, because the PowerShell local tool ships IL-only assemblies (an installed pwsh is ReadyToRun); " +
             $"the ReadyToRun pipeline row adds {freshJit - bareJit:0} more (Import-Module, Get-ChildItem, parameter binding, generic " +
             "instantiations ReadyToRun cannot pregenerate across assemblies).");
        Line($"- Fixed cost of a fresh run: pwsh start {Median(wall[0]):0.00} s; per file, warm pipeline {warmPipelineS / files * 1e6:0} us vs -Path {warmPathS / files * 1e6:0} us " +
             $"(the difference, {(warmPipelineS - warmPathS) / files * 1e6:0} us/file, is Get-ChildItem and binding each FileInfo).");
        Line($"- Load average while measuring: {LoadAverage()} on {Environment.ProcessorCount} logical cores.");
        Line();
        ok &= GetDicomFileVsDcmdump(work, script, module, input, key);
        return ok ? 0 : 1;
    }

    private bool GetDicomFileVsDcmdump(string work, string script, string module, string input, string key)
    {
        var count = _settings.Quick ? 200 : 1000;
        var subset = Path.Combine(work, "fresh-get");
        Directory.CreateDirectory(subset);
        foreach (var f in Directory.EnumerateFiles(input).Order(StringComparer.Ordinal).Take(count))
        {
            File.Copy(f, Path.Combine(subset, Path.GetFileName(f)));
        }

        var dcmdump = Tool("dcmdump", "--version") is not null;
        var ours = new List<double>();
        var theirs = new List<double>();
        var ok = true;
        for (var round = 0; round <= _settings.Rounds; round++)
        {
            var sw = Stopwatch.StartNew();
            var r = Pwsh(script, module, "get", subset, work, key, 0);
            var a = sw.Elapsed.TotalSeconds;
            ok &= r.Exit == 0;
            double? b = null;
            if (dcmdump)
            {
                sw.Restart();
                ok &= RunTool("sh", "-c", "for f in \"$1\"/*; do dcmdump \"$f\" > /dev/null || exit 1; done", "sh", subset) == 0;
                b = sw.Elapsed.TotalSeconds;
            }

            if (round > 0)
            {
                ours.Add(a);
                if (b is { } x)
                {
                    theirs.Add(x);
                }
            }
        }

        Line($"## Fresh process: Get-ChildItem | Get-DicomFile vs dcmdump in a loop ({count.ToString("N0", Inv)} files)");
        Line();
        Line("Ours: a fresh `dotnet pwsh` imports the module and pipes Get-ChildItem into Get-DicomFile (output discarded). dcmdump: " +
             "`for f in dir/*; do dcmdump $f > /dev/null; done` (one process per file, as a script would run it). Median of " +
             $"{_settings.Rounds} rounds after a warm-up round.");
        Line();
        Line("| Run | Wall median (s) | Files/s | Wall rounds (s) |");
        Line("|---|---:|---:|---|");
        Line($"| fresh pwsh: Get-ChildItem \\| Get-DicomFile | {Median(ours):0.000} | {count / Median(ours):0} | {string.Join(", ", ours.Select(x => x.ToString("0.000", Inv)))} |");
        if (theirs.Count > 0)
        {
            Line($"| dcmdump, one process per file | {Median(theirs):0.000} | {count / Median(theirs):0} | {string.Join(", ", theirs.Select(x => x.ToString("0.000", Inv)))} |");
            Metric("fresh", "Fresh pwsh: Get-ChildItem | Get-DicomFile", count / Median(ours), "files/s", "dcmdump in a loop", count / Median(theirs));
            Line();
            Line($"**Get-DicomFile (fresh pwsh) / dcmdump loop: {Median(theirs) / Median(ours):0.00}x.**");
        }
        else
        {
            Line("| dcmdump | not installed | - | |");
        }

        Line();
        return ok;
    }

    private static List<double> Values(Dictionary<string, string> report, string name) =>
        report.TryGetValue(name, out var v)
            ? v.Split('|').Select(x => double.Parse(x, Inv)).ToList()
            : [];

    /// <summary>Runs the bench script in a fresh <c>dotnet pwsh</c> from the repository (where the tool manifest is).</summary>
    private static (int Exit, Dictionary<string, string> Report) Pwsh(string script, string module, string mode, string input, string output, string key, int rounds)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = TestCorpus.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script, "-Module", module, "-Mode", mode, "-In", input, "-Out", output, "-Key", key, "-Rounds", rounds.ToString(Inv) })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("dotnet pwsh did not start.");
        var err = p.StandardError.ReadToEndAsync();
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Console.Error.WriteLine(err.Result);
        }

        var report = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in lines.Select(l => l.Split('=', 2)).Where(x => x.Length == 2))
        {
            report[pair[0]] = report.TryGetValue(pair[0], out var before) ? before + "|" + pair[1] : pair[1];
        }

        return (p.ExitCode, report);
    }

    private static (int Exit, string Output) RunPwshCommand(string command)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = TestCorpus.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", command })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("dotnet pwsh did not start.");
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    /// <summary>The manifest of the build layout: $env:MEDIMAGECLEANER_MODULE, else out/MedImageCleaner/*/MedImageCleaner.psd1.</summary>
    private static string? FindModuleManifest()
    {
        var fromEnv = Environment.GetEnvironmentVariable("MEDIMAGECLEANER_MODULE");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
        {
            return fromEnv;
        }

        var root = Path.Combine(TestCorpus.RepositoryRoot, "out", "MedImageCleaner");
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "MedImageCleaner.psd1", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
    }

    /// <summary>A copy of the layout whose managed dlls are the IL-only build outputs (null when they are not found).</summary>
    private static string? IlOnlyLayout(string manifest, string target)
    {
        var layout = Path.GetDirectoryName(manifest)!;
        var bin = Path.Combine(TestCorpus.RepositoryRoot, "src", "MedImageCleaner.PowerShell", "bin", "Release", "net10.0");
        if (!Directory.Exists(bin))
        {
            return null;
        }

        foreach (var source in Directory.EnumerateFiles(layout, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(layout, source);
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var il = Path.Combine(bin, relative);
            File.Copy(relative.EndsWith(".dll", StringComparison.Ordinal) && !relative.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(il) ? il : source, destination);
        }

        return Path.Combine(target, Path.GetFileName(manifest));
    }
}
