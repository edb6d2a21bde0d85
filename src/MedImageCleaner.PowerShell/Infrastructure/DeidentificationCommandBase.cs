using System.Collections;
using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;
using MedImageCleaner.PowerShell.Completers;
using SiteProfile = MedImageCleaner.Core.Deidentification.ProfileFile;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// The parameters and set-up shared by the cmdlets that de-identify (Remove-DicomPhi, Invoke-DicomDeidentification):
/// inputs, destination, profile options, seed switches, site profile file, key and audit database.
/// </summary>
public abstract class DeidentificationCommandBase : FileInputCommand
{

    /// <summary>Parameters that, given explicitly, win over the same setting of a -ProfileFile.</summary>
    private static readonly (string Parameter, ProfileFileFields Field)[] ProfileFileParameters =
    [
        (nameof(Profile), ProfileFileFields.Options), (nameof(KeepPrivateTags), ProfileFileFields.KeepPrivateTags),
        (nameof(KeepOverlays), ProfileFileFields.KeepOverlays), (nameof(KeepCurves), ProfileFileFields.KeepCurves),
        (nameof(PatientIdPrefix), ProfileFileFields.PatientIdPrefix), (nameof(DateOffsetDays), ProfileFileFields.DateOffsetDays),
    ];

    private protected DeidentificationKey? _key;
    private protected AuditStore? _audit;
    private protected SiteProfile? _siteProfile;



    /// <summary>The folder that receives the de-identified files (created when missing; never an input folder).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;


    /// <summary>PS3.15 E.3 options to apply on top of the Basic Profile.</summary>
    [Parameter]
    public ProfileOptions[] Profile { get; set; } = [];

    /// <summary>The key file (New-DeidentificationKey) that makes pseudonyms repeat across runs and machines.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KeyFileCompleter))]
    public string? KeyFile { get; set; }

    /// <summary>The SQLite audit database (created when missing).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AuditDatabaseCompleter))]
    public string? AuditDatabase { get; set; }

    /// <summary>How output files are named: Flat (default), Hierarchy, or Mirror (keeps input names: they may hold PHI).</summary>
    [Parameter]
    public OutputLayout Layout { get; set; } = OutputLayout.Flat;

    /// <summary>Files processed at once (default: the number of processors). 1 is sequential and ordered.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <summary>Overwrite outputs that exist with other content.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Seed option: shift every date by this many days (implies Retain Longitudinal Temporal Information with Modified Dates).</summary>
    [Parameter]
    [ValidateRange(-36500, 36500)]
    public int? DateOffsetDays { get; set; }

    /// <summary>Empty Patient ID instead of replacing it with a keyed pseudonym (the default; the seed's hash_patient_id=False).</summary>
    [Parameter]
    public SwitchParameter EmptyPatientId { get; set; }

    /// <summary>Seed option: keep Patient's Age.</summary>
    [Parameter]
    public SwitchParameter PreserveAge { get; set; }

    /// <summary>Seed option: keep Patient's Sex.</summary>
    [Parameter]
    public SwitchParameter PreserveSex { get; set; }

    /// <summary>Seed option: extra rules, keyword or tag -> action (Keep, Remove, Zero, Dummy, Clean, Uid), e.g. @{ StationName = 'Remove' }.</summary>
    [Parameter]
    public IDictionary? CustomPhiTag { get; set; }

    /// <summary>Seed option: keep every private attribute.</summary>
    [Parameter]
    public SwitchParameter KeepPrivateTags { get; set; }

    /// <summary>Seed option: keep overlays (60xx groups).</summary>
    [Parameter]
    public SwitchParameter KeepOverlays { get; set; }

    /// <summary>Seed option: keep curves (50xx groups).</summary>
    [Parameter]
    public SwitchParameter KeepCurves { get; set; }

    /// <summary>Seed option: the dummy text for text attributes replaced by the profile (default ANONYMIZED); dates, numbers and UIDs always get valid dummies.</summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string ReplacementValue { get; set; } = "ANONYMIZED";

    /// <summary>Prefix of pseudonymous patient IDs (default ANON).</summary>
    [Parameter]
    [ValidateLength(0, 40)]
    public string PatientIdPrefix { get; set; } = "ANON";

    /// <summary>A JSON site profile (schema medimagecleaner-profile/1): options, per-tag rules and seed switches layered over the standard. Parameters given explicitly win over it; -CustomPhiTag rules override its rules for the same tag.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JsonFileCompleter))]
    public string? ProfileFile { get; set; }

