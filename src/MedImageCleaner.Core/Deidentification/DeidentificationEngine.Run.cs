using System.Text;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <content>The state of one Apply call: the walk over the dataset that decides and applies each attribute's action.</content>
public sealed partial class DeidentificationEngine
{
    /// <summary>The state of one Apply call.</summary>
    private sealed class Run(DeidentificationEngine engine, bool collectPlan, DicomDataset source)
    {
        private PhiContext? _context;

        public int DateOffset { get; init; }

        /// <summary>
        /// The identifiers of the source header, gathered on the first value to clean. Any C action needs it, not only
        /// the Clean options': Retain Device Identity, Retain Patient Characteristics, Modified Dates and custom rules
        /// give C too.
        /// </summary>
        public PhiContext? Context => engine._scrubber is null ? null : _context ??= PhiContextBuilder.Build(source);

        public List<PlanEntry> Plan { get; } = [];

        public Dictionary<DeidentificationAction, int> Counts { get; } = [];

        public List<IdentityMapping> Mappings { get; } = [];

        private readonly HashSet<string> _mappedUids = new(StringComparer.Ordinal);

        public void Process(DicomDataset ds, string path, int depth, Scope scope)
        {
            var items = ds.Items;
            var snapshot = new DicomItem[items.Count];
            for (var i = 0; i < snapshot.Length; i++)
            {
                snapshot[i] = items[i];
            }

            foreach (var original in snapshot)
            {
                var item = Retype(ds, original);
                var (action, rule, reason) = Decide(ds, item, scope);
                if (action == DeidentificationAction.Clean && item is DicomElement && !IsCleanable(item))
                {
                    // A binary value (Maker Note, Frame Origin Timestamp, Certified Timestamp...) cannot be scrubbed or
                    // shifted; keeping it as it is would keep what C is meant to clean, so it goes (the Basic Profile's X).
                    (action, reason) = (DeidentificationAction.Remove, "NotCleanable");
                }

                Count(action);
                if (collectPlan)
                {
                    Plan.Add(new PlanEntry(path.Length == 0 ? item.Tag.ToString() : path + "/" + item.Tag, item.Tag, DicomDictionary.GetKeyword(item.Tag), item.VR, action, rule, reason));
                }

                ApplyAction(ds, item, action, path, depth, scope);
            }
        }

        /// <summary>
        /// A standard attribute stored as UN (written by a tool that lost the VR) is re-read with its dictionary VR,
        /// so UIDs are mapped, dates shifted and text cleaned like the attribute it is (PS3.5 6.2.2).
        /// </summary>
        private static DicomItem Retype(DicomDataset ds, DicomItem item)
        {
            if (item is not DicomElement e || e.VR != DicomVR.UN || e.Tag.IsPrivate || e.Tag.IsGroupLength ||
                !DicomDictionary.TryGet(e.Tag, out var entry) || entry.AllowedVRs.Count != 1 || entry.VR == DicomVR.SQ || !entry.VR.IsKnown)
            {
                return item;
            }

            var retyped = new DicomElement(e.Tag, entry.VR, e.Value);
            ds.AddOrUpdate(retyped);
            return retyped;
        }

        private void Count(DeidentificationAction action)
        {
            Counts.TryGetValue(action, out var n);
            Counts[action] = n + 1;
        }

