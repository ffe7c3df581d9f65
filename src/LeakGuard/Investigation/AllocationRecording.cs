using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace LeakGuard.Investigation;

/// <summary>
/// Records sampled allocations with their call stacks from the own process: an EventPipe session through the same
/// diagnostics IPC channel as the heap snapshots, with the runtime provider's allocation sampling event and stack
/// walks, read on a dedicated thread by TraceEvent's <see cref="EventPipeEventSource"/>. Each sample's stack is kept as
/// code addresses (<see cref="EventStack"/>, <see cref="RecordedStacks"/>); the session ends with the runtime's rundown of
/// its code (every method with native code at that moment: address range, name, module — code compiled or re-compiled
/// during the window included), from which only the methods the kept stacks run through are named.
/// </summary>
/// <remarks>
/// Bounded: the session stops by itself after <see cref="MaxSamples"/> samples and keeps at most
/// <see cref="MaxStacks"/> distinct (type, stack) pairs and as many distinct stacks of at most
/// <see cref="RecordedStacks.MaxFrames"/> addresses (≤ 10 MB); only sample counts are kept, never objects, and for survival
/// each counted sample's address (<see cref="SampledObjectSurvival"/>: 32 bytes a sample, dead ones dropped at each GC).
/// No event is kept once read (a <c>TraceLog</c>, used before, kept tables of every event, method and module: ~35 MB live).
/// A recording that lost events or failed yields no samples at all (<see cref="AllocationRecordingException"/>).
/// </remarks>
internal sealed class AllocationRecording
{
    /// <summary>The most samples one recording counts (about 10 GB allocated at the runtime's 100 KB sampling distance).</summary>
    public const int MaxSamples = 100_000;

    /// <summary>The most distinct (type, stack) pairs kept.</summary>
    public const int MaxStacks = 20_000;

    private const int BufferMegabytes = 32;
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly EventPipeSession _session;
    private readonly AllocationTally _tally;
    private readonly RecordedStacks _stackTable = new(MaxStacks);
    private readonly ulong[] _frames = new ulong[RecordedStacks.MaxFrames];
    private readonly SampledObjectSurvival? _survival;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IReadOnlyList<AllocationStack> _stacks = [];
    private Exception? _error;
    private int _eventsLost;
    private int _stopRequested;
    private int _abandoned;
    private TimeSpan _duration;

    private AllocationRecording(EventPipeSession session, AllocationEventKind kind, int maxSamples, bool trackSurvival)
    {
        _session = session;
        _tally = new AllocationTally(maxSamples, MaxStacks);
        _survival = trackSurvival ? new SampledObjectSurvival() : null;
        Kind = kind;
    }

    /// <summary>Gets the event sampled.</summary>
    public AllocationEventKind Kind { get; }

    /// <summary>Gets a task that completes when the session's stream has ended (stopped, at its sample cap, or failed).</summary>
    internal Task Finished => _finished.Task;

    /// <summary>Starts a recording.</summary>
    /// <param name="kind">The event to sample (<see cref="AllocationSampling.For"/>).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running recording, once its reader has started.</returns>
    /// <exception cref="ServerNotAvailableException">The diagnostics IPC channel is disabled.</exception>
    /// <exception cref="AllocationRecordingException">The session could not be read.</exception>
    public static Task<AllocationRecording> StartAsync(AllocationEventKind kind, CancellationToken cancellationToken) =>
        StartAsync(kind, nameFrames: true, cancellationToken);

    /// <summary>Starts a recording.</summary>
    /// <param name="kind">The event to sample (<see cref="AllocationSampling.For"/>).</param>
    /// <param name="nameFrames">
    /// Whether the session ends with the runtime's rundown of its code, which names the frames (code compiled during the
    /// recording included); without it no frame is named (measurements compare both).
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running recording, once its reader has started.</returns>
    public static Task<AllocationRecording> StartAsync(AllocationEventKind kind, bool nameFrames, CancellationToken cancellationToken) =>
        StartAsync(kind, nameFrames, MaxSamples, trackSurvival: true, cancellationToken);

