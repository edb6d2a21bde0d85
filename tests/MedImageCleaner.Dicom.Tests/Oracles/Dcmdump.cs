using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MedImageCleaner.Dicom.Tests.Oracles;

/// <summary>The result of one dcmdump run, parsed.</summary>
/// <param name="Ok">True when dcmdump exited 0 (it read the file without error).</param>
/// <param name="Entries">The parsed nodes, in dump order (empty when not ok).</param>
/// <param name="Raw">The tool result, for messages.</param>
internal sealed record DcmdumpResult(bool Ok, IReadOnlyList<DumpEntry> Entries, ToolResult Raw);

/// <summary>
/// Runs dcmtk's dcmdump and parses its indented output into <see cref="DumpEntry"/> nodes.
/// <para>Options, and why:</para>
/// <list type="bullet">
/// <item><c>-E</c> (the default, stated): a damaged file prints nothing and exits non-zero, so the exit status alone
/// says whether dcmdump read the file without error.</item>
/// <item><c>-dc</c>: no automatic data correction. With correction dcmtk reports odd lengths as the padded even length
/// and trims UID padding, i.e. it shows a repaired file, not the bytes on disk; our reader reports what is on disk.</item>
/// <item><c>+L</c>: print long values completely (no "..." abbreviation), so values compare exactly.</item>
/// <item><c>-M +R 64</c>: values longer than 64 KiB are not loaded (printed "(not loaded)"); only their length is
/// compared. This keeps the dump of multi-megabyte pixel data small; no text value in the corpus is that long.</item>
/// <item><c>+Qn</c>: non-ASCII and control characters (and &lt; &gt; &amp; &quot; &apos;) are printed as XML character
/// references, so every element stays on one line and the value bytes can be recovered exactly.</item>
/// <item><c>-Un</c>: print UIDs, not their names.</item>
/// <item><c>+U8</c> (second run only): convert text affected by Specific Character Set to UTF-8. It changes the
/// lengths of the converted values and replaces (0008,0005) with ISO_IR 192, so the structure and lengths come from
/// the run without it and only the values of the character-set VRs (SH, LO, ST, LT, PN, UC, UT) from the run with it.</item>
/// <item>Defaults kept on purpose: <c>+ao</c> (odd lengths as they are), <c>+ev</c> (explicit VR from the file),
/// <c>+ui</c> (undefined-length UN parsed as implicit VR LE, CP-246, as we do), <c>-uc</c> (defined-length UN stays
/// UN, as we do), <c>+vr</c> (non-standard VR read as unknown).</item>
/// <item>Environment <c>DCMDICTPATH</c> = dcmtk's standard dictionary only (dicom.dic, without private.dic): dcmtk
/// otherwise assigns vendor VRs to private tags in implicit VR files, which no reader without that vendor table can
/// know (PS3.5 7.8: a private element read without explicit VR has an unknown VR, which we report as UN).</item>
/// </list>
/// </summary>
internal static partial class Dcmdump
{
    /// <summary>Values at most this long are loaded and compared; longer ones only by length.</summary>
    public const int LoadLimit = 64 * 1024;

    private static readonly Lazy<string?> DictionaryPath = new(FindStandardDictionary);

    /// <summary>True when dcmdump is installed.</summary>
    public static bool IsAvailable => ExternalTool.Find("dcmdump") is not null;

    /// <summary>dcmtk's standard dictionary (dicom.dic) used instead of the default search path, or null when not found.</summary>
    public static string? StandardDictionary => DictionaryPath.Value;

    /// <summary>Runs dcmdump on a file.</summary>
    public static DcmdumpResult Run(string path, bool utf8)
    {
        var args = new List<string> { "-E", "-dc", "+L", "-M", "+R", "64", "+Qn", "-Un" };
        if (utf8)
        {
            args.Add("+U8");
        }

        args.Add(path);
        var env = StandardDictionary is { } dic ? new Dictionary<string, string> { ["DCMDICTPATH"] = dic } : null;
        var r = ExternalTool.Run(ExternalTool.Find("dcmdump")!, args, TimeSpan.FromSeconds(60), env);
        var ok = r.ExitCode == 0 && !r.TimedOut;
        return new DcmdumpResult(ok, ok ? Parse(r.StdOut, utf8) : [], r);
    }

