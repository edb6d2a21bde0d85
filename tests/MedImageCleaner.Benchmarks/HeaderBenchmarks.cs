using BenchmarkDotNet.Attributes;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// In-process micro benchmarks of one small CT file (about 100 header elements, nested sequences, 64x64 16-bit
/// pixels): header-only parse, read + write in memory, and the per-file work of the throughput comparison (read a
/// file, drop Patient's Name, write a new file through temp + rename).
/// </summary>
[MemoryDiagnoser]
public class HeaderBenchmarks
{
    private static readonly DicomReadOptions HeaderOnly = new() { StopBeforePixelData = true };
    private byte[] _bytes = [];
    private string _dir = string.Empty;
    private string _input = string.Empty;
    private string _outputDir = string.Empty;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("mic-bdn-").FullName;
        _bytes = DicomFixtureBuilder.ToBytes(DicomFixtureBuilder.CreateCtDataset(42));
        _input = Path.Combine(_dir, "in.dcm");
        _outputDir = Path.Combine(_dir, "out");
        Directory.CreateDirectory(_outputDir);
        File.WriteAllBytes(_input, _bytes);
    }


    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>Parse the header (up to Pixel Data) from bytes in memory.</summary>
    [Benchmark]
    public int ParseHeader()
    {
        using var file = DicomFile.Open(_bytes, HeaderOnly);
        return file.Dataset.Count;
    }

    /// <summary>Parse everything from memory and write it to Stream.Null.</summary>
    [Benchmark]
    public int ReadWriteInMemory()
    {
        using var file = DicomFile.Open(_bytes);
        file.Save(Stream.Null);
        return file.Dataset.Count;
    }

    /// <summary>
    /// The throughput comparison's per-file work: open a file, remove (0010,0010), save a new file. (Saving over the
    /// same file every time would measure ext4's flush-on-replace heuristic instead.) The files, some tens of thousands
    /// of about 11 KB, go with the temp folder at the end.
    /// </summary>
    [Benchmark(Baseline = true)]
    public int ReadWriteFile()
    {
        using var file = DicomFile.Open(_input);
        file.Dataset.Remove(DicomTag.PatientName);
        file.Save(Path.Combine(_outputDir, (_next++).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".dcm"));
        return file.Dataset.Count;
    }
}
