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
/// <para>
/// Throttled (<see cref="SampleBudget"/>): a process that allocates more than <see cref="SamplesPerSecond"/> samples a
/// second (about 30 MB/s) is recorded in bursts — the session closes when the budget runs dry and a new one opens when
/// it is full again — so the recording's cost, which is per sample, stops growing with the allocation rate. The bytes
/// shown are scaled from the time the sessions were open to the whole recording. The rundown that names the frames
/// comes from one short session of its own at the end, not from each burst's.
/// </para>
/// </remarks>
internal sealed class AllocationRecording
{
    /// <summary>The most samples one recording counts (about 10 GB allocated at the runtime's 100 KB sampling distance).</summary>
    public const int MaxSamples = 100_000;

    /// <summary>The most distinct (type, stack) pairs kept.</summary>
    public const int MaxStacks = 20_000;

    /// <summary>The samples a second a recording takes on average, at most (<see cref="SampleBudget"/>).</summary>
    public const double SamplesPerSecond = 300;

    /// <summary>The seconds of <see cref="SamplesPerSecond"/> one burst may take before its session closes.</summary>
    public const double BurstSeconds = 5;

    private const int BufferMegabytes = 32;
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly DiagnosticsClient _client;
    private readonly SessionRequest _request;
    private readonly bool _nameFrames;
    private readonly SampleBudget _budget;
    private readonly AllocationTally _tally;
    private readonly RecordedStacks _stackTable = new(MaxStacks);
    private readonly ulong[] _frames = new ulong[RecordedStacks.MaxFrames];
    private readonly SampledObjectSurvival? _survival;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private EventPipeSession? _session;
    private bool _woken;
    private IReadOnlyList<AllocationStack> _stacks = [];
    private Exception? _error;
    private int _eventsLost;
    private int _stopRequested;
    private int _pauseRequested;
    private int _abandoned;
    private TimeSpan _duration;
    private TimeSpan _recorded;
    private long _stopSentTicks = -1;
    private long _finalStopTicks = -1;
    private int _opened = 1;
    private int _closingFrom = int.MaxValue;
    private bool _dry;
    private int _collectionsAtOpen;

    private AllocationRecording(DiagnosticsClient client, EventPipeSession session, SessionRequest request, bool nameFrames, AllocationEventKind kind, int maxSamples, bool trackSurvival, SampleBudget budget)
    {
        _client = client;
        _session = session;
        _request = request;
        _nameFrames = nameFrames;
        _budget = budget;
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
    internal static Task<AllocationRecording> StartAsync(AllocationEventKind kind, bool nameFrames, int maxSamples, bool trackSurvival, bool stackWalks, CancellationToken cancellationToken) =>
        StartAsync(kind, nameFrames, maxSamples, trackSurvival, stackWalks, new SampleBudget(SamplesPerSecond, SamplesPerSecond * BurstSeconds), cancellationToken);

    /// <summary>Starts a recording with a given sample budget (measurements and tests vary it).</summary>
    /// <param name="kind">The event to sample.</param>
    /// <param name="nameFrames">Whether the recording ends with the rundown that names the frames.</param>
    /// <param name="maxSamples">The sample cap.</param>
    /// <param name="trackSurvival">Whether to follow the sampled objects through the GCs.</param>
    /// <param name="stackWalks">Whether the runtime walks each event's stack.</param>
    /// <param name="budget">The sample rate budget (a rate of <see cref="double.PositiveInfinity"/>: one session, never paused).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running recording.</returns>
    internal static async Task<AllocationRecording> StartAsync(AllocationEventKind kind, bool nameFrames, int maxSamples, bool trackSurvival, bool stackWalks, SampleBudget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (stackWalks && !EventStack.Available)
        {
            // Said in the report's allocation section (allocations.missing) rather than a table of samples without stacks.
            throw new AllocationRecordingException("this TraceEvent version no longer keeps an event's stack where LeakGuard reads it.");
        }

        var client = new DiagnosticsClient(Environment.ProcessId);
        // AllocationSampled is Informational, GCAllocationTick Verbose. No method events during the window: the rundown at
        // the end names all code, including what was compiled (or re-compiled at a higher tier) meanwhile. With
        // AllocationSampled the runtime is asked for only the events read (RecordedEvents): the keywords carry some 70 more
        // per GC that nothing reads.
        var keywords = (kind == AllocationEventKind.Sampled ? AllocationSampling.AllocationSampledKeyword : AllocationSampling.GcKeyword)
            | (trackSurvival ? AllocationSampling.GcKeyword | AllocationSampling.SurvivalKeyword : 0);
        var level = kind == AllocationEventKind.Tick ? EventLevel.Verbose : EventLevel.Informational;
        var request = new SessionRequest(level, keywords, RecordedEvents.Ids(kind, trackSurvival), stackWalks);
        EventPipeSession session;
        try
        {
            session = await StartSessionAsync(client, request, cancellationToken).ConfigureAwait(false);
        }
        catch (ServerErrorException) when (request.Ids is not null)
        {
            // A runtime that refuses the filtered session's command (CollectTracing5) still records, unfiltered.
            request = request with { Ids = null };
            session = await StartSessionAsync(client, request, cancellationToken).ConfigureAwait(false);
        }

        var recording = new AllocationRecording(client, session, request, nameFrames, kind, maxSamples, trackSurvival, budget);
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
            recording.CloseSession();
            throw new AllocationRecordingException("The allocation session ended at its start: " + (recording._error?.Message ?? "no events."), recording._error!);
        }

        return recording;
    }

