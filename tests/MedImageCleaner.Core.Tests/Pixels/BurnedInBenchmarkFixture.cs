using MedImageCleaner.TestSupport.BurnedIn;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// The gate subset of the burned-in benchmark, generated once per test class (3 cases per base image, about 40 files)
/// with the scorer that caches the independent reader's view of the originals.
/// </summary>
public sealed class BurnedInBenchmarkFixture : IDisposable
{
    /// <summary>Cases per base image of the gate subset.</summary>
    public const int GateCasesPerBase = 3;

    private readonly string _work = Directory.CreateTempSubdirectory("mic-burnedin-").FullName;
    private readonly Lazy<BurnedInCorpus> _corpus;
    private readonly Lazy<IReadOnlyList<CaseScore>> _defaultScores;

    public BurnedInBenchmarkFixture()
    {
        _corpus = new Lazy<BurnedInCorpus>(() => BurnedInCorpusGenerator.Generate(Path.Combine(_work, "in"), new BurnedInGeneratorOptions(CasesPerBase: GateCasesPerBase)));
        Scorer = new BurnedInScorer(Path.Combine(_work, "score"));
        _defaultScores = new Lazy<IReadOnlyList<CaseScore>>(() => Scorer.Score(Corpus, MedImageCleaner.Core.Pixels.TextRedactionOptions.Default, DefaultLabel, Environment.ProcessorCount));
    }

    /// <summary>The label (and output folder name) of the default-options run.</summary>
    public const string DefaultLabel = "auto";

    /// <summary>The scores of Remove-BurnedInText with the default options on the corpus (run once, shared by the tests).</summary>
    public IReadOnlyList<CaseScore> DefaultScores => _defaultScores.Value;

    /// <summary>Where the default run wrote the output of <paramref name="c"/>.</summary>
    public string DefaultOutput(BurnedInCase c) => Path.Combine(_work, "score", DefaultLabel, "out", Path.GetFileName(c.Path));

    /// <summary>The generated files (made on first use).</summary>
    public BurnedInCorpus Corpus => _corpus.Value;

    public BurnedInScorer Scorer { get; }

    /// <summary>A scratch folder of this fixture.</summary>
    public string Work => _work;

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
