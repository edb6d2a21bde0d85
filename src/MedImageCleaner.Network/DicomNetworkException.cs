using MedImageCleaner.Dicom;

namespace MedImageCleaner.Network;

/// <summary>A DICOM network operation failed (connection, protocol, timeout). Messages never carry dataset values.</summary>
public class DicomNetworkException : MedImageCleanerException
{
    public DicomNetworkException()
    {
    }

    public DicomNetworkException(string message)
        : base(message)
    {
    }

    public DicomNetworkException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when retrying later may succeed (connection refused or reset, transient rejection, timeout).</summary>
    public bool IsTransient { get; init; }
}

/// <summary>The peer sent bytes that break PS3.8 (bad PDU type, length beyond the limits, inconsistent items).</summary>
public sealed class DicomProtocolException : DicomNetworkException
{
    public DicomProtocolException()
    {
    }

    public DicomProtocolException(string message)
        : base(message)
    {
    }

    public DicomProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The peer (or we) rejected the association with an A-ASSOCIATE-RJ.</summary>
public sealed class AssociationRejectedException : DicomNetworkException
{
    public AssociationRejectedException()
    {
    }

    public AssociationRejectedException(string message)
        : base(message)
    {
    }

    public AssociationRejectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AssociationRejectedException(AssociateReject reject)
        : base("The association was rejected: " + reject.Describe() + ".")
    {
        ArgumentNullException.ThrowIfNull(reject);
        Reject = reject;
        IsTransient = reject.Result == RejectResult.Transient;
    }

    /// <summary>Result, source and reason of the A-ASSOCIATE-RJ.</summary>
    public AssociateReject? Reject { get; }
}

/// <summary>The association was aborted (A-ABORT received, or sent by us after a protocol error or timeout).</summary>
public sealed class AssociationAbortedException : DicomNetworkException
{
    public AssociationAbortedException()
    {
    }

    public AssociationAbortedException(string message)
        : base(message)
    {
    }

    public AssociationAbortedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The A-ABORT source (0 service-user, 2 service-provider) and reason, when the peer sent one.</summary>
    public Abort? Abort { get; init; }
}
