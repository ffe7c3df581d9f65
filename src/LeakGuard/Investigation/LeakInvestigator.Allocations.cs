using Microsoft.Diagnostics.NETCore.Client;

namespace LeakGuard.Investigation;

// The allocation recording that runs between an investigation's two snapshots, and its join with the diff.
internal sealed partial class LeakInvestigator
{
    /// <summary>
    /// Gets or sets how an investigation's recording is started (the event kind → the running recording, following its
    /// samples through the GCs); tests replace it. On-demand recordings (<see cref="ILeakMonitor.RecordAllocationsAsync"/>)
    /// start without survival and do not go through it.
    /// </summary>
    internal Func<AllocationEventKind, CancellationToken, Task<AllocationRecording>> StartRecording { get; set; } = AllocationRecording.StartAsync;

    /// <summary>Gets or sets the event recordings sample; tests force the <c>AllocationTick</c> fallback on .NET 10.</summary>
    internal AllocationEventKind RecordingKind { get; set; } = AllocationSampling.For(Environment.Version);

    private async Task<(AllocationRecording? Recording, string? Missing)> StartRecordingAsync(CancellationToken cancellationToken)
    {
        if (!_options.Snapshots.RecordAllocations)
        {
            return (null, "allocation recording is off (Snapshots:RecordAllocations = false).");
        }

        try
        {
            return (await StartRecording(RecordingKind, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ServerNotAvailableException)
        {
            return (null, UnavailableMessage + ".");
        }
        catch (Exception ex) when (ex is AllocationRecordingException or ServerErrorException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            return (null, "the allocation recording could not start: " + ex.Message);
        }
    }

    /// <summary>Stops a recording; a failed one yields no samples at all, with the reason.</summary>
    /// <param name="recording">The recording, or <see langword="null"/> when none ran.</param>
    /// <param name="missing">Why none ran.</param>
    /// <param name="cancellationToken">Cancels the wait for the reader; the recording is then abandoned.</param>
    private static async Task<(AllocationProfile? Profile, string? Missing)> StopRecordingAsync(AllocationRecording? recording, string? missing, CancellationToken cancellationToken)
    {
        if (recording is null)
        {
            return (null, missing);
        }

        try
        {
            return (await recording.StopAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (AllocationRecordingException ex)
        {
            return (null, ex.Message);
        }
    }

    private RecordedAllocations Describe(AllocationProfile? profile, string? missing)
    {
        if (profile is null)
        {
            var reason = missing ?? "the allocation recording failed.";
            InvestigationLog.AllocationsMissing(_logger, reason);
            return new RecordedAllocations { Missing = reason };
        }

        return new RecordedAllocations
        {
            Event = AllocationSampling.Name(profile.Kind),
            Samples = profile.Samples,
            DurationSeconds = Math.Round(profile.Duration.TotalSeconds, 1),
            RecordedSeconds = Math.Round(profile.Recorded.TotalSeconds, 1),
            StoppedEarly = profile.StoppedEarly,
            RankedBySurvival = profile.SurvivalKnown,
            GarbageCollections = profile.GarbageCollections,
            SurvivalMissing = profile.SurvivalKnown ? null : profile.SurvivalMissing,
        };
    }

    private Dictionary<string, IReadOnlyList<AllocationSite>>? SitesOf(AllocationProfile? profile, IReadOnlyCollection<string> types) =>
        profile is null ? null : AllocationJoin.Sites(profile.Stacks, (id, raw) => ReadableTypeName(_resolver, id, raw), types, profile.SurvivalKnown);

    // The same naming as the heap diff's: the runtime's raw name, nested types completed from the loaded types.
    private static string ReadableTypeName(NestedTypeResolver resolver, ulong typeId, string rawName)
    {
        var raw = string.IsNullOrEmpty(rawName) ? RuntimeTypeNames.TryResolve(typeId) ?? $"Type#{typeId:x}" : rawName;
        return resolver.Resolve([typeId], [raw])[0] ?? TypeNameFormatter.Format(raw);
    }
}
