using System.Globalization;
using System.Text;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>
/// A profile file is invalid. The message starts with the code (MIC-PFnnn) and names the file, the line and column
/// and the field (a JSON path such as rules[2].action). Profile files hold configuration, never DICOM values.
/// </summary>
public sealed class ProfileFileException : MedImageCleanerException
{
    public ProfileFileException()
    {
    }

    public ProfileFileException(string message)
        : base(message)
    {
    }

    public ProfileFileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="code">One of <see cref="ProfileFileErrorCodes"/>.</param>
    /// <param name="filePath">The profile file, when the profile was read from one.</param>
    /// <param name="field">The JSON path of the field concerned, or null for the whole file.</param>
    /// <param name="lineNumber">The 1-based line, or 0 when not known.</param>
    /// <param name="column">The 1-based column (characters), or 0 when not known.</param>
    /// <param name="detail">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public ProfileFileException(string code, string? filePath, string? field, long lineNumber, long column, string detail, Exception? innerException = null)
        : base(Compose(code, filePath, field, lineNumber, column, detail), innerException)
    {
        Code = code;
        Field = field;
        LineNumber = lineNumber;
        Column = column;
        FilePath = filePath;
    }

    /// <summary>The error code, e.g. MIC-PF004 (see <see cref="ProfileFileErrorCodes"/>).</summary>
    public string Code { get; } = string.Empty;

    /// <summary>The JSON path of the field concerned (e.g. rules[2].action), or null.</summary>
    public string? Field { get; }

    /// <summary>The 1-based line of the problem, or 0 when not known.</summary>
    public long LineNumber { get; }

    /// <summary>The 1-based column of the problem (in characters), or 0 when not known.</summary>
    public long Column { get; }

    private static string Compose(string code, string? filePath, string? field, long line, long column, string detail)
    {
        var sb = new StringBuilder(code).Append(": profile file");
        if (filePath is not null)
        {
            sb.Append(" '").Append(filePath).Append('\'');
        }

        if (line > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $", line {line}, column {column}");
        }

        if (field is not null)
        {
            sb.Append(", field '").Append(field).Append('\'');
        }

        return sb.Append(": ").Append(detail).ToString();
    }
}
