using System.Diagnostics;
using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// Issue 5: Convert-DicomImage PNG export, images per second for 512x512 16-bit CT (8-bit PNG, header window, zlib
/// Fastest), against dcmtk's dcm2pnm --write-png run once per file on the same files in the same run.
/// </summary>
internal sealed partial class BenchmarkSuite
{
    private int Export(string work)
    {
        Line("## Convert-DicomImage: PNG images/s for 512x512 16-bit CT");
        Line();
        var count = _settings.Quick ? 40 : 200;
        var input = Directory.CreateDirectory(Path.Combine(work, "export-in")).FullName;
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(input, $"ct{i:D4}.dcm");
            DicomFixtureBuilder.WriteFile(path, DicomFixtureBuilder.CreateCtDataset(i, new FixtureImage(512, 512)));
            files.Add(path);
        }

        var options = new ExportOptions { Destination = Path.Combine(work, "export-ours"), Format = ExportFormat.Png, Overwrite = true };
        var exporter = new DicomImageExporter(options);
        _ = exporter.Export(files[0]); // warm-up (JIT, codec registration)
        var ours = new List<double>();
        for (var round = 0; round < _settings.Rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var f in files)
            {
                var outcome = exporter.Export(f);
                if (!outcome.Succeeded)
                {
                    Line($"Export failed: {outcome.ErrorId}.");
                    return 1;
                }
            }

            ours.Add(count / watch.Elapsed.TotalSeconds);
        }

        ours.Sort();
        var oursMedian = ours[ours.Count / 2];
        Line($"{count} generated CT files (512x512, 16 bits, native), one thread, sequential, {_settings.Rounds} rounds (median), output 8-bit PNG " +
             "with the Auto window and -CompressionLevel Fastest. dcm2pnm: one process per file (+on, non-interlaced, +Wm: the generated files have no window, so ours uses min-max too), " +
             "so its figure includes process start-up; it is the reference a shell script would use.");
        Line();
        Line("| Tool | Images/s (median) | Ratio to dcm2pnm |");
        Line("|---|---:|---:|");
        var dcm2pnm = FindOnPath("dcm2pnm");
        double? theirsMedian = null;
        if (dcm2pnm is not null)
        {
            var outDir = Directory.CreateDirectory(Path.Combine(work, "export-dcmtk")).FullName;
            var theirs = new List<double>();
            for (var round = 0; round < _settings.Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < files.Count; i++)
                {
                    var psi = new ProcessStartInfo(dcm2pnm) { RedirectStandardError = true, RedirectStandardOutput = true };
                    foreach (var a in new[] { "-q", "+on", "-il", "+Wm", files[i], Path.Combine(outDir, $"{i:D4}.png") })
                    {
                        psi.ArgumentList.Add(a);
                    }

                    using var p = Process.Start(psi) ?? throw new InvalidOperationException("dcm2pnm did not start.");
                    p.WaitForExit();
                }

                theirs.Add(count / watch.Elapsed.TotalSeconds);
            }

            theirs.Sort();
            theirsMedian = theirs[theirs.Count / 2];
        }

        Metric("export", "PNG export, 512x512 16-bit CT to 8-bit PNG, one thread", oursMedian, "images/s", "dcm2pnm --write-png (one process per file)", theirsMedian);
        Line($"| MedImageCleaner (DicomImageExporter) | {oursMedian.ToString("0.0", Inv)} | {(theirsMedian is { } t ? (oursMedian / t).ToString("0.00", Inv) : "-")} |");
        Line(theirsMedian is { } m ? $"| dcm2pnm --write-png | {m.ToString("0.0", Inv)} | 1.00 |" : "| dcm2pnm | not installed | - |");
        Line();
        Console.WriteLine($"export: ours {oursMedian:0.0} images/s, dcm2pnm {theirsMedian?.ToString("0.0", Inv) ?? "-"} images/s");
        return 0;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