    /// <summary>Starts a recording.</summary>
    /// <param name="kind">The event to sample.</param>
    /// <param name="nameFrames">Whether the session ends with the rundown that names the frames.</param>
    /// <param name="trackSurvival">
    /// Whether to follow the sampled objects through the GCs (GC and GCHeapSurvivalAndMovement keywords) to rank stacks by
    /// the bytes that survived the window; without it they rank by bytes allocated (measurements compare both).
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running recording.</returns>
    public static Task<AllocationRecording> StartAsync(AllocationEventKind kind, bool nameFrames, bool trackSurvival, CancellationToken cancellationToken) =>
        StartAsync(kind, nameFrames, MaxSamples, trackSurvival, cancellationToken);

    /// <summary>Starts a recording that stops its session by itself after <paramref name="maxSamples"/> samples.</summary>
    /// <param name="kind">The event to sample.</param>
    /// <param name="nameFrames">Whether the session ends with the rundown that names the frames.</param>
    /// <param name="maxSamples">The sample cap (<see cref="MaxSamples"/> in production; tests lower it).</param>
    /// <param name="trackSurvival">Whether to follow the sampled objects through the GCs.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running recording.</returns>
    internal static Task<AllocationRecording> StartAsync(AllocationEventKind kind, bool nameFrames, int maxSamples, bool trackSurvival, CancellationToken cancellationToken) =>
        StartAsync(kind, nameFrames, maxSamples, trackSurvival, stackWalks: true, cancellationToken);

