using MedImageCleaner.TestSupport.BurnedIn;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// A fact that xunit reports as skipped (not passed) when the burned-in benchmark cannot run here: no corpus, no font,
/// or no tesseract CLI. xunit 2 has no dynamic skip inside a test; setting Skip in the attribute is its supported way.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BurnedInBenchmarkFactAttribute : FactAttribute
{
    public BurnedInBenchmarkFactAttribute()
    {
        var missing = BenchmarkEnvironment.MissingPrerequisite();
        if (missing is not null)
        {
            Skip = "Burned-in benchmark skipped: " + missing + ".";
        }
    }
}