        private (DeidentificationAction Action, string Rule, string Reason) Decide(DicomDataset ds, DicomItem item, Scope scope)
        {
            var tag = item.Tag;
            var settings = engine._settings;
            if (engine._custom.TryGetValue(tag.Value, out var custom))
            {
                return (custom.Action, "Custom", "CustomPhiTag");
            }

            if (tag.IsPrivate)
            {
                if (settings.KeepPrivateTags)
                {
                    return (DeidentificationAction.Keep, "Private", "KeepPrivateTags");
                }

                if ((engine._options & ProfileOptions.RetainSafePrivate) != 0)
                {
                    if (tag.IsPrivateCreator)
                    {
                        return HasSafeElement(ds, tag)
                            ? (DeidentificationAction.Keep, "E3.10-1", "RetainSafePrivate")
                            : (DeidentificationAction.Remove, "E1-1:Private", "BasicProfile");
                    }

                    var creator = CreatorOf(ds, tag);
                    if (creator is not null && SafePrivateTable.IsSafe(creator, tag))
                    {
                        return (DeidentificationAction.Keep, "E3.10-1", "RetainSafePrivate");
                    }
                }

                return (DeidentificationAction.Remove, "E1-1:Private", "BasicProfile");
            }

            if (tag.Group is >= 0x6000 and <= 0x60FF && (tag.Group & 1) == 0)
            {
                // Table E.1-1 removes Overlay Data and Overlay Comments; an overlay without its data breaks the Overlay
                // Plane module, and overlay bit planes cannot be proven free of text, so the whole overlay group goes
                // (Clean Graphics included) unless overlays are explicitly kept.
                return settings.KeepOverlays
                    ? (DeidentificationAction.Keep, "Overlay", "KeepOverlays")
                    : (DeidentificationAction.Remove, "E1-1:(60xx,3000)", "OverlayRemovedWithItsData");
            }

            if (tag.Group is >= 0x5000 and <= 0x50FF && settings.KeepCurves)
            {
                return (DeidentificationAction.Keep, "Curve", "KeepCurves");
            }

            if (tag == DicomTag.PatientAge && settings.PreserveAge)
            {
                return (DeidentificationAction.Keep, "E1-1:" + tag, "PreserveAge");
            }

            if (tag == DicomTag.PatientSex && settings.PreserveSex)
            {
                return (DeidentificationAction.Keep, "E1-1:" + tag, "PreserveSex");
            }

            if (tag.IsGroupLength)
            {
                return (DeidentificationAction.Keep, "GroupLength", "Recomputed");
            }

            if (ConfidentialityProfile.TryGetRow(tag, out var row))
            {
                var (action, source) = ConfidentialityProfile.Resolve(row, engine._options, item.VR);
                if (action == DeidentificationAction.Uid && (engine._options & ProfileOptions.RetainUids) != 0)
                {
                    // Retain UIDs keeps every UID, also those the table gives no K under the option ((0040,A124) UID),
                    // so references keep pointing at the instances they name.
                    (action, source) = (DeidentificationAction.Keep, nameof(ProfileOptions.RetainUids));
                }

                if (item.Tag == DicomTag.ReferencedStudySequence && action == DeidentificationAction.Zero)
                {
                    // X/Z: Referenced Study Sequence is Type 3 in the General Study module, where an empty sequence is
                    // an error, so X is the conformant choice (Acquisition Context Sequence, the other X/Z sequence,
                    // is Type 2 and is emptied).
                    action = DeidentificationAction.Remove;
                }

                return (action, row.RuleId, source);
            }

            if (scope == Scope.CodedConcept && IsCodeAttribute(tag))
            {
                // Coded concepts of an SR content tree (concept names, coded values, units) come from coding schemes,
                // not from the patient: they are kept so the de-identified SR keeps its structure.
                return (DeidentificationAction.Keep, "CodedConcept", "BasicProfile");
            }

            if (scope != Scope.None && item is DicomElement && IsFreeText(item.VR))
            {
                // Inside a sequence the profile replaces with dummy values (or cleans), text the table does not list is
                // replaced (or cleaned) too: e.g. Text Value items of an SR content tree.
                return scope != Scope.Clean
                    ? (DeidentificationAction.Dummy, "DummySequenceContent", "BasicProfile")
                    : (DeidentificationAction.Clean, "CleanSequenceContent", "CleanOption");
            }

            if (item.VR == DicomVR.UI && (engine._options & ProfileOptions.RetainUids) == 0)
            {
                // A UID the table does not list (an SR/RT/SEG reference, a private-use UID): map it if it is not a
                // UID of the standard itself (classes, transfer syntaxes, coding schemes keep their value).
                return (DeidentificationAction.Uid, "UidReference", "NotInProfile");
            }

            return (DeidentificationAction.Keep, "NotInProfile", "NotInProfile");
        }

        private static string? CreatorOf(DicomDataset ds, DicomTag tag)
        {
            var creatorTag = tag.PrivateCreatorTag;
            return creatorTag.Element is >= 0x10 and <= 0xFF ? ds.GetString(creatorTag) : null;
        }