    private static Task<EventPipeSession> StartSessionAsync(DiagnosticsClient client, SessionRequest request, CancellationToken cancellationToken)
    {
        var provider = request.Ids is null
            ? new EventPipeProvider(RuntimeProvider, request.Level, request.Keywords)
            : new EventPipeProvider(RuntimeProvider, request.Level, request.Keywords, arguments: null, new EventPipeProviderEventFilter(enable: true, request.Ids));
        var configuration = new EventPipeSessionConfiguration([provider], BufferMegabytes, requestRundown: false, requestStackwalk: request.StackWalks);
        return client.StartEventPipeSessionAsync(configuration, cancellationToken);
    }

    // The session that names the frames: nothing of the runtime's but its rundown at the end (every method with native
    // code, and every module). The runtime provider at Critical level with the allocation keyword fires nothing.
    private static Task<EventPipeSession> StartRundownSessionAsync(DiagnosticsClient client, CancellationToken cancellationToken)
    {
        var provider = new EventPipeProvider(RuntimeProvider, EventLevel.Critical, AllocationSampling.AllocationSampledKeyword);
        var configuration = new EventPipeSessionConfiguration([provider], BufferMegabytes, requestRundown: true, requestStackwalk: false);
        return client.StartEventPipeSessionAsync(configuration, cancellationToken);
    }

    /// <summary>Gets the number of sessions opened so far (1 until the sample budget first closes one).</summary>
    internal int SessionsOpened => Volatile.Read(ref _opened);