    private protected DeidentificationSettings BuildSettings()
    {
        var rules = new List<CustomTagRule>();
        if (CustomPhiTag is not null)
        {
            foreach (DictionaryEntry entry in CustomPhiTag)
            {
                var tagText = entry.Key?.ToString() ?? string.Empty;
                var actionText = entry.Value?.ToString() ?? "Remove";
                if (!DeidentificationNames.TryParseTag(tagText, out var tag))
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{tagText}' is not a DICOM keyword or a tag written (gggg,eeee)."), "InvalidTag", ErrorCategory.InvalidArgument, tagText));
                }

                if (!DeidentificationNames.TryParseAction(actionText, out var action))
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{actionText}' is not an action: use Keep, Remove, Zero, Dummy, Clean or Uid."), "InvalidAction", ErrorCategory.InvalidArgument, actionText));
                }

                rules.Add(new CustomTagRule(tag, action));
            }
        }

        var options = ProfileOptions.None;
        foreach (var o in Profile)
        {
            options |= o;
        }

        return ApplyProfileFile(new DeidentificationSettings
        {
            Options = options,
            KeepPrivateTags = KeepPrivateTags,
            KeepOverlays = KeepOverlays,
            KeepCurves = KeepCurves,
            HashPatientId = !EmptyPatientId,
            PreserveAge = PreserveAge,
            PreserveSex = PreserveSex,
            DateOffsetDays = DateOffsetDays,
            PatientIdPrefix = PatientIdPrefix,
            ReplacementValue = ReplacementValue,
            CustomRules = rules,
        });
    }

    private DeidentificationSettings ApplyProfileFile(DeidentificationSettings settings)
    {
        if (ProfileFile is null)
        {
            return settings;
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProfileFile);
        if (!File.Exists(path))
        {
            ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The profile file '{path}' does not exist."), "ProfileFileNotFound", ErrorCategory.ObjectNotFound, path));
        }

        try
        {
            _siteProfile = SiteProfile.Load(path);
        }
        catch (ProfileFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidProfileFile", ErrorCategory.InvalidData, path));
        }

        var given = ProfileFileFields.None;
        foreach (var (parameter, field) in ProfileFileParameters)
        {
            given |= MyInvocation.BoundParameters.ContainsKey(parameter) ? field : ProfileFileFields.None;
        }

        WriteVerbose($"Site profile '{path}' (SHA-256 {_siteProfile!.Sha256}): {_siteProfile.Rules.Count} rules; parameters given here win over it.");
        return _siteProfile.Apply(settings, given);
    }

    private protected DeidentificationKey LoadKey()
    {
        if (KeyFile is null)
        {
            WriteWarning("No -KeyFile was given: an ephemeral key is used for this run, so pseudonyms and date offsets will not repeat in another run. Make a key with New-DeidentificationKey.");
            return DeidentificationKey.CreateRandom(ephemeral: true);
        }

        return KeyFiles.Load(this, KeyFile);
    }

    /// <summary>The profile text of an audit session: the standard's profile and the site profile file, when one is used.</summary>
    private protected string ProfileDescription() =>
        "PS3.15 E.1 Basic Application Level Confidentiality Profile" + (_siteProfile is null ? string.Empty : $"; site profile {System.IO.Path.GetFileName(_siteProfile.FilePath)} sha256:{_siteProfile.Sha256}");

    /// <summary>Opens the audit database at <paramref name="path"/> (or -AuditDatabase) with a new session; <paramref name="profileText"/> overrides the session's profile text.</summary>
    private protected void OpenAudit(DeidentificationSettings settings, string? path = null, string? profileText = null)
    {
        path ??= SessionState.Path.GetUnresolvedProviderPathFromPSPath(AuditDatabase!);
        var session = new AuditSessionInfo(
            profileText ?? ProfileDescription(),
            settings.EffectiveOptions.ToString(),
            ConfidentialityProfile.Edition,
            DeidentificationEngine.ToolName,
            Environment.UserName,
            Environment.MachineName,
            DateTimeOffset.UtcNow);
        try
        {
            _audit = AuditStore.Open(path, _key!, session);
        }
        catch (MedImageCleanerException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "AuditDatabaseFailed", ErrorCategory.OpenError, path));
        }
    }
}
