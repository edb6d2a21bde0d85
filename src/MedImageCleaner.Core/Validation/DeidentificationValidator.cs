using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>One file to check, and where its original identifying values come from.</summary>
/// <param name="Path">The de-identified file.</param>
/// <param name="OriginalPath">The file it was made from (-Original, or SourcePath from the pipeline), or null.</param>
public sealed record ValidationRequest(string Path, string? OriginalPath = null);

/// <summary>
/// Checks de-identified DICOM files (the checks of <see cref="DeidentificationCheck"/>): the file parses back and its
/// UIDs are well formed; overlays hold no text; no attribute the profile removes or empties holds a value, at any depth;
/// the de-identification markers are present; no private attribute but the safe ones is left; no text value at any
/// depth (file meta and private attributes included) reads as a name, date, ID, phone number, e-mail or address; no
/// identifying value of the original is in the output's bytes; burned-in text is declared absent (and, with OCR, is).
/// Findings never carry values unless asked. Thread-safe: one instance serves parallel workers.
/// </summary>
public sealed partial class DeidentificationValidator : IDisposable
{
    private const long InMemoryLimit = 512L * 1024 * 1024;

    private readonly ValidationOptions _options;
    private readonly PhiDetector _patterns = new();
    private readonly PhiDetector _values = new(new PhiDetectorOptions { DetectPatterns = false });
    private readonly IOriginalValueSource? _vault;
    private readonly PixelTextChecker? _pixels;

    /// <summary>Creates a validator; <paramref name="vault"/> gives original values of files for the residual scan (audit vault).</summary>
    /// <exception cref="Pixels.Ocr.OcrEngineUnavailableException">CheckPixels is on and Tesseract cannot be loaded.</exception>
    public DeidentificationValidator(ValidationOptions? options = null, IOriginalValueSource? vault = null)
    {
        _options = options ?? ValidationOptions.Default;
        _vault = vault;
        _pixels = _options.CheckPixels ? new PixelTextChecker(_options) : null;
    }

    /// <summary>The options in force.</summary>
    public ValidationOptions Options => _options;

    /// <inheritdoc/>
    public void Dispose() => _pixels?.Dispose();