        private static bool HasSafeElement(DicomDataset ds, DicomTag creatorTag)
        {
            var creator = ds.GetString(creatorTag);
            if (creator is null)
            {
                return false;
            }

            var blockStart = (uint)((creatorTag.Group << 16) | (creatorTag.Element << 8));
            foreach (var other in ds.Items)
            {
                if (other.Tag.Value >= blockStart && other.Tag.Value <= blockStart + 0xFF && SafePrivateTable.IsSafe(creator, other.Tag))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// C applies to text (scrubbed), dates (shifted), times and UIDs; curve data under Clean Graphics keeps its
        /// numeric values (its text is scrubbed). Other binary values cannot be cleaned.
        /// </summary>
        private static bool IsCleanable(DicomItem item) =>
            item.VR.IsString || item.Tag.Group is >= 0x5000 and <= 0x50FF;

        /// <summary>Scrub tokens can lengthen a value: cut it to the VR's maximum length (PS3.5 Table 6.2-1).</summary>
        private static string FitToVR(string value, DicomVR vr)
        {
            var max = vr == DicomVR.SH ? 16 : vr == DicomVR.LO ? 64 : vr == DicomVR.ST ? 1024 : vr == DicomVR.LT ? 10240 : int.MaxValue;
            if (vr == DicomVR.PN)
            {
                var groups = value.Split('=');
                for (var i = 0; i < groups.Length; i++)
                {
                    groups[i] = groups[i].Length > 64 ? groups[i][..64] : groups[i];
                }

                return string.Join('=', groups);
            }

            if (max == int.MaxValue)
            {
                return value;
            }

            var parts = value.Split('\\');
            for (var i = 0; i < parts.Length; i++)
            {
                parts[i] = parts[i].Length > max ? parts[i][..max] : parts[i];
            }

            return string.Join('\\', parts);
        }

        /// <summary>Concept Name Code, Concept Code and Measurement Units Code Sequences.</summary>
        private static bool IsConceptSequence(DicomTag tag) => tag.Value is 0x0040A043 or 0x0040A168 or 0x004008EA;

        /// <summary>Code Value, Coding Scheme Designator/Version, Code Meaning, Long Code Value, URN Code Value.</summary>
        private static bool IsCodeAttribute(DicomTag tag) => tag.Value is 0x00080100 or 0x00080102 or 0x00080103 or 0x00080104 or 0x00080119 or 0x00080120;

        private static bool IsFreeText(DicomVR vr) =>
            vr == DicomVR.SH || vr == DicomVR.LO || vr == DicomVR.ST || vr == DicomVR.LT || vr == DicomVR.UT || vr == DicomVR.UC || vr == DicomVR.PN;

        private void ApplyAction(DicomDataset ds, DicomItem item, DeidentificationAction action, string path, int depth, Scope scope)
        {
            switch (action)
            {
                case DeidentificationAction.Remove:
                    ds.Remove(item.Tag);
                    return;
                case DeidentificationAction.Keep:
                    Recurse(item, path, depth, scope);
                    return;
                case DeidentificationAction.Zero:
                    ds.AddOrUpdate(item is DicomSequence ? new DicomSequence(item.Tag) : new DicomElement(item.Tag, item.VR, ReadOnlyMemory<byte>.Empty));
                    return;
                case DeidentificationAction.Dummy:
                    if (item is DicomSequence)
                    {
                        // A dummy sequence keeps its items (an empty Type 1/3 sequence breaks conformance) with every
                        // attribute in them de-identified and unlisted free text replaced.
                        Recurse(item, path, depth, scope: Scope.Dummy);
                    }
                    else
                    {
                        ApplyDummy(ds, item);
                    }

                    return;
                case DeidentificationAction.Uid:
                    if (item is DicomElement uidElement)
                    {
                        ds.AddOrUpdate(MapUids(ds, uidElement));
                    }
                    else
                    {
                        Recurse(item, path, depth, scope);
                    }

                    return;
                case DeidentificationAction.Clean:
                    ApplyClean(ds, item, path, depth, scope);
                    return;
                default:
                    return;
            }
        }

        private void Recurse(DicomItem item, string path, int depth, Scope scope)
        {
            if (item is not DicomSequence seq)
            {
                return;
            }

            var prefix = path.Length == 0 ? item.Tag.ToString() : path + "/" + item.Tag;
            var childScope = scope is Scope.Dummy or Scope.CodedConcept
                ? (IsConceptSequence(item.Tag) ? Scope.CodedConcept : Scope.Dummy)
                : scope;
            for (var i = 0; i < seq.Items.Count; i++)
            {
                Process(seq.Items[i], collectPlan ? prefix + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" : string.Empty, depth + 1, childScope);
            }
        }

        private void ApplyDummy(DicomDataset ds, DicomItem item)
        {
            if (item is not DicomElement e)
            {
                ds.Remove(item.Tag);
                return;
            }

            if (e.VR == DicomVR.UI)
            {
                ds.AddOrUpdate(MapUids(ds, e));
                return;
            }

            if (e.Tag == DicomTag.PatientID)
            {
                var original = ds.DecodeString(e);
                var pseudonym = engine._settings.HashPatientId
                    ? engine._pseudonymizer.MapPatientId(original)
                    : string.Empty;
                ds.AddOrUpdate(new DicomElement(e.Tag, e.VR, Encoding.ASCII.GetBytes(pseudonym)));
                return;
            }

            if (IsFreeText(e.VR))
            {
                var text = engine._settings.ReplacementValue;
                ds.AddOrUpdate(e.Tag, e.VR, e.VR == DicomVR.SH && text.Length > 16 ? text[..16] : text);
                return;
            }

            var dummy = DummyValues.For(e.VR) ?? [];
            ds.AddOrUpdate(new DicomElement(e.Tag, e.VR, dummy));
        }

        private DicomElement MapUids(DicomDataset ds, DicomElement e)
        {
            if (e.Length == 0 || e.VR != DicomVR.UI)
            {
                return e.VR == DicomVR.UI ? e : new DicomElement(e.Tag, e.VR, ReadOnlyMemory<byte>.Empty);
            }

            var values = ds.DecodeString(e).Split('\\');
            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i].Trim(' ', '\0');
                if (v.Length == 0 || IsStandardUid(v))
                {
                    values[i] = v;
                    continue;
                }

                var mapped = engine._pseudonymizer.MapUid(v);
                if (_mappedUids.Add(v))
                {
                    Mappings.Add(new IdentityMapping(KindOf(e.Tag), v, mapped));
                }

                values[i] = mapped;
            }

            return new DicomElement(e.Tag, e.VR, Encoding.ASCII.GetBytes(string.Join('\\', values)));
        }

        private static string KindOf(DicomTag tag) =>
            tag == DicomTag.StudyInstanceUID ? "StudyInstanceUid" : tag == DicomTag.SeriesInstanceUID ? "SeriesInstanceUid" : tag == DicomTag.SOPInstanceUID ? "SopInstanceUid" : "Uid";

        private void ApplyClean(DicomDataset ds, DicomItem item, string path, int depth, Scope scope)
        {
            if (item is DicomSequence)
            {
                Recurse(item, path, depth, scope is Scope.Dummy or Scope.CodedConcept ? Scope.Dummy : Scope.Clean);
                return;
            }

            if (item is not DicomElement e || e.Length == 0)
            {
                return;
            }

            var shift = (engine._options & ProfileOptions.RetainLongitudinalModifiedDates) != 0;
            if (e.VR == DicomVR.DA || e.VR == DicomVR.DT)
            {
                if (!shift)
                {
                    return;
                }

                var values = ds.DecodeString(e).Split('\\');
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i].Trim().Length == 0)
                    {
                        continue;
                    }

                    var shifted = e.VR == DicomVR.DA ? DateShifter.ShiftDateOrRange(values[i], DateOffset) : DateShifter.ShiftDateTime(values[i], DateOffset);

                    // A value that is not a date cannot be shifted: it is replaced by a dummy rather than kept.
                    values[i] = shifted ?? Encoding.ASCII.GetString(DummyValues.For(e.VR)!);
                }