    /// <summary>Parses dcmdump's indented output (two spaces per nesting level).</summary>
    public static List<DumpEntry> Parse(string output, bool utf8)
    {
        var result = new List<DumpEntry>();
        var prefix = new List<string> { string.Empty };
        var lastPath = new List<string>();
        var childCount = new List<int>();
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var m = LineRegex().Match(line);
            if (!m.Success)
            {
                continue;
            }

            var depth = m.Groups["ind"].Length / 2;
            var tag = (m.Groups["g"].Value + "," + m.Groups["e"].Value).ToUpperInvariant();
            var vr = m.Groups["vr"].Value;
            var value = m.Groups["val"].Value.TrimEnd(' ');
            var lengthText = m.Groups["len"].Value;
            long? length = lengthText == "u/l" ? null : long.Parse(lengthText, CultureInfo.InvariantCulture);
            if (tag is "FFFE,E00D" or "FFFE,E0DD")
            {
                // Delimitation items are encoding, not content.
                continue;
            }

            Grow(prefix, depth + 2, string.Empty);
            Grow(lastPath, depth + 1, string.Empty);
            Grow(childCount, depth + 1, 0);
            if (tag == "FFFE,E000")
            {
                if (depth == 0)
                {
                    continue;
                }

                var parent = lastPath[depth - 1];
                var index = childCount[depth - 1]++;
                if (vr == "pi")
                {
                    // Pixel items: count and length only (compressed bytes; the round trip compares them byte for byte).
                    result.Add(new DumpEntry(parent + "{" + index.ToString(CultureInfo.InvariantCulture) + "}", DumpKind.Fragment, "pi", length, null));
                }
                else
                {
                    var itemPath = parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
                    result.Add(new DumpEntry(itemPath, DumpKind.Item, "na", null, null));
                    prefix[depth + 1] = itemPath + "/";
                }

                continue;
            }

            var path = prefix[depth] + "(" + tag + ")";
            lastPath[depth] = path;
            childCount[depth] = 0;
            if (value.StartsWith("(Sequence with", StringComparison.Ordinal))
            {
                result.Add(new DumpEntry(path, DumpKind.Sequence, vr, null, null));
            }
            else if (value.StartsWith("(PixelSequence", StringComparison.Ordinal))
            {
                result.Add(new DumpEntry(path, DumpKind.PixelSequence, vr, null, null));
            }
            else
            {
                result.Add(new DumpEntry(path, DumpKind.Element, vr, length, DecodeValue(value, utf8)));
            }
        }

        return result;
    }

    /// <summary>Turns a printed value into the comparable form: text without brackets and padding, or the binary notation.</summary>
    public static string? DecodeValue(string printed, bool utf8)
    {
        if (printed == "(no value available)")
        {
            return string.Empty;
        }

        if (printed == "(not loaded)")
        {
            return null;
        }

        if (printed.Length >= 2 && printed[0] == '[' && printed[^1] == ']')
        {
            var bytes = Unmarkup(printed.AsSpan(1, printed.Length - 2));
            var text = utf8 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
            return text.TrimEnd(' ', '\0');
        }

        return printed;
    }

    /// <summary>Reverses +Qn quoting: &amp;#nnn; is one byte, the five XML entities their character, anything else as is.</summary>
    public static byte[] Unmarkup(ReadOnlySpan<char> s)
    {
        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '&')
            {
                var end = s[i..].IndexOf(';');
                if (end > 1)
                {
                    var entity = s.Slice(i + 1, end - 1);
                    int code = -1;
                    if (entity.Length > 1 && entity[0] == '#' && int.TryParse(entity[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        code = n;
                    }
                    else
                    {
                        code = entity switch
                        {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "quot" => '"',
                            "apos" => '\'',
                            _ => -1,
                        };
                    }

                    if (code is >= 0 and <= 255)
                    {
                        bytes.Add((byte)code);
                        i += end;
                        continue;
                    }
                }
            }

            bytes.Add((byte)c);
        }

        return [.. bytes];
    }

    private static void Grow<T>(List<T> list, int count, T fill)
    {
        while (list.Count < count)
        {
            list.Add(fill);
        }
    }

    private static string? FindStandardDictionary()
    {
        string[] roots = ["/usr/share", "/usr/local/share", "/opt/homebrew/share"];
        foreach (var root in roots)
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var dir in Directory.EnumerateDirectories(root, "*dcmtk*"))
            {
                var dic = Path.Combine(dir, "dicom.dic");
                if (File.Exists(dic))
                {
                    return dic;
                }
            }
        }

        return null;
    }

    // "(gggg,eeee) VR value # length, VM Name": the comment starts at the last '#' (names never contain one).
    [GeneratedRegex(@"^(?<ind> *)\((?<g>[0-9a-f]{4}),(?<e>[0-9a-f]{4})\) (?<vr>\S\S) (?<val>.*?) *# *(?<len>\d+|u/l), *(?<vm>\d+) (?<name>[^#]*)$")]
    private static partial Regex LineRegex();
}