    /// <summary>Checks one file. Never throws for a bad file: it comes back failed with an ErrorId.</summary>
    public DeidentificationReport Validate(ValidationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var watch = Stopwatch.StartNew();
        var path = System.IO.Path.GetFullPath(request.Path);
        byte[]? bytes = null;
        DicomFile file;
        try
        {
            file = DicomFile.Open(path, InMemoryLimit, out bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Unreadable(path, "DicomReadFailed", $"'{path}' cannot be read: {ex.Message}", watch);
        }
        catch (NotDicomException)
        {
            return Unreadable(path, "NotDicomFile", $"'{path}' is not a DICOM file.", watch);
        }
        catch (DicomReadException ex)
        {
            return Unreadable(path, "DicomReadFailed", $"'{path}' does not parse back: {ex.Message}", watch);
        }

        using (file)
        {
            var run = new Run(this, file, bytes, path, cancellationToken);
            try
            {
                run.CheckAll(request);
            }
            catch (DicomReadException ex)
            {
                run.Add(DeidentificationCheck.Parse, FindingSeverity.Error, string.Empty, null, "A value cannot be read back: " + ex.Message);
            }

            return Report(path, run, watch);
        }
    }

    private DeidentificationReport Report(string path, Run run, Stopwatch watch)
    {
        var errors = 0;
        var warnings = 0;
        foreach (var f in run.Findings)
        {
            errors += f.Severity == FindingSeverity.Error ? 1 : 0;
            warnings += f.Severity == FindingSeverity.Warning ? 1 : 0;
        }

        var passed = errors == 0 && (!_options.Strict || warnings == 0);
        return new DeidentificationReport
        {
            FullName = path,
            Passed = passed,
            Score = Math.Max(0, 100 - (25 * errors) - (5 * warnings)),
            Findings = run.Findings,
            Profile = run.Expectation?.Describe() ?? string.Empty,
            ProfileFromFile = run.Expectation?.FromFile ?? false,
            ResidualSource = run.ResidualSource,
            Strict = _options.Strict,
            Duration = watch.Elapsed,
        };
    }

    private DeidentificationReport Unreadable(string path, string errorId, string message, Stopwatch watch) => new()
    {
        FullName = path,
        Passed = false,
        Score = 0,
        Findings = [new ValidationFinding(DeidentificationCheck.Parse, FindingSeverity.Error, string.Empty, null, errorId == "NotDicomFile" ? "The file is not DICOM." : "The file does not parse back.")],
        Strict = _options.Strict,
        ErrorId = errorId,
        Message = message,
        Duration = watch.Elapsed,
    };

    /// <summary>Person names written the DICOM way (Family^Given) inside other text.</summary>
    [GeneratedRegex(@"\p{L}[\p{L}'.-]*\^+\p{L}[\p{L}'.-]*", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex DicomNameForm { get; }

    [GeneratedRegex(@"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex UidForm { get; }

    /// <summary>True for a UID that PS3.5 9.1 allows: 1 to 64 characters, digits and dots, no empty or leading-zero component.</summary>
    public static bool IsWellFormedUid(string uid) => uid.Length is > 0 and <= 64 && UidForm.IsMatch(uid);

    private static bool IsText(DicomVR vr) =>
        vr == DicomVR.AE || vr == DicomVR.CS || vr == DicomVR.LO || vr == DicomVR.LT || vr == DicomVR.PN || vr == DicomVR.SH ||
        vr == DicomVR.ST || vr == DicomVR.UC || vr == DicomVR.UR || vr == DicomVR.UT;

    /// <summary>Code attributes: Code Value, Coding Scheme Designator/Version, Context Identifier, Mapping Resource, Long/URN Code Value.</summary>
    private static bool IsCodeAttribute(DicomTag tag) => tag.Value is 0x00080100 or 0x00080102 or 0x00080103 or 0x0008010F or 0x00080105 or 0x00080119 or 0x00080120;

    /// <summary>Attributes that describe equipment and software (versions, models, formats, implementation names).</summary>
    private static bool IsDeviceDescription(DicomTag tag) =>
        tag.Value is 0x00181020 or 0x00081090 or 0x00181016 or 0x00181018 or 0x00181019 or 0x00181022 or 0x00181023 or 0x00020013 or 0x00181000;

    private static string Join(string prefix, DicomTag tag) => prefix.Length == 0 ? tag.ToString() : prefix + "/" + tag;

    /// <summary>The state of checking one file.</summary>
    private sealed partial class Run
    {
        private readonly DeidentificationValidator _v;
        private readonly DicomFile _file;
        private readonly byte[]? _bytes;
        private readonly string _path;
        private readonly CancellationToken _token;
        private readonly List<ElementSpan> _spans = [];
        private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
        private PhiContext? _originalContext;
        private List<IdentifyingValue>? _originalValues;

        public Run(DeidentificationValidator validator, DicomFile file, byte[]? bytes, string path, CancellationToken token)
        {
            _v = validator;
            _file = file;
            _bytes = bytes;
            _path = path;
            _token = token;
        }

        public List<ValidationFinding> Findings { get; } = [];

        public ProfileExpectation? Expectation { get; private set; }

        public string ResidualSource { get; private set; } = "None";

        private ValidationOptions Options => _v._options;

        public void Add(string check, FindingSeverity severity, string path, string? keyword, string message, string? value = null) =>
            Findings.Add(new ValidationFinding(check, severity, path, keyword, message) { Value = Options.IncludeValues ? value : null });

        public void CheckAll(ValidationRequest request)
        {
            var ds = _file.Dataset;
            Expectation = ProfileExpectation.For(ds, Options.Profile);
            LoadOriginal(request);
            foreach (var w in _file.Warnings)
            {
                Add(DeidentificationCheck.Parse, FindingSeverity.Warning, w.Tag?.ToString() ?? string.Empty, w.Tag is { } t ? DicomDictionary.GetKeyword(t) : null,
                    "The reader had to tolerate a defect: " + w.Code + ".");
            }

            Walk(_file.FileMetaInfo, string.Empty, inRemoved: false, meta: true);
            Walk(ds, string.Empty, inRemoved: false, meta: false);
            _token.ThrowIfCancellationRequested();
            CheckMarkers(ds);
            ScanBytes();
            CheckBurnedIn(ds);
            Findings.Sort(static (a, b) =>
            {
                var c = IndexOf(a.CheckId).CompareTo(IndexOf(b.CheckId));
                return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
            });
        }

        private static int IndexOf(string check)
        {
            var all = DeidentificationCheck.All;
            for (var i = 0; i < all.Count; i++)
            {
                if (all[i] == check)
                {
                    return i;
                }
            }

            return all.Count;
        }

        // ---- the original's values ------------------------------------------------------------------------------

        private void LoadOriginal(ValidationRequest request)
        {
            if (request.OriginalPath is { } original)
            {
                var full = System.IO.Path.GetFullPath(original);
                if (string.Equals(full, _path, StringComparison.Ordinal))
                {
                    return;
                }

                try
                {
                    using var o = DicomFile.Open(full);
                    if (string.Equals(o.Dataset.GetString(DicomTag.PatientIdentityRemoved)?.Trim(), "YES", StringComparison.OrdinalIgnoreCase))
                    {
                        // A de-identified file (e.g. the input of an in-place text removal) is no original.
                        return;
                    }

                    _originalValues = PhiContextBuilder.CollectValues(o.Dataset);
                    ResidualSource = "Original";
                }
                catch (DicomReadException)
                {
                    Add(DeidentificationCheck.ResidualIdentifier, FindingSeverity.Warning, string.Empty, null, "The original cannot be read: the residual-identifier scan did not run.");
                    return;
                }
            }
            else if (_v._vault is { } vault)
            {
                var found = vault.Find(_file.Dataset, _path);
                if (found is null)
                {
                    Add(DeidentificationCheck.ResidualIdentifier, FindingSeverity.Warning, string.Empty, null, "The audit database holds no row for this file that the key opens: the residual-identifier scan did not run.");
                    return;
                }

                _originalValues = [.. found.Values];
                ResidualSource = "AuditVault";
                if (!found.HasHeaderValues)
                {
                    Add(DeidentificationCheck.ResidualIdentifier, FindingSeverity.Info, string.Empty, null, "The audit row was recorded without the header's identifying values (an older version): only the patient ID and UIDs were searched for.");
                }
            }

            if (_originalValues is not null)
            {
                // An original that already held a dummy (a birth date of 19000101, a name ANONYMIZED) cannot be told
                // from the dummy the de-identifier writes: such values are not searched for.
                _originalValues.RemoveAll(v => IsEngineDummy(v.Value));
                _originalContext = PhiContextBuilder.ToContext(_originalValues);
            }
        }

        private static bool IsEngineDummy(string value)
        {
            foreach (var vr in DicomVR.All)
            {
                if (DummyValues.For(vr) is { Length: > 2 } dummy && vr.IsString && string.Equals(Encoding.ASCII.GetString(dummy).Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return StandardValues.IsAllowed(value);
        }

        // ---- the header walk ------------------------------------------------------------------------------------

        private void Walk(DicomDataset ds, string prefix, bool inRemoved, bool meta)
        {
            foreach (var item in ds.Items)
            {
                _token.ThrowIfCancellationRequested();
                var path = Join(prefix, item.Tag);
                var keyword = DicomDictionary.GetKeyword(item.Tag);
                var reported = false;
                if (!meta)
                {
                    reported = CheckProfile(item, path, keyword, inRemoved);
                    reported |= CheckPrivate(ds, item, path, inRemoved);
                    CheckOverlay(item, path, keyword, prefix.Length == 0);
                }

                if (item is DicomSequence seq)
                {
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        Walk(seq.Items[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", inRemoved || reported, meta);
                    }

                    continue;
                }

                if (item is DicomElement e)
                {
                    Record(e, path, meta);
                    CheckUid(ds, e, path, keyword);
                    CheckText(ds, e, path, keyword, meta);
                }
            }
        }

        /// <summary>Remembers where an element's value lies in the file bytes, for the byte scan.</summary>
        private void Record(DicomElement e, string path, bool meta)
        {
            if (_bytes is null || e.Length == 0 || !MemoryMarshal.TryGetArray(e.Value.GetBytes(), out var segment) || !ReferenceEquals(segment.Array, _bytes))
            {
                return;
            }

            var pixel = e.Tag.Value is 0x7FE00010 or 0x7FE00008 or 0x7FE00009;
            _spans.Add(new ElementSpan(segment.Offset, segment.Offset + segment.Count, path, e.Tag, meta, pixel));
        }

        private bool CheckProfile(DicomItem item, string path, string? keyword, bool inRemoved)
        {
            if (inRemoved || item.Tag.IsPrivate || Expectation!.ActionFor(item.Tag, item.VR) is not { } action)
            {
                return false;
            }

            var hasValue = item switch
            {
                DicomSequence s => s.Items.Count > 0,
                DicomElement e => !IsBlank(e),
                _ => true,
            };
            var severity = Expectation.KeptAsRequested.Contains(DeidentificationEngine.SiteRulesNote) ? FindingSeverity.Warning : FindingSeverity.Error;
            if (action == DeidentificationAction.Remove && hasValue)
            {
                Add(DeidentificationCheck.ProfileConformance, severity, path, keyword, "The profile removes this attribute (X), but it holds a value.", ValueOf(item));
                return true;
            }

            if (action == DeidentificationAction.Zero && hasValue)
            {
                Add(DeidentificationCheck.ProfileConformance, severity, path, keyword, "The profile empties this attribute (Z), but it holds a value.", ValueOf(item));
                return true;
            }

            if (action == DeidentificationAction.Remove)
            {
                Add(DeidentificationCheck.ProfileConformance, FindingSeverity.Info, path, keyword, "The profile removes this attribute (X); it is present but empty.");
            }

            return false;
        }

        private bool CheckPrivate(DicomDataset ds, DicomItem item, string path, bool inRemoved)
        {
            if (!item.Tag.IsPrivate || inRemoved)
            {
                return false;
            }

            var kept = Expectation!.PrivateKept;
            if (item.Tag.IsPrivateCreator)
            {
                Add(DeidentificationCheck.PrivateAttribute, FindingSeverity.Info, path, null, "A private creator.");
                return false;
            }

            var creatorTag = item.Tag.PrivateCreatorTag;
            var creator = creatorTag.Element is >= 0x10 and <= 0xFF ? ds.GetString(creatorTag) : null;
            if ((Expectation.Options & ProfileOptions.RetainSafePrivate) != 0 && creator is not null && SafePrivateTable.IsSafe(creator, item.Tag))
            {
                return false;
            }

            var severity = kept ? FindingSeverity.Warning : FindingSeverity.Error;
            var message = kept
                ? "A private attribute (kept on request; it is not in the safe-private table)."
                : "A private attribute that is not in the safe-private table (PS3.15 Table E.3.10-1).";
            Add(DeidentificationCheck.PrivateAttribute, severity, path, null, message, ValueOf(item));
            return true;
        }

        private void CheckOverlay(DicomItem item, string path, string? keyword, bool topLevel)
        {
            var tag = item.Tag;
            if (!topLevel || tag.Group is < 0x6000 or > 0x60FF || (tag.Group & 1) != 0 || item is not DicomElement e || IsBlank(e))
            {
                return;
            }

            if (tag.Element is 0x0022 or 0x1500 or 0x4000)
            {
                var text = _file.Dataset.DecodeString(e);
                var phi = _v._patterns.Find(text, _originalContext).Count > 0 || DicomNameForm.IsMatch(text);
                Add(DeidentificationCheck.OverlayContent, phi ? FindingSeverity.Error : FindingSeverity.Warning, path, keyword,
                    phi ? "Overlay text that reads as PHI." : "Overlay text: overlays are meant to hold no text.", text);
            }
            else if (tag.Element == 0x3000)
            {
                var data = e.Value.GetBytes().Span;
                if (data.IndexOfAnyExcept((byte)0) < 0)
                {
                    return;
                }

                if (_v._pixels is { } pixels)
                {
                    var read = pixels.ReadOverlay(_file.Dataset, tag.Group, data, _originalContext);
                    if (read is { } r)
                    {
                        Add(DeidentificationCheck.OverlayContent, r.Phi ? FindingSeverity.Error : FindingSeverity.Warning, path, keyword,
                            r.Phi ? "The overlay bit plane holds text that reads as PHI." : "The overlay bit plane holds text.", r.Text);
                    }

                    return;
                }

                Add(DeidentificationCheck.OverlayContent, FindingSeverity.Warning, path, keyword, "An overlay bit plane with content: it can hold burned-in text (use -CheckPixels to read it).");
            }
        }

        private void CheckUid(DicomDataset ds, DicomElement e, string path, string? keyword)
        {
            if (e.VR != DicomVR.UI || e.Length == 0)
            {
                return;
            }

            foreach (var raw in ds.DecodeString(e).Split('\\'))
            {
                var uid = raw.Trim(' ', '\0');
                if (uid.Length > 0 && !IsWellFormedUid(uid))
                {
                    Add(DeidentificationCheck.UidFormat, FindingSeverity.Error, path, keyword,
                        "A malformed UID (PS3.5 9.1: at most 64 characters, digits and dots, no leading zeros).", uid);
                }
            }
        }

        private void CheckText(DicomDataset ds, DicomElement e, string path, string? keyword, bool meta)
        {
            if (e.Length == 0 || e.Length > 1 << 20)
            {
                return;
            }

            var privateOrMeta = e.Tag.IsPrivate || (meta && e.Tag.Value == 0x00020102);
            string text;
            if (IsText(e.VR))
            {
                text = ds.DecodeString(e);
            }
            else if (e.VR == DicomVR.AS)
            {
                CheckAge(ds, e, path, keyword);
                return;
            }
            else if (privateOrMeta && (e.VR == DicomVR.UN || e.VR == DicomVR.OB))
            {
                text = Printable(e.Value.GetBytes().Span);
            }
            else
            {
                return;
            }

            if (text.Trim().Length == 0)
            {
                return;
            }

            if (e.VR != DicomVR.CS)
            {
                ResidualInText(text, e.Tag, path, keyword);
            }

            if (IsCodeAttribute(e.Tag) || e.Tag.Value is 0x00120063 or 0x00280303 or 0x00080005)
            {
                return;
            }

            var action = e.Tag.IsPrivate ? null : Expectation!.ActionFor(e.Tag, e.VR);
            foreach (var value in e.VR.AllowsBackslash ? text.Split('\\') : [text])
            {
                if (StandardValues.IsAllowed(value))
                {
                    continue;
                }

                if (e.VR == DicomVR.PN)
                {
                    Add(DeidentificationCheck.PhiPattern, FindingSeverity.Error, path, keyword, "A person name that is not a dummy value.", value);
                    continue;
                }

                if (DicomNameForm.IsMatch(value))
                {
                    Add(DeidentificationCheck.PhiPattern, FindingSeverity.Error, path, keyword, "Text holds a person name written the DICOM way (Family^Given).", value);
                    continue;
                }

                var worst = (PhiFinding?)null;
                foreach (var f in _v._patterns.Find(value, null))
                {
                    if (worst is null || f.Confidence > worst.Confidence)
                    {
                        worst = f;
                    }
                }

                if (worst is null)
                {
                    continue;
                }

                var severity = worst.Kind is PhiKind.Url ? FindingSeverity.Warning : worst.Confidence >= 0.75 ? FindingSeverity.Error : FindingSeverity.Warning;
                if (severity == FindingSeverity.Warning && action == DeidentificationAction.Dummy)
                {
                    // A replaced value: only a strong pattern says the replacement did not happen.
                    continue;
                }

                if (IsDeviceDescription(e.Tag) && worst.Kind is not (PhiKind.PersonName or PhiKind.Email or PhiKind.Ssn or PhiKind.Address))
                {
                    // Software versions and model names carry build dates and part numbers, not the patient's.
                    severity = FindingSeverity.Info;
                }

                if (!e.Tag.IsPrivate && !meta && Expectation!.KeptByOption(e.Tag))
                {
                    // An option the file records keeps this attribute as it was (Retain Institution Identity keeps the
                    // institution's address): worth knowing, not a failure.
                    severity = FindingSeverity.Info;
                }

                Add(DeidentificationCheck.PhiPattern, severity, path, keyword, "Text reads as " + KindText(worst.Kind) + ".", value.Substring(worst.Start, worst.Length));
            }
        }

        private void CheckAge(DicomDataset ds, DicomElement e, string path, string? keyword)
        {
            var age = ds.DecodeString(e).Trim();
            if (e.Tag == DicomTag.PatientAge && age.Length == 4 && age[3] == 'Y' && int.TryParse(age.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var years) && years > 89)
            {
                Add(DeidentificationCheck.PhiPattern, FindingSeverity.Warning, path, keyword, "An age over 89 (a HIPAA Safe Harbor identifier).", age);
            }
        }

        private static string KindText(PhiKind kind) => kind switch
        {
            PhiKind.PersonName => "a person name",
            PhiKind.Identifier => "an identifier",
            PhiKind.MedicalRecordNumber => "a medical record number",
            PhiKind.Date => "a date",
            PhiKind.Age => "an age",
            PhiKind.Phone => "a telephone number",
            PhiKind.Email => "an e-mail address",
            PhiKind.Url => "a web address",
            PhiKind.Address => "a street address",
            PhiKind.Ssn => "a social security number",
            _ => "an identifier",
        };

        // ---- residual identifiers -------------------------------------------------------------------------------

        /// <summary>The original's values in the decoded text of one attribute, in any spelling the detector knows.</summary>
        private void ResidualInText(string text, DicomTag tag, string path, string? keyword)
        {
            if (_originalContext is null)
            {
                return;
            }

            var excuse = Excuse(tag, meta: false);
            if (excuse == FindingSeverity.Info)
            {
                return;
            }

            foreach (var f in _v._values.Find(text, _originalContext))
            {
                if (_reported.Add(path))
                {
                    Add(DeidentificationCheck.ResidualIdentifier, excuse, path, keyword,
                        "The attribute holds " + KindText(f.Kind) + " of the original" + (excuse == FindingSeverity.Warning ? " (in an attribute the profile keeps)." : "."),
                        text.Substring(f.Start, f.Length));
                }
            }
        }

        /// <summary>Searches the file bytes (pixel data left out) for the original's values.</summary>
        private void ScanBytes()
        {
            if (_originalValues is null)
            {
                return;
            }

            if (_bytes is null)
            {
                Add(DeidentificationCheck.ResidualIdentifier, FindingSeverity.Info, string.Empty, null, "The file is too large for the byte scan: only decoded values were searched.");
                return;
            }

            var folded = ResidualScanner.FoldBytes(_bytes);
            foreach (var span in _spans)
            {
                if (span.Pixel)
                {
                    folded.AsSpan(span.Start, span.End - span.Start).Clear();
                }
            }

            _spans.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            foreach (var hit in ResidualScanner.Find(folded, ResidualScanner.Needles(_originalValues)))
            {
                var span = SpanAt(hit.Offset);
                var path = span?.Path ?? "@" + hit.Offset.ToString(CultureInfo.InvariantCulture);
                var severity = span is { } s ? Excuse(s.Tag, s.Meta) : FindingSeverity.Error;
                if (severity == FindingSeverity.Info || !_reported.Add(path))
                {
                    continue;
                }

                Add(DeidentificationCheck.ResidualIdentifier, severity, path, span is { } k ? DicomDictionary.GetKeyword(k.Tag) : null,
                    "The file bytes hold " + ResidualScanner.Describe(hit.Needle.Source) + (severity == FindingSeverity.Warning ? " in an attribute the profile keeps." : "."),
                    Encoding.Latin1.GetString(hit.Needle.Bytes));
            }
        }

        /// <summary>
        /// How much an original value found in <paramref name="tag"/> weighs: Info (excused: an option keeps the attribute,
        /// or it is the engine's own method attribute), Warning (the table does not list the attribute, so the profile keeps
        /// it as it was), Error (anything else).
        /// </summary>
        private FindingSeverity Excuse(DicomTag tag, bool meta)
        {
            if (tag.Value is 0x00120062 or 0x00120063 or 0x00120064 or 0x00280303 || tag.Value is >= 0x00080100 and <= 0x00080105)
            {
                return FindingSeverity.Info;
            }

            if (meta && tag.Value == 0x00020003)
            {
                // Media Storage SOP Instance UID is the SOP Instance UID, kept or mapped with it.
                tag = DicomTag.SOPInstanceUID;
            }
            else if (meta || tag.IsPrivate)
            {
                return FindingSeverity.Error;
            }

            if (Expectation!.KeptByOption(tag))
            {
                return FindingSeverity.Info;
            }

            var action = Expectation.ActionFor(tag, DicomVR.UN);
            return action is null ? FindingSeverity.Warning : FindingSeverity.Error;
        }

        private ElementSpan? SpanAt(long offset)
        {
            ElementSpan? best = null;
            foreach (var s in _spans)
            {
                if (s.Start > offset)
                {
                    break;
                }

                if (offset < s.End && (best is null || s.End - s.Start < best.End - best.Start))
                {
                    best = s;
                }
            }

            return best;
        }

        // ---- markers and burned-in text ------------------------------------------------------------------------

        private void CheckMarkers(DicomDataset ds)
        {
            if (!string.Equals(ds.GetString(DicomTag.PatientIdentityRemoved)?.Trim(), "YES", StringComparison.Ordinal))
            {
                Add(DeidentificationCheck.DeidentificationMarker, FindingSeverity.Error, DicomTag.PatientIdentityRemoved.ToString(), "PatientIdentityRemoved", "Patient Identity Removed is not YES.");
            }

            var hasText = ds.GetStrings(DicomTag.DeidentificationMethod).Any(t => t.Trim().Length > 0);
            var hasCodes = ds.TryGetSequence(DicomTag.DeidentificationMethodCodeSequence, out var codes) && codes.Items.Count > 0;
            if (!hasText && !hasCodes)
            {
                Add(DeidentificationCheck.DeidentificationMarker, FindingSeverity.Error, DicomTag.DeidentificationMethod.ToString(), "DeidentificationMethod",
                    "Neither De-identification Method nor De-identification Method Code Sequence is present.");
            }
        }

        private void CheckBurnedIn(DicomDataset ds)
        {
            if (!ds.Contains(DicomTag.PixelData))
            {
                return;
            }

            var burned = ds.GetString(DicomTag.BurnedInAnnotation)?.Trim();
            var path = DicomTag.BurnedInAnnotation.ToString();
            if (string.Equals(burned, "YES", StringComparison.OrdinalIgnoreCase))
            {
                Add(DeidentificationCheck.BurnedInAnnotation, FindingSeverity.Error, path, "BurnedInAnnotation", "Burned In Annotation is YES: the pixels carry identifying text.");
            }
            else if (!string.Equals(burned, "NO", StringComparison.OrdinalIgnoreCase) && LikelyBurnedIn(ds))
            {
                Add(DeidentificationCheck.BurnedInAnnotation, FindingSeverity.Warning, path, "BurnedInAnnotation",
                    "An image of a kind that often carries burned-in text, with no verified redaction (Burned In Annotation is not NO).");
            }

            if (_v._pixels is { } pixels)
            {
                var context = PhiContextBuilder.Build(ds);
                if (_originalContext is { } o)
                {
                    context.PersonNames.AddRange(o.PersonNames);
                    context.Identifiers.AddRange(o.Identifiers);
                    context.Dates.AddRange(o.Dates);
                    context.OtherValues.AddRange(o.OtherValues);
                }

                foreach (var f in pixels.ReadFrames(_file, context, _token))
                {
                    Add(DeidentificationCheck.PixelText, f.Severity, f.Path, null, f.Message, f.Text);
                }
            }
        }

        /// <summary>Modalities and SOP classes that often carry burned-in text (ultrasound, angiography, secondary capture, documents...).</summary>
        private static bool LikelyBurnedIn(DicomDataset ds)
        {
            var modality = ds.GetString(DicomTag.Modality)?.Trim().ToUpperInvariant();
            if (modality is "US" or "IVUS" or "XA" or "RF" or "ES" or "XC" or "OT" or "SC" or "DOC" or "OP" or "GM" or "SM" or "TG" or "ECG")
            {
                return true;
            }

            var sopClass = ds.GetString(DicomTag.SOPClassUID)?.Trim(' ', '\0') ?? string.Empty;
            return sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.7", StringComparison.Ordinal) || // Secondary Capture family
                   sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.104", StringComparison.Ordinal) || // Encapsulated documents
                   sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.3.1", StringComparison.Ordinal) || // US multi-frame
                   sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.6", StringComparison.Ordinal); // US
        }

        // ---- helpers -------------------------------------------------------------------------------------------

        private static bool IsBlank(DicomElement e)
        {
            var span = e.Value.Length > 4096 ? default : e.Value.GetBytes().Span;
            return e.Length == 0 || (e.Length <= 4096 && span.IndexOfAnyExcept((byte)' ', (byte)0) < 0);
        }

        private string? ValueOf(DicomItem item)
        {
            if (!Options.IncludeValues || item is not DicomElement e || e.Length > 1024)
            {
                return null;
            }

            return e.VR.IsString ? _file.Dataset.DecodeString(e) : Convert.ToHexString(e.Value.GetBytes().Span);
        }

        private static string Printable(ReadOnlySpan<byte> bytes)
        {
            var sb = new StringBuilder(bytes.Length);
            foreach (var b in bytes)
            {
                sb.Append(b is >= 0x20 and < 0x7F ? (char)b : ' ');
            }

            return sb.ToString();
        }
    }

    /// <summary>Where one element's value lies in the file.</summary>
    private sealed record ElementSpan(int Start, int End, string Path, DicomTag Tag, bool Meta, bool Pixel);
}
