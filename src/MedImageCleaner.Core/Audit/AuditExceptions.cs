using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Audit;

/// <summary>The audit database cannot be opened, created or read (not an audit database, newer schema, I/O).</summary>
public class AuditStoreException : MedImageCleanerException
{
    public AuditStoreException()
    {
    }

    public AuditStoreException(string message)
        : base(message)
    {
    }

    public AuditStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The key opens none of the sessions of the audit database (AES-GCM authentication failed).</summary>
public sealed class AuditKeyMismatchException : AuditStoreException
{
    public AuditKeyMismatchException()
    {
    }

    public AuditKeyMismatchException(string message)
        : base(message)
    {
    }

    public AuditKeyMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An encrypted vault entry failed authentication under a key that opens its session: the database was altered.</summary>
public sealed class AuditIntegrityException : AuditStoreException
{
    public AuditIntegrityException()
    {
    }

    public AuditIntegrityException(string message)
        : base(message)
    {
    }

    public AuditIntegrityException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
