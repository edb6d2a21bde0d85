using System.Diagnostics;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Benchmarks;

/// <summary>The work the child-process modes do (timed or measured by the parent).</summary>
internal static class Workloads
{

    /// <summary>Reads every file of a folder and writes it (without Patient's Name) to another, single-threaded.</summary>
    public static int AnonymizeDirectory(string input, string output)
    {
        Directory.CreateDirectory(output);
        var count = 0;
        foreach (var path in Directory.EnumerateFiles(input))
        {
            using var file = DicomFile.Open(path);
            file.Dataset.Remove(DicomTag.PatientName);
            file.Save(Path.Combine(output, Path.GetFileName(path)));
            count++;
        }

        return count;
    }

    /// <summary>Writes the throughput set: <paramref name="count"/> small CT files named ct00000.dcm...; returns their total size.</summary>
    public static long GenerateFiles(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(directory, $"ct{i:D5}.dcm");
            DicomFixtureBuilder.WriteFile(path, DicomFixtureBuilder.CreateCtDataset(i));
            total += new FileInfo(path).Length;
        }

        return total;
    }

    /// <summary>Mode <c>--generate dir count</c>.</summary>
    public static int Generate(string directory, int count)
    {
        Console.WriteLine($"bytes={GenerateFiles(directory, count)}");
        return 0;
    }

    /// <summary>Child mode <c>--rewrite in out</c>: open and rewrite one file, then print what this process peaked at.</summary>
    public static int Rewrite(string input, string output)
    {
        var watch = Stopwatch.StartNew();
        using (var file = DicomFile.Open(input))
        {
            file.Save(output);
        }

        watch.Stop();
        Console.WriteLine($"elapsed_ms={watch.ElapsedMilliseconds}");
        Console.WriteLine($"vmhwm_kb={ProcStatus.ReadKilobytes("self", "VmHWM") ?? -1}");
        Console.WriteLine($"managed_allocated={GC.GetTotalAllocatedBytes(precise: true)}");
        return 0;
    }

    /// <summary>Child mode <c>--anonymize-dir in out</c>: <see cref="AnonymizeDirectory"/> in a fresh process.</summary>
    public static int AnonymizeDirectoryMode(string input, string output)
    {
        var n = AnonymizeDirectory(input, output);
        Console.WriteLine($"files={n}");
        return 0;
    }
}

/// <summary>Reads fields of /proc/&lt;pid&gt;/status (Linux).</summary>
internal static class ProcStatus
{
    /// <summary>A "Name:   N kB" field in kilobytes, or null when unavailable (process gone, not Linux).</summary>
    public static long? ReadKilobytes(string pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var parts = line[(field.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
