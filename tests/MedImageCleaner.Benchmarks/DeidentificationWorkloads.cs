using System.Diagnostics;
using System.Security.Cryptography;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Benchmarks;

/// <summary>What a de-identification pass over a folder did.</summary>
/// <param name="Written">Files the service reported as Written.</param>
/// <param name="Failed">Files with any other status.</param>
/// <param name="FirstError">The error id (or status) of the first file that was not written.</param>
internal sealed record DirectoryOutcome(int Written, int Failed, string? FirstError);

/// <summary>One step of <see cref="DeidentificationWorkloads.Breakdown"/>: thread CPU and wall seconds summed over the files.</summary>
/// <param name="Name">What the step does.</param>
/// <param name="CpuSeconds">CPU time of the measuring thread (CLOCK_THREAD_CPUTIME_ID), summed.</param>
/// <param name="WallSeconds">Stopwatch time, summed.</param>
/// <param name="InService">True when the service does this step (the rows that add up to its per-file cost).</param>
internal sealed record Phase(string Name, double CpuSeconds, double WallSeconds, bool InService);

/// <summary>
/// Remove-DicomPhi's Core work as the cmdlet runs it: one shared <see cref="DeidentificationService"/> (basic profile,
/// a fixed key, flat layout) called by one thread (ThrottleLimit 1) or by N workers.
/// </summary>
internal static class DeidentificationWorkloads
{
    /// <summary>The basic profile: no options, default seed switches (what Remove-DicomPhi does without parameters).</summary>
    public static DeidentificationSettings BasicProfile { get; } = new();

    /// <summary>A fixed key, so every run writes the same bytes (the same as a -KeyFile run).</summary>
    public static DeidentificationKey FixedKey()
    {
        var bytes = new byte[DeidentificationKey.KeySizeBytes];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(0x5A ^ (i * 7));
        }

