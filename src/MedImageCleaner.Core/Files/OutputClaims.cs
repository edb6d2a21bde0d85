namespace MedImageCleaner.Core.Files;

/// <summary>
/// Which input of a run owns each output path. Two inputs with one SOP Instance UID give one output name; the first in
/// input order (the lowest sequence number) wins whatever order parallel workers finish in, and the other is reported
/// as a duplicate naming both inputs. Thread-safe; one instance per run.
/// </summary>
public sealed class OutputClaims
{
    private readonly Dictionary<string, Claim> _claims = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Claims <paramref name="target"/> for input number <paramref name="sequence"/>.</summary>
    /// <returns>Null when this input owns the target; otherwise the input that owns it (an earlier one in input order).</returns>
    public string? TryClaim(string target, long sequence, string source)
    {
        lock (_lock)
        {
            if (_claims.TryGetValue(target, out var other))
            {
                if (string.Equals(other.Source, source, StringComparison.Ordinal))
                {
                    return null;
                }

                if (other.Sequence < sequence)
                {
                    return other.Source;
                }

                _claims[target] = other with { Sequence = sequence, Source = source };
                return null;
            }

            _claims[target] = new Claim(sequence, source, []);
            return null;
        }
    }

    /// <summary>Runs <paramref name="action"/> (one output's rename into place and its bookkeeping) while no other commit runs.</summary>
    public T Exclusive<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_lock)
        {
            return action();
        }
    }

    /// <summary>True when an input of this run wrote a file with this hash at <paramref name="target"/> (its owner may replace it).</summary>
    public bool WrittenThisRun(string target, string hash)
    {
        lock (_lock)
        {
            return _claims.TryGetValue(target, out var claim) && claim.WrittenHashes.Contains(hash);
        }
    }

    /// <summary>Records that an input of this run wrote a file with this hash at <paramref name="target"/>.</summary>
    public void RecordWritten(string target, string hash)
    {
        lock (_lock)
        {
            if (_claims.TryGetValue(target, out var claim))
            {
                claim.WrittenHashes.Add(hash);
            }
        }
    }

    /// <summary>The input that owns <paramref name="target"/> when it is not <paramref name="source"/>; null otherwise.</summary>
    public string? OwnerOtherThan(string target, string source)
    {
        lock (_lock)
        {
            return _claims.TryGetValue(target, out var claim) && !string.Equals(claim.Source, source, StringComparison.Ordinal) ? claim.Source : null;
        }
    }

    /// <summary>The message of the error the other input gets (names both inputs, never a value).</summary>
    public static string DuplicateMessage(string owner, string duplicate, string target) =>
        $"'{duplicate}' and '{owner}' share a SOP Instance UID, so both would become '{target}'; the first input ('{owner}') was kept and '{duplicate}' was not written.";

    /// <summary>The error id of a duplicate.</summary>
    public const string DuplicateErrorId = "DuplicateSopInstanceUid";

    private sealed record Claim(long Sequence, string Source, HashSet<string> WrittenHashes);
}
