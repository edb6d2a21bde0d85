namespace MedImageCleaner.Dicom.Tests;

/// <summary>
/// What a test needs from the machine: the shared corpus, the shared standard tables, or an external tool on PATH (any
/// other name). xunit 2 has no skip from inside a test; a test whose needs are missing is marked skipped by
/// <see cref="RequiresFactAttribute"/> or <see cref="RequiresTheoryAttribute"/> at discovery, so it is reported as
/// skipped, never as passed.
/// </summary>
internal static partial class Requirements
{
    /// <summary>The shared corpus of real files, <c>../shared/corpus</c> next to the repository root.</summary>
    public const string Corpus = "corpus";

    /// <summary>The DICOM standard tables the dictionary is generated from, <c>../shared/standard/attributes.json</c>.</summary>
    public const string Standard = "standard";

    /// <summary>The reason a test with these needs is skipped here, or null when every need is met.</summary>
    public static string? SkipReason(IEnumerable<string> needs)
    {
        ArgumentNullException.ThrowIfNull(needs);
        var missing = new List<string>();
        foreach (var need in needs)
        {
            if (!IsMet(need))
            {
                missing.Add(need);
            }
        }

        return missing.Count == 0
            ? null
            : "Needs " + string.Join(", ", missing) + " (CI installs them: bash .ci/run; the corpus is ../shared/corpus).";
    }

    private static bool IsMet(string need)
    {
        var root = Fixtures.TestCorpus.RepositoryRoot;
        return need switch
        {
            Corpus => Fixtures.TestCorpus.IsAvailable,
            Standard => File.Exists(Path.Combine(root, "..", "shared", "standard", "attributes.json")),
            _ => IsMetHere(need) ?? Oracles.ExternalTool.Find(need) is not null,
        };
    }

    /// <summary>Needs only this test project knows (e.g. libtesseract in Core.Tests); null when the name is a tool.</summary>
    private static partial bool? IsMetHere(string need);
}

/// <summary>A fact reported as skipped when one of its needs (see <see cref="Requirements"/>) is missing.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RequiresFactAttribute : FactAttribute
{
    /// <summary>Needs: <see cref="Requirements.Corpus"/>, <see cref="Requirements.Standard"/>, or tool names.</summary>
    public RequiresFactAttribute(params string[] needs)
    {
        Needs = needs;
        var reason = Requirements.SkipReason(needs);
        if (reason is not null)
        {
            Skip = reason;
        }
    }

    /// <summary>What the test needs.</summary>
    public IReadOnlyList<string> Needs { get; }
}

/// <summary>A theory reported as skipped (all of its cases) when one of its needs is missing.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RequiresTheoryAttribute : TheoryAttribute
{
    /// <summary>Needs: <see cref="Requirements.Corpus"/>, <see cref="Requirements.Standard"/>, or tool names.</summary>
    public RequiresTheoryAttribute(params string[] needs)
    {
        Needs = needs;
        var reason = Requirements.SkipReason(needs);
        if (reason is not null)
        {
            Skip = reason;
        }
    }

    /// <summary>What the test needs.</summary>
    public IReadOnlyList<string> Needs { get; }
}