        return DeidentificationKey.FromBytes(bytes);
    }

    /// <summary>The service as the cmdlet builds it (the scrubber is not used by the basic profile: it has no C action).</summary>
    public static DeidentificationService CreateService(DeidentificationKey key, string destination) =>
        DeidentificationService.Create(BasicProfile, key, destination, OutputLayout.Flat, force: false, scrubber: null);

    /// <summary>
    /// De-identifies every file of <paramref name="input"/> into <paramref name="output"/>: one thread in a loop when
    /// <paramref name="workers"/> is 1, else Parallel.ForEach with that many workers sharing the service.
    /// </summary>
    public static DirectoryOutcome DeidentifyDirectory(string input, string output, int workers)
    {
        using var key = FixedKey();
        var service = CreateService(key, output);
        Directory.CreateDirectory(output);
        var written = 0;
        var failed = 0;
        string? firstError = null;
        void One(string path)
        {
            var result = service.Process(new DeidentificationRequest(path));
            if (result.Status == DeidentificationStatus.Written)
            {
                Interlocked.Increment(ref written);
            }
            else
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, result.ErrorId ?? result.Status.ToString(), null);
            }
        }

        if (workers <= 1)
        {
            foreach (var path in Directory.EnumerateFiles(input))
            {
                One(path);
            }
        }
        else
        {
            Parallel.ForEach(Directory.EnumerateFiles(input), new ParallelOptions { MaxDegreeOfParallelism = workers }, One);
        }

        return new DirectoryOutcome(written, failed, firstError);
    }

    /// <summary>
    /// Child mode <c>--deidentify-dir in out workers [passes]</c>: <see cref="DeidentifyDirectory"/> in a fresh process. With
    /// more than one pass (for profiling by hand, e.g. under perf), each pass writes out/pass-N and prints its wall and CPU time.
    /// </summary>
    public static int DeidentifyDirectoryMode(string input, string output, int workers, int passes = 1)
    {
        var failed = 0;
        for (var pass = 1; pass <= passes; pass++)
        {
            var cpu0 = ResourceUsage.SelfSeconds();
            var watch = Stopwatch.StartNew();
            var outcome = DeidentifyDirectory(input, passes == 1 ? output : Path.Combine(output, "pass-" + pass.ToString(System.Globalization.CultureInfo.InvariantCulture)), workers);
            watch.Stop();
            Console.WriteLine($"written={outcome.Written}");
            Console.WriteLine($"failed={outcome.Failed}");
            if (passes > 1)
            {
                Console.WriteLine($"pass {pass}: {watch.Elapsed.TotalMilliseconds:0} ms wall, {(ResourceUsage.SelfSeconds() - cpu0) * 1000:0} ms CPU");
            }

            if (outcome.FirstError is not null)
            {
                Console.Error.WriteLine($"first error: {outcome.FirstError}");
            }

            failed += outcome.Failed;
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Child mode <c>--deidentify-large in outdir</c>: de-identify one (large) file through the service and print what
    /// this process peaked at.
    /// </summary>
    public static int DeidentifyLarge(string input, string outputDirectory)
    {
        var watch = Stopwatch.StartNew();
        DeidentificationResult result;
        using (var key = FixedKey())
        {
            result = CreateService(key, outputDirectory).Process(new DeidentificationRequest(input));
        }

        watch.Stop();
        Console.WriteLine($"elapsed_ms={watch.ElapsedMilliseconds}");
        Console.WriteLine($"vmhwm_kb={ProcStatus.ReadKilobytes("self", "VmHWM") ?? -1}");
        Console.WriteLine($"managed_allocated={GC.GetTotalAllocatedBytes(precise: true)}");
        Console.WriteLine($"status={result.Status}");
        Console.WriteLine($"error={result.ErrorId}");
        Console.WriteLine($"output={result.FullName}");
        Console.WriteLine($"output_bytes={(File.Exists(result.FullName) ? new FileInfo(result.FullName).Length : -1)}");
        return result.Status == DeidentificationStatus.Written ? 0 : 1;
    }

    /// <summary>
    /// Where one thread's time goes: the steps of <see cref="DeidentificationService.Process"/> (small inputs: read once,
    /// hashed from the same bytes; output hashed while written) redone one by one with the same public calls, each timed
    /// (thread CPU and wall), over every file of <paramref name="input"/>; then extra steps the service does not take
    /// (plan collection, the engine's dataset clone alone, serializing to memory) for comparison; then the service itself
    /// on the same file, so that both see the same file-system conditions.
    /// </summary>
    public static (IReadOnlyList<Phase> Phases, Phase Service, int Files) Breakdown(string input, string scratch)
    {
        var files = Directory.GetFiles(input);
        using var key = FixedKey();
        var settings = BasicProfile;
        var engine = new DeidentificationEngine(settings, new Pseudonymizer(key, settings.PatientIdPrefix, settings.DateOffsetDays));
        var options = new DicomWriteOptions { KeepOtherFileMetaElements = false };
        var names = new[]
        {
            "Read the input (FileInfo.Length + File.ReadAllBytes)",
            "SHA-256 of the input bytes",
            "Parse (DicomFile.Open from the bytes)",
            "Engine.Apply (clone, decide per attribute, pseudonyms, method attributes), no plan",
            "Result: 3 UID lookups, counts dictionary, target path",
            "Directory.CreateDirectory(destination), done for every file",
            "AtomicFile.Create (Linux: an unnamed O_TMPFILE inode in the folder; elsewhere a named temporary file)",
            "Serialize + write + Flush, SHA-256 of the output while written",
            "PendingFile.TryCommit (Linux: linkat into place, fails if the target exists; elsewhere rename)",
            "(not in the service) Engine.Apply with collectPlan: true",
            "(not in the service) DicomDataset.Clone alone",
            "(not in the service) serialize to Stream.Null",
        };
        const int inService = 8;
        var cpu = new double[names.Length + 1];
        var wall = new long[names.Length + 1];
        var destination = Path.Combine(scratch, "phases");
        Directory.CreateDirectory(destination);
        var serviceOutput = Path.Combine(scratch, "service");
        var service = CreateService(key, serviceOutput);
        Directory.CreateDirectory(serviceOutput);

        var t0 = ResourceUsage.ThreadSeconds();
        var w0 = Stopwatch.GetTimestamp();
        void Mark(int phase)
        {
            var t1 = ResourceUsage.ThreadSeconds();
            var w1 = Stopwatch.GetTimestamp();
            cpu[phase] += t1 - t0;
            wall[phase] += w1 - w0;
            t0 = t1;
            w0 = w1;
        }

        foreach (var source in files)
        {
            t0 = ResourceUsage.ThreadSeconds();
            w0 = Stopwatch.GetTimestamp();
            _ = new FileInfo(source).Length;
            var bytes = File.ReadAllBytes(source);
            Mark(0);
            _ = Convert.ToHexStringLower(SHA256.HashData(bytes));
            Mark(1);
            using var file = DicomFile.Open(bytes, name: source);
            Mark(2);
            var outcome = engine.Apply(file.Dataset, collectPlan: false);
            Mark(3);
            var sop = outcome.Dataset.GetString(DicomTag.SOPInstanceUID);
            _ = outcome.Dataset.GetString(DicomTag.StudyInstanceUID);
            _ = outcome.Dataset.GetString(DicomTag.SeriesInstanceUID);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var kv in outcome.Counts)
            {
                counts[kv.Key.ToString()] = kv.Value;
            }

            var target = Path.Combine(destination, sop + ".dcm");
            Mark(4);
            Directory.CreateDirectory(destination);
            Mark(5);
            using (var pending = AtomicFile.Create(target))
            {
                Mark(6);
                using (var hashing = new HashingStream(pending.Stream))
                {
                    new DicomFile(outcome.Dataset, file.TransferSyntax).Save(hashing, options);
                    _ = hashing.HashHex();
                }

                Mark(7);
                _ = pending.TryCommit(overwrite: false);
            }

            Mark(8);
            _ = engine.Apply(file.Dataset, collectPlan: true);
            Mark(9);
            _ = file.Dataset.Clone();
            Mark(10);
            new DicomFile(outcome.Dataset, file.TransferSyntax).Save(Stream.Null, options);
            Mark(11);

            // The service itself on the same file, right after (same file-system conditions), into its own folder.
            var result = service.Process(new DeidentificationRequest(source));
            Mark(12);
            if (result.Status != DeidentificationStatus.Written)
            {
                throw new InvalidOperationException($"The service did not write {Path.GetFileName(source)} ({result.ErrorId ?? result.Status.ToString()}).");
            }
        }

        var phases = new List<Phase>();
        for (var i = 0; i < names.Length; i++)
        {
            phases.Add(new Phase(names[i], cpu[i], wall[i] / (double)Stopwatch.Frequency, InService: i <= inService));
        }

        var whole = names.Length;
        var serviceRow = new Phase("DeidentificationService.Process as a whole (same file, right after the steps)", cpu[whole], wall[whole] / (double)Stopwatch.Frequency, InService: false);

        // The outputs stay until the run ends (see BenchmarkSuite.MeasureRounds on deleting between measurements).
        return (phases, serviceRow, files.Length);
    }
}
