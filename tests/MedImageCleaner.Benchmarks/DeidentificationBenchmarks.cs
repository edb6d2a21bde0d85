using BenchmarkDotNet.Attributes;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// In-process micro benchmarks of the basic-profile engine on one small CT file like those of the throughput set: the
/// engine alone on a parsed dataset, and parse + engine + serialize in memory (no file system, no hashing).
/// </summary>
[MemoryDiagnoser]
public class DeidentificationBenchmarks : IDisposable
{
    private static readonly DicomWriteOptions WriteOptions = new() { KeepOtherFileMetaElements = false };
    private DeidentificationKey? _key;
    private DeidentificationEngine? _engine;
    private DicomFile? _parsed;
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _key = DeidentificationWorkloads.FixedKey();
        var settings = DeidentificationWorkloads.BasicProfile;
        _engine = new DeidentificationEngine(settings, new Pseudonymizer(_key, settings.PatientIdPrefix, settings.DateOffsetDays));
        _bytes = DicomFixtureBuilder.ToBytes(DicomFixtureBuilder.CreateCtDataset(42));
        _parsed = DicomFile.Open(_bytes);
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>Engine.Apply on an already parsed dataset (clone, decide, pseudonyms), no plan.</summary>
    [Benchmark]
    public int EngineApply() => _engine!.Apply(_parsed!.Dataset).Counts.Count;

    /// <summary>Engine.Apply with the plan collected (what -WhatIf and tests ask for).</summary>
    [Benchmark]
    public int EngineApplyWithPlan() => _engine!.Apply(_parsed!.Dataset, collectPlan: true).Plan.Count;

    /// <summary>Parse from memory, de-identify, serialize to Stream.Null: the service's work without files and hashes.</summary>
    [Benchmark]
    public int DeidentifyInMemory()
    {
        using var file = DicomFile.Open(_bytes);
        var outcome = _engine!.Apply(file.Dataset);
        new DicomFile(outcome.Dataset, file.TransferSyntax).Save(Stream.Null, WriteOptions);
        return outcome.Dataset.Count;
    }

    public void Dispose()
    {
        _parsed?.Dispose();
        _parsed = null;
        _key?.Dispose();
        _key = null;
        GC.SuppressFinalize(this);
    }
}
