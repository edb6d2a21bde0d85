namespace MedImageCleaner.Network;

/// <summary>Routes received requests to the services of an association (used by <see cref="DicomServer"/>, and by
/// SCU code that must answer sub-operations on its own association, e.g. C-STORE during C-GET).</summary>
public static class DimseDispatcher
{
    /// <summary>
    /// Dispatches one received request: the first service handling its command field and SOP class answers it;
    /// none: 0x0211 (unrecognized operation) or 0x0122 (SOP class not supported). A handler failing with anything
    /// but a network error gets a 0x0110 (processing failure) response when it had not answered yet.
    /// </summary>
    public static async Task DispatchAsync(Association association, DimseMessage message, IReadOnlyList<IDimseService> services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(services);
        var request = new DimseRequest(association, message);
        var command = message.Command;
        if (command.CommandField == CommandField.CCancelRequest || !command.IsRequest)
        {
            // C-CANCEL for an operation we do not track, or a stray response: nothing to answer (PS3.7 9.3.2.3).
            return;
        }

        IDimseService? service = null;
        var commandKnown = false;
        foreach (var s in services)
        {
            if (s.Commands.Contains(command.CommandField))
            {
                commandKnown = true;
                if (s.SupportsSopClass(message.Context.AbstractSyntax))
                {
                    service = s;
                    break;
                }
            }
        }

        if (service is null)
        {
            await request.RespondAsync(commandKnown ? DimseStatus.SopClassNotSupported : DimseStatus.UnrecognizedOperation, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await service.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not DicomNetworkException and not OperationCanceledException && !association.IsClosed)
        {
            if (!request.Responded)
            {
                await request.RespondAsync(DimseStatus.ProcessingFailure, rsp => rsp.ErrorComment = Truncate(ex.GetType().Name), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Truncate(string s) => s.Length > 64 ? s[..64] : s;
}
