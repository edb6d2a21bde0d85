namespace MedImageCleaner.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/MedImageCleaner.Benchmarks -- [--quick] [--skip-micro] [--work dir] [--only pixels]</c>: header
/// throughput against gdcmanon and cp, Remove-DicomPhi (basic profile) against gdcmanon -e, the 1 GB peak working sets
/// (rewrite and de-identification), BenchmarkDotNet micro benchmarks, burned-in text ms per frame (<c>--only pixels</c> runs that section alone), PNG export images/s (<c>--only export</c>) the burned-in text benchmark (<c>--only burnedin</c>) and the fresh-pwsh rows (<c>--only fresh</c>, needs the module layout), C-STORE against dcmtk (<c>--only network</c>); results in out/bench/results.md. Child modes
/// (used by the run itself, handy by hand): <c>--rewrite in out</c>, <c>--anonymize-dir in out</c>,
/// <c>--deidentify-dir in out workers [passes]</c>, <c>--deidentify-large in outdir</c>, <c>--generate dir count</c> (the throughput set).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 3 && args[0] == "--rewrite")
        {
            return Workloads.Rewrite(args[1], args[2]);
        }

        if (args.Length == 3 && args[0] == "--anonymize-dir")
        {
            return Workloads.AnonymizeDirectoryMode(args[1], args[2]);
        }

        if (args.Length is 4 or 5 && args[0] == "--deidentify-dir")
        {
            var passes = args.Length == 5 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 1;
            return DeidentificationWorkloads.DeidentifyDirectoryMode(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), passes);
        }

        if (args.Length == 3 && args[0] == "--deidentify-large")
        {
            return DeidentificationWorkloads.DeidentifyLarge(args[1], args[2]);
        }

        if (args.Length == 3 && args[0] == "--generate")
        {
            return Workloads.Generate(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        }

        var quick = args.Contains("--quick");
        var micro = !args.Contains("--skip-micro");
        var at = Array.IndexOf(args, "--work");
        var workRoot = at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var only = Array.IndexOf(args, "--only");
        var section = only >= 0 && only + 1 < args.Length ? args[only + 1] : null;
        var settings = quick
            ? new BenchSettings(Quick: true, Files: 500, LargeFileBytes: 128L * 1024 * 1024, Rounds: 3, Micro: micro, WorkRoot: workRoot, Only: section)
            : new BenchSettings(Quick: false, Files: 5000, LargeFileBytes: 1024L * 1024 * 1024, Rounds: 5, Micro: micro, WorkRoot: workRoot, Only: section);
        return new BenchmarkSuite(settings).Run();
    }
}

/// <summary>What one run measures.</summary>
/// <param name="Quick">Smoke-test sizes.</param>
/// <param name="Files">Small files for the throughput comparison.</param>
/// <param name="LargeFileBytes">Size of the multi-frame file for the peak working set.</param>
/// <param name="Rounds">Timed rounds per tool (the median is reported), after one untimed warm-up round.</param>
/// <param name="Micro">Run the BenchmarkDotNet micro benchmarks.</param>
/// <param name="WorkRoot">Where the generated files go (default: the system temp folder).</param>
/// <param name="Only">One section to run (<c>--only pixels</c>, <c>--only export</c>, <c>--only burnedin</c>, <c>--only fresh</c>); null runs every section.</param>
internal sealed record BenchSettings(bool Quick, int Files, long LargeFileBytes, int Rounds, bool Micro, string? WorkRoot, string? Only = null);
