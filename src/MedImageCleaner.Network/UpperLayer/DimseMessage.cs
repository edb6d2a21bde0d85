namespace MedImageCleaner.Network;

/// <summary>
/// A DIMSE message received on an association: its command and the presentation context it came on. When
/// <see cref="DimseCommand.HasDataSet"/> is true the data set follows on the association: read it with
/// <see cref="Association.CopyDataSetToAsync"/> or <see cref="Association.ReadDataSetAsync"/> before the next
/// <see cref="Association.ReceiveMessageAsync"/> (which otherwise skips it).
/// </summary>
/// <param name="Command">The command set.</param>
/// <param name="Context">The accepted presentation context (abstract syntax and transfer syntax).</param>
public sealed record DimseMessage(DimseCommand Command, PresentationContext Context)
{
    /// <summary>The transfer syntax of the data set, when there is one.</summary>
    public string TransferSyntax => Context.AcceptedTransferSyntax ?? string.Empty;
}
