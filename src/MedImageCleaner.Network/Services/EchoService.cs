namespace MedImageCleaner.Network;

/// <summary>The Verification service (C-ECHO SCP): answers every C-ECHO-RQ with Success.</summary>
public sealed class EchoService : IDimseService
{
    private static readonly CommandField[] Handled = [CommandField.CEchoRequest];

    public IReadOnlyCollection<CommandField> Commands => Handled;

    public bool SupportsSopClass(string sopClassUid) => sopClassUid == NetworkDefaults.VerificationSopClass;

    public string? ChooseTransferSyntax(string sopClassUid, IReadOnlyList<string> proposed) =>
        TransferSyntaxPolicy.FirstOf(proposed, Dicom.TransferSyntax.ImplicitVRLittleEndian.Uid, Dicom.TransferSyntax.ExplicitVRLittleEndian.Uid);

    public Task HandleAsync(DimseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.RespondAsync(DimseStatus.Success, cancellationToken: cancellationToken);
    }
}

/// <summary>Helpers for choosing a transfer syntax from a proposed list.</summary>
public static class TransferSyntaxPolicy
{
    /// <summary>The first proposed syntax that is one of <paramref name="acceptable"/>, or null.</summary>
    public static string? FirstOf(IReadOnlyList<string> proposed, params string[] acceptable)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        foreach (var ts in proposed)
        {
            if (Array.IndexOf(acceptable, ts) >= 0)
            {
                return ts;
            }
        }

        return null;
    }

    /// <summary>The first proposed syntax this codebase knows (any we can store as is), or null.</summary>
    public static string? FirstKnown(IReadOnlyList<string> proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        foreach (var ts in proposed)
        {
            if (!Dicom.TransferSyntax.Lookup(ts).IsUnknown)
            {
                return ts;
            }
        }

        return null;
    }
}