    /// <summary>Gets or sets what <see cref="StopAsync"/> runs after the closing GC, before it stops the session (a test seam).</summary>
    internal Action? AfterWindowClosed { get; set; }

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
        Wake();
        CloseSession();
    }

    /// <summary>Stops the session and returns what it saw.</summary>
    /// <param name="cancellationToken">Cancels the wait for the reader: the recording is then abandoned (<see cref="Abandon"/>).</param>
    /// <returns>The samples per type and stack.</returns>
    /// <exception cref="AllocationRecordingException">The recording failed or lost events.</exception>
    public async Task<AllocationProfile> StopAsync(CancellationToken cancellationToken)
    {
        if (_survival is not null && !_finished.Task.IsCompleted && OpenSession is not null)
        {
            // The verdict at the end of the window: one gen1 collection condemns every sample not yet in gen2, so neither
            // the objects allocated since the last GC nor those promoted to gen1 and dropped since stay counted alive.
            // Measured on the web sample (server GC, 2–3 GCs in a 5-s window), without it the churn allocated after the
            // last GC and the churn caught alive by one outweighed a leak of the same type. Snapshot B, taken next, runs
            // a full blocking GC anyway. When the budget has closed the session, its samples were settled then.
            // The reader lags behind the runtime: it knows the closing GC by its number (the runtime's count of GCs), not by
            // when it reads it.
            var closingFrom = GC.CollectionCount(0) + 1;
            Volatile.Write(ref _closingFrom, closingFrom);
            CloseWindow(closingFrom, LastBlockingCollection, static () => GC.Collect(1, GCCollectionMode.Forced, blocking: true));
            AfterWindowClosed?.Invoke();
        }

        await StopSessionAsync().ConfigureAwait(false);
        try
        {
            await _finished.Task.WaitAsync(StopTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            // The stream did not end after the stop command: closing the session ends the reader.
            Volatile.Write(ref _abandoned, 1);
            CloseSession();
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
            CloseSession();
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
            Recorded = _recorded,
            Sessions = SessionsOpened,
            StoppedEarly = _tally.Full,
            SurvivalKnown = _survival is { Unknown: null },
            SurvivalMissing = _survival is null ? "this recording does not follow its samples through the GCs" : _survival.Unknown,
            GarbageCollections = _survival?.Collections ?? 0,
        };
    }

    /// <summary>
    /// Induces the collection that closes the window: a blocking gen1 GC. The runtime may serve an induced gen1 request
    /// with a background gen2 GC (it raises the generation, and a background GC then runs it) — measured on the web
    /// sample (server GC, 2026-12-06): the closing GC of every window was a background gen2, so nothing allocated since
    /// the last GC the runtime ran by itself was judged. A background GC judges no death
    /// (<see cref="SampledObjectSurvival"/>), so when no blocking GC numbered <paramref name="closingFrom"/> or later has
    /// ended after the request, it is made once more: while a background GC runs, only ephemeral GCs run, in the
    /// foreground (measured: the second request ran as a blocking gen1 in every window).
    /// </summary>
    /// <param name="closingFrom">The number the closing GC will have (the runtime's count of GCs so far, plus one).</param>
    /// <param name="lastBlocking">The number of the last blocking GC that ended.</param>
    /// <param name="collect">Induces a blocking gen1 GC.</param>
    /// <returns>The number of requests made (1 or 2).</returns>
    internal static int CloseWindow(long closingFrom, Func<long> lastBlocking, Action collect)
    {
        collect();
        if (lastBlocking() >= closingFrom)
        {
            return 1;
        }

        collect();
        return 2;
    }

    /// <summary>The number of the last blocking GC that ended (ephemeral or full).</summary>
    internal static long LastBlockingCollection() =>
        Math.Max(GC.GetGCMemoryInfo(GCKind.Ephemeral).Index, GC.GetGCMemoryInfo(GCKind.FullBlocking).Index);

    // The session open now, if any (the reader swaps it when a burst ends and the next opens).
    private EventPipeSession? OpenSession
    {
        get
        {
            lock (_gate)
            {
                return _session;
            }
        }
    }

    // The stop ends the reader's wait for the budget at once.
    private void Wake()
    {
        lock (_gate)
        {
            _woken = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void WaitForWake(TimeSpan wait)
    {
        var deadline = _clock.Elapsed + wait;
        lock (_gate)
        {
            while (!_woken)
            {
                var left = deadline - _clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    private void CloseSession() => OpenSession?.Dispose();

    // When a session or the recording closed: when its stop was sent, not when its stream ended. The reader gets the
    // runtime's events in batches (about every 100 ms, measured: the first of a session read ~75 ms after it opened, the
    // stream ending ~100 ms after the stop), so the stream's end comes a batch after the last event the session could
    // have had; timed to it, a 200-ms burst counted 300 ms and the scaled bytes read half what the window allocated.
    // A stream that ended by itself closed when it ended; a stop sent before the session opened is not its own.
    private TimeSpan Closed(ref long stopTicks, TimeSpan opened)
    {
        var now = _clock.Elapsed;
        var sent = Interlocked.Exchange(ref stopTicks, -1);
        return sent >= opened.Ticks && sent < now.Ticks ? TimeSpan.FromTicks(sent) : now;
    }

    // The final stop: no session opens after it.
    private Task StopSessionAsync()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
        {
            return Task.CompletedTask;
        }

        Interlocked.CompareExchange(ref _finalStopTicks, _clock.Elapsed.Ticks, -1);
        Wake();
        return StopOpenSessionAsync();
    }

    // Stops the session open now; after a pause (the budget ran dry) the reader opens the next when the budget is full again.
    private async Task StopOpenSessionAsync()
    {
        if (OpenSession is not { } session)
        {
            return;
        }

        Interlocked.CompareExchange(ref _stopSentTicks, _clock.Elapsed.Ticks, -1);
        try
        {
            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
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
            var session = _session!;
            while (true)
            {
                var opened = _clock.Elapsed;
                var lost = Read(session);
                _recorded += Closed(ref _stopSentTicks, opened) - opened;
                _eventsLost += lost;
                lock (_gate)
                {
                    _session = null;
                }

                session.Dispose();
                if (Volatile.Read(ref _stopRequested) != 0 || Volatile.Read(ref _pauseRequested) == 0 || _tally.Full || _eventsLost > 0)
                {
                    // Stopped, at the sample cap, events lost, or the stream ended by itself.
                    break;
                }

                // The budget closed the session: its samples keep their verdicts, and the next session opens once the
                // budget is full again (at once when the stop comes first).
                _survival?.EndPeriod();
                WaitForWake(_budget.UntilFull(_clock.Elapsed));
                if (Volatile.Read(ref _stopRequested) != 0)
                {
                    break;
                }

                session = StartSessionAsync(_client, _request, CancellationToken.None).GetAwaiter().GetResult();
                lock (_gate)
                {
                    if (Volatile.Read(ref _stopRequested) != 0)
                    {
                        session.Dispose();
                        break;
                    }

                    _session = session;
                    Volatile.Write(ref _pauseRequested, 0);
                    _dry = false;
                    _collectionsAtOpen = _survival?.Collections ?? 0;
                    Interlocked.Increment(ref _opened);
                }
            }

            _duration = Closed(ref _finalStopTicks, TimeSpan.Zero);
            if (_nameFrames && Volatile.Read(ref _abandoned) == 0 && _eventsLost == 0)
            {
                ReadRundown();
            }

            BeforeResolve?.Invoke();
            if (Volatile.Read(ref _abandoned) != 0)
            {
                return;
            }

            // The samples stand for the time a session was open; the bytes are scaled to the whole recording.
            var scale = _recorded > TimeSpan.Zero && _duration > _recorded ? _duration / _recorded : 1;
            _stacks = _tally.Resolve(Frames, _survival?.Surviving(), scale);
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

    // Reads one session's stream to its end; returns the events it lost.
    private int Read(EventPipeSession session)
    {
        using var source = new EventPipeEventSource(session.EventStream);
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
            source.Clr.GCStart += data => survival.Started(
                data.Count, data.Depth, data.Type == GCType.BackgroundGC, closing: data.Reason == GCReason.Induced && data.Count >= Volatile.Read(ref _closingFrom));
            source.Clr.GCStop += data =>
            {
                survival.Ended(data.Count);
                PauseIfDry();
            };
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

        _started.TrySetResult();
        source.Process();
        return source.EventsLost;
    }

    // The runtime's rundown, from a session of its own: every method with native code at the end (code compiled or
    // re-compiled at a higher tier during the recording included), named only where a kept stack runs through it.
    private void ReadRundown()
    {
        if (_stackTable.Count == 0)
        {
            return;
        }

        var session = StartRundownSessionAsync(_client, CancellationToken.None).GetAwaiter().GetResult();
        lock (_gate)
        {
            _session = session;
        }

        try
        {
            if (Volatile.Read(ref _abandoned) != 0)
            {
                return;
            }

            // The rundown is written when the session stops; the stream then ends.
            _ = Task.Run(StopOpenSessionAsync);
            using var source = new EventPipeEventSource(session.EventStream);
            var rundown = new ClrRundownTraceEventParser(source);
            rundown.MethodDCStopVerbose += data =>
            {
                if (_stackTable.RunsThrough(data.MethodStartAddress, (uint)data.MethodSize))
                {
                    _stackTable.AddMethod(data.MethodStartAddress, (uint)data.MethodSize, data.MethodNamespace, data.MethodName, data.MethodSignature, data.ModuleID);
                }
            };
            rundown.LoaderModuleDCStop += data => _stackTable.AddModule(data.ModuleID, data.ModuleILPath);
            source.Process();
        }
        finally
        {
            lock (_gate)
            {
                _session = null;
            }

            session.Dispose();
        }
    }

    private void Count(TraceEvent data, ulong typeId, string typeName, double estimatedBytes, ulong address, bool oldGeneration)
    {
        if (_survival is { WindowClosed: true })
        {
            // Allocated after the closing GC, while the session was being stopped: outside the window. Measured on the web
            // sample (CI, 2026-12-06): one 50-ms tick of the traffic simulator's 4 KB arrays (8 samples on a stack of
            // their own) fell there; tracked and never condemned, its stack had no judged sample.
            return;
        }

        var stack = _stackTable.Intern(_frames.AsSpan(0, EventStack.Read(data, _frames)));
        if (_tally.Add(typeId, typeName, stack, estimatedBytes, out var entry))
        {
            _survival?.Sampled(address, entry, estimatedBytes, oldGeneration);
            if (!_budget.Take(_clock.Elapsed))
            {
                _dry = true;
                PauseIfDry();
            }
        }
        else if (Volatile.Read(ref _stopRequested) == 0)
        {
            // The cap is reached: stop the session rather than keep paying for events that are no longer counted.
            _ = Task.Run(StopSessionAsync);
        }
    }

    // The budget ran dry: close this session rather than keep paying for samples beyond the rate — once a blocking GC
    // has ended in it when the samples are followed through the GCs, so that every burst's samples are judged (a host
    // with a large gen0 budget can allocate a whole burst between two GCs). What arrives meanwhile is owed to the budget.
    private void PauseIfDry()
    {
        if (_dry && (_survival is null || _survival.Collections > _collectionsAtOpen) && Interlocked.Exchange(ref _pauseRequested, 1) == 0)
        {
            _ = Task.Run(StopOpenSessionAsync);
        }
    }

    private string[]? Frames(int stack)
    {
        var folded = AllocationStackFolder.Fold(_stackTable.Frames(stack), out var ownOnly);
        return ownOnly ? null : folded;
    }

    private readonly record struct SessionRequest(EventLevel Level, long Keywords, uint[]? Ids, bool StackWalks);
}