    /// <summary>Starts a recording, with or without the runtime's stack walks (measurements compare both).</summary>
    /// <param name="kind">The event to sample.</param>
    /// <param name="nameFrames">Whether the session ends with the rundown that names the frames.</param>
    /// <param name="maxSamples">The sample cap.</param>
    /// <param name="trackSurvival">Whether to follow the sampled objects through the GCs.</param>
    /// <param name="stackWalks">Whether the runtime walks each event's stack; without, every sample is counted under no stack.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running recording.</returns>
    internal static async Task<AllocationRecording> StartAsync(AllocationEventKind kind, bool nameFrames, int maxSamples, bool trackSurvival, bool stackWalks, CancellationToken cancellationToken)
    {
        if (stackWalks && !EventStack.Available)
        {
            // Said in the report's allocation section (allocations.missing) rather than a table of samples without stacks.
            throw new AllocationRecordingException("this TraceEvent version no longer keeps an event's stack where LeakGuard reads it.");
        }

        var client = new DiagnosticsClient(Environment.ProcessId);
        // AllocationSampled is Informational, GCAllocationTick Verbose. No method events during the window: the rundown at
        // the session's end names all code, including what was compiled (or re-compiled at a higher tier) meanwhile. With
        // AllocationSampled the runtime is asked for only the events read (RecordedEvents): the keywords carry some 70 more
        // per GC that nothing reads.
        var keywords = (kind == AllocationEventKind.Sampled ? AllocationSampling.AllocationSampledKeyword : AllocationSampling.GcKeyword)
            | (trackSurvival ? AllocationSampling.GcKeyword | AllocationSampling.SurvivalKeyword : 0);
        var level = kind == AllocationEventKind.Tick ? EventLevel.Verbose : EventLevel.Informational;
        var ids = RecordedEvents.Ids(kind, trackSurvival);
        EventPipeSession session;
        try
        {
            session = await StartSessionAsync(client, level, keywords, ids, nameFrames, stackWalks, cancellationToken).ConfigureAwait(false);
        }
        catch (ServerErrorException) when (ids is not null)
        {
            // A runtime that refuses the filtered session's command (CollectTracing5) still records, unfiltered.
            session = await StartSessionAsync(client, level, keywords, null, nameFrames, stackWalks, cancellationToken).ConfigureAwait(false);
        }

        var recording = new AllocationRecording(session, kind, maxSamples, trackSurvival);
        var thread = new Thread(recording.Run) { IsBackground = true, Name = "LeakGuard allocation recording" };
        thread.Start();
        try
        {
            await Task.WhenAny(recording._started.Task, recording._finished.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled while starting: what the half-started session saw does not matter.
            recording.Abandon();
            throw;
        }

        if (recording._finished.Task.IsCompleted)
        {
            session.Dispose();
            throw new AllocationRecordingException("The allocation session ended at its start: " + (recording._error?.Message ?? "no events."), recording._error!);
        }

        return recording;
    }

    private static Task<EventPipeSession> StartSessionAsync(DiagnosticsClient client, EventLevel level, long keywords, uint[]? ids, bool rundown, bool stackWalks, CancellationToken cancellationToken)
    {
        var provider = ids is null
            ? new EventPipeProvider(RuntimeProvider, level, keywords)
            : new EventPipeProvider(RuntimeProvider, level, keywords, arguments: null, new EventPipeProviderEventFilter(enable: true, ids));
        var configuration = new EventPipeSessionConfiguration([provider], BufferMegabytes, requestRundown: rundown, requestStackwalk: stackWalks);
        return client.StartEventPipeSessionAsync(configuration, cancellationToken);
    }

    /// <summary>Gets or sets what the reader thread runs once the stream has ended, before it resolves the stacks (a test seam).</summary>
    internal Action? BeforeResolve { get; set; }

    /// <summary>
    /// Ends the recording without its result, for an investigation that was cancelled (the host is stopping): the session is
    /// closed and the reader is not waited for. Resolving the stacks of what it read (method names from a rundown of
    /// the runtime's code) takes a while, longer under load and with many generated assemblies; measured in CI, a stop that
    /// waited for it held the host's shutdown for its whole 10-s timeout and the process then did not exit within 20 s.
    /// </summary>
    public void Abandon()
    {
        Volatile.Write(ref _abandoned, 1);
        Volatile.Write(ref _stopRequested, 1);
        _session.Dispose();
    }

    /// <summary>Stops the session and returns what it saw.</summary>
    /// <param name="cancellationToken">Cancels the wait for the reader: the recording is then abandoned (<see cref="Abandon"/>).</param>
    /// <returns>The samples per type and stack.</returns>
    /// <exception cref="AllocationRecordingException">The recording failed or lost events.</exception>
    public async Task<AllocationProfile> StopAsync(CancellationToken cancellationToken)
    {
        if (_survival is not null && !_finished.Task.IsCompleted)
        {
            // The verdict at the end of the window: one gen1 collection condemns every sample not yet in gen2, so neither
            // the objects allocated since the last GC nor those promoted to gen1 and dropped since stay counted alive.
            // Measured on the web sample (server GC, 2–3 GCs in a 5-s window), without it the churn allocated after the
            // last GC and the churn caught alive by one outweighed a leak of the same type. Snapshot B, taken next, runs
            // a full blocking GC anyway.
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        }

        await StopSessionAsync().ConfigureAwait(false);
        try
        {
            await _finished.Task.WaitAsync(StopTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            // The stream did not end after the stop command: closing the session ends the reader.
            _session.Dispose();
            await _finished.Task.ConfigureAwait(false);
            throw new AllocationRecordingException("The allocation session did not stop.", ex);
        }
        catch (OperationCanceledException)
        {
            Abandon();
            throw;
        }
        finally
        {
            _session.Dispose();
        }

        if (_error is { } error)
        {
            throw new AllocationRecordingException("Reading the allocation events failed: " + error.Message, error);
        }

        if (_eventsLost > 0)
        {
            throw new AllocationRecordingException($"The allocation session lost {_eventsLost} events (its {BufferMegabytes} MB buffer overflowed).");
        }

        return new AllocationProfile
        {
            Kind = Kind,
            Stacks = _stacks,
            Samples = _tally.Samples,
            Duration = _duration,
            StoppedEarly = _tally.Full,
            SurvivalKnown = _survival is { Unknown: null },
            SurvivalMissing = _survival is null ? "this recording does not follow its samples through the GCs" : _survival.Unknown,
            GarbageCollections = _survival?.Collections ?? 0,
        };
    }

    private async Task StopSessionAsync()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
        {
            return;
        }

        try
        {
            await _session.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ServerErrorException or IOException or TimeoutException or ObjectDisposedException)
        {
            // The session may already be gone (the stream ended); the reader's end is what matters.
        }
    }

    private void Run()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            if (Kind == AllocationEventKind.Sampled)
            {
                source.Clr.AllocationSampling += data => Count(
                    data, data.TypeID, data.TypeName, AllocationSampling.EstimatedBytes(data.ObjectSize), data.Address, data.AllocationKind != GCAllocationKind.Small);
            }
            else
            {
                source.Clr.GCAllocationTick += data => Count(
                    data, data.TypeID, data.TypeName, data.AllocationAmount64, data.Address, data.AllocationKind != GCAllocationKind.Small);
            }

            if (_survival is { } survival)
            {
                source.Clr.GCStart += data => survival.Started(data.Count, data.Depth, data.Type == GCType.BackgroundGC);
                source.Clr.GCStop += data => survival.Ended(data.Count);
                source.Clr.GCBulkSurvivingObjectRanges += data =>
                {
                    for (var i = 0; i < data.Count; i++)
                    {
                        var range = data.Values(i);
                        survival.Survived(range.RangeBase, range.RangeLength);
                    }
                };
                source.Clr.GCBulkMovedObjectRanges += data =>
                {
                    for (var i = 0; i < data.Count; i++)
                    {
                        var range = data.Values(i);
                        survival.Moved(range.OldRangeBase, range.NewRangeBase, range.RangeLength);
                    }
                };
            }

            // The rundown at the session's end: every method with native code, and every module.
            var rundown = new ClrRundownTraceEventParser(source);
            // Names are read (and their strings made) only for the methods a kept stack runs through.
            rundown.MethodDCStopVerbose += data =>
            {
                if (_stackTable.RunsThrough(data.MethodStartAddress, (uint)data.MethodSize))
                {
                    _stackTable.AddMethod(data.MethodStartAddress, (uint)data.MethodSize, data.MethodNamespace, data.MethodName, data.MethodSignature, data.ModuleID);
                }
            };
            rundown.LoaderModuleDCStop += data => _stackTable.AddModule(data.ModuleID, data.ModuleILPath);

            _started.TrySetResult();
            source.Process();
            _duration = _clock.Elapsed;
            _eventsLost = source.EventsLost;
            BeforeResolve?.Invoke();
            if (Volatile.Read(ref _abandoned) != 0)
            {
                return;
            }

            _stacks = _tally.Resolve(Frames, _survival?.Surviving());
        }
#pragma warning disable CA1031 // The thread must never crash the host; the failure is reported to the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _error = ex;
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    private void Count(TraceEvent data, ulong typeId, string typeName, double estimatedBytes, ulong address, bool oldGeneration)
    {
        var stack = _stackTable.Intern(_frames.AsSpan(0, EventStack.Read(data, _frames)));
        if (_tally.Add(typeId, typeName, stack, estimatedBytes, out var entry))
        {
            _survival?.Sampled(address, entry, estimatedBytes, oldGeneration);
        }
        else if (Volatile.Read(ref _stopRequested) == 0)
        {
            // The cap is reached: stop the session rather than keep paying for events that are no longer counted.
            _ = Task.Run(StopSessionAsync);
        }
    }

    private string[]? Frames(int stack)
    {
        var folded = AllocationStackFolder.Fold(_stackTable.Frames(stack), out var ownOnly);
        return ownOnly ? null : folded;
    }
}