                ds.AddOrUpdate(new DicomElement(e.Tag, e.VR, Encoding.ASCII.GetBytes(string.Join('\\', values))));
                return;
            }

            if (e.VR == DicomVR.TM)
            {
                // Whole-day shifts leave times of day unchanged.
                return;
            }

            if (e.VR == DicomVR.UI)
            {
                ds.AddOrUpdate(MapUids(ds, e));
                return;
            }

            if (IsScrubbable(e.VR) && engine._scrubber is { } scrubber && Context is { } context)
            {
                var text = ds.DecodeString(e);
                var scrubbed = scrubber.Scrub(text, context, out var changed);
                if (changed)
                {
                    ds.AddOrUpdate(e.Tag, e.VR, FitToVR(scrubbed, e.VR));
                }

                return;
            }

            if (IsScrubbable(e.VR))
            {
                // No detector: cleaning cannot be proven, so the value is removed rather than kept.
                ds.AddOrUpdate(new DicomElement(e.Tag, e.VR, ReadOnlyMemory<byte>.Empty));
            }
        }

        /// <summary>Free text, and AE titles (Retain Device Identity's C: a title may name the site or a person).</summary>
        private static bool IsScrubbable(DicomVR vr) => vr.IsCharacterSetText || vr == DicomVR.AE || vr == DicomVR.UR;
    }
}
