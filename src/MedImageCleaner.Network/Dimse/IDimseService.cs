namespace MedImageCleaner.Network;

/// <summary>
/// A DIMSE service an association can serve (SCP role on a <see cref="DicomServer"/>, or the SCP side of
/// sub-operations on an SCU association, such as the C-STORE requests a C-GET brings back). See docs/network.md,
/// "Adding a DIMSE service".
/// </summary>
public interface IDimseService
{
    /// <summary>The request command fields this service answers (e.g. C-STORE-RQ).</summary>
    IReadOnlyCollection<CommandField> Commands { get; }

    /// <summary>True when the service serves this abstract syntax (SOP class UID).</summary>
    bool SupportsSopClass(string sopClassUid);

    /// <summary>The transfer syntax to accept for a proposed context, from the proposer's list (in its order of
    /// preference), or null when none is acceptable.</summary>
    string? ChooseTransferSyntax(string sopClassUid, IReadOnlyList<string> proposed);

    /// <summary>
    /// Handles one request. The handler reads the request's data set (if any) with
    /// <see cref="DimseRequest.CopyDataSetToAsync"/> / <see cref="DimseRequest.ReadDataSetAsync"/>, and sends one
    /// response (or several pending ones and a final one) with <see cref="DimseRequest.RespondAsync"/>. An exception
    /// that is not a network error is answered with Processing Failure (0x0110) when no final response was sent.
    /// </summary>
    Task HandleAsync(DimseRequest request, CancellationToken cancellationToken);
}

/// <summary>A request being handled: the message, the association it came on, and ways to answer it.</summary>
public sealed class DimseRequest
{
    internal DimseRequest(Association association, DimseMessage message)
    {
        Association = association;
        Message = message;
    }

    public Association Association { get; }

    public DimseMessage Message { get; }

    public DimseCommand Command => Message.Command;

    /// <summary>The presentation context (abstract syntax = SOP class, accepted transfer syntax).</summary>
    public PresentationContext Context => Message.Context;

    /// <summary>True once a final (non-pending) response was sent.</summary>
    public bool Responded { get; private set; }

    /// <summary>Streams the request's data set to <paramref name="destination"/> (raw bytes in the context's transfer syntax).</summary>
    public Task CopyDataSetToAsync(Stream destination, CancellationToken cancellationToken) => Association.CopyDataSetToAsync(destination, cancellationToken);

    /// <summary>Reads the request's data set into memory (at most <paramref name="maxLength"/> bytes, else the association aborts).</summary>
    public Task<byte[]> ReadDataSetAsync(int maxLength, CancellationToken cancellationToken) => Association.ReadDataSetAsync(maxLength, cancellationToken);

    /// <summary>Sends a response with a status; <paramref name="configure"/> adds fields (counts, error comment);
    /// <paramref name="dataSet"/> follows the command when given (e.g. a C-FIND match).</summary>
    public async Task RespondAsync(ushort status, Action<DimseCommand>? configure = null, Stream? dataSet = null, CancellationToken cancellationToken = default)
    {
        var rsp = DimseCommand.CreateResponse(Command, status);
        configure?.Invoke(rsp);
        await Association.SendMessageAsync(Context.Id, rsp, dataSet, cancellationToken).ConfigureAwait(false);
        if (DimseStatus.Classify(status) != DimseStatusKind.Pending)
        {
            Responded = true;
        }
    }
}
