namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// Marks the pipeline thread while a live source (Receive-DicomFile) writes an object. PowerShell runs the downstream
/// cmdlets' ProcessRecord inside that WriteObject, on the same thread, so a <see cref="FilePipeline{TRequest, TResult}"/>
/// there sees the mark and writes its results before returning, instead of holding them until the next input or the
/// end of the input: a source that may stay silent for hours must not leave its last files unprocessed downstream.
/// </summary>
internal static class LiveInput
{
    [ThreadStatic]
    private static int t_depth;

    /// <summary>True while a live source's WriteObject runs on this thread.</summary>
    public static bool IsActive => t_depth > 0;

    /// <summary>Writes <paramref name="item"/> with the mark set.</summary>
    public static void Write(System.Management.Automation.Cmdlet cmdlet, object item)
    {
        t_depth++;
        try
        {
            cmdlet.WriteObject(item);
        }
        finally
        {
            t_depth--;
        }
    }
}
