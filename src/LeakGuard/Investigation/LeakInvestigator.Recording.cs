using Microsoft.Diagnostics.NETCore.Client;

namespace LeakGuard.Investigation;

// On-demand allocation recording (ILeakMonitor.RecordAllocationsAsync): the same session as an investigation's window,
// for a given duration, without snapshots and without following the samples through the GCs.
internal sealed partial class LeakInvestigator
{
    /// <summary>The longest on-demand recording.</summary>
    public static readonly TimeSpan MaxRecordingDuration = TimeSpan.FromHours(1);

    private const int TopAllocatedTypes = 20;
    private readonly NestedTypeResolver _recordingResolver = new();
    private int _recordingOnDemand;

    /// <summary>Records sampled allocations with their call stacks for <paramref name="duration"/>.</summary>
    /// <param name="duration">How long to record (more than zero, at most <see cref="MaxRecordingDuration"/>).</param>
    /// <param name="cancellationToken">Cancels the recording (the session is stopped).</param>
    /// <returns>The types allocated most, with their stacks.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive or longer than an hour.</exception>
    /// <exception cref="InvalidOperationException">The diagnostics channel is unavailable, another on-demand recording runs, or the recording failed.</exception>
    public async Task<AllocationRecordingResult> RecordAllocationsAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        if (duration <= TimeSpan.Zero || duration > MaxRecordingDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"The recording duration must be more than zero and at most {MaxRecordingDuration}.");
        }

        if (SnapshotsUnavailable)
        {
            throw new InvalidOperationException($"Allocation recording is unavailable: {_unavailableReason}.");
        }

        if (Interlocked.CompareExchange(ref _recordingOnDemand, 1, 0) != 0)
        {
            throw new InvalidOperationException("Another allocation recording is running.");
        }

        try
        {
            // Stacks ranked by bytes allocated: an allocation profile, without the survival events' cost or the gen1 GC
            // that settles them at the end (an investigation's window ranks by survival).
            var recording = await AllocationRecording.StartAsync(RecordingKind, nameFrames: true, trackSurvival: false, cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(duration, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The caller does not want the result: the session is closed, its reader not waited for.
                recording.Abandon();
                throw;
            }

            var profile = await recording.StopAsync(CancellationToken.None).ConfigureAwait(false);

            return Summarize(profile);
        }
        catch (ServerNotAvailableException ex)
        {
            MarkUnavailable(UnavailableMessage);
            throw new InvalidOperationException($"Allocation recording is unavailable: {_unavailableReason}.", ex);
        }
        catch (Exception ex) when (ex is AllocationRecordingException or ServerErrorException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException("The allocation recording failed: " + ex.Message, ex);
        }
        finally
        {
            Volatile.Write(ref _recordingOnDemand, 0);
        }
    }

    private AllocationRecordingResult Summarize(AllocationProfile profile)
    {
        var names = new Dictionary<ulong, string>();
        string NameOf(ulong id, string raw)
        {
            if (!names.TryGetValue(id, out var name))
            {
                names[id] = name = ReadableTypeName(_recordingResolver, id, raw);
            }

            return name;
        }

        var totals = profile.Stacks
            .GroupBy(stack => NameOf(stack.TypeId, stack.RawTypeName), StringComparer.Ordinal)
            .Select(group => (Type: group.Key, Bytes: group.Sum(s => s.EstimatedBytes), Samples: group.Sum(s => s.Samples)))
            .OrderByDescending(type => type.Bytes)
            .ThenBy(type => type.Type, StringComparer.Ordinal)
            .Take(TopAllocatedTypes)
            .ToList();
        var sites = AllocationJoin.Sites(profile.Stacks, NameOf, [.. totals.Select(t => t.Type)], profile.SurvivalKnown);
        return new AllocationRecordingResult
        {
            Recording = Describe(profile, null),
            Types = [.. totals.Select(t => new AllocatedType { Type = t.Type, EstimatedBytes = (long)Math.Round(t.Bytes), Samples = t.Samples, Sites = sites[t.Type] })],
        };
    }
}
