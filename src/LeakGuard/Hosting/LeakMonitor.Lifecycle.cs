using System.Diagnostics;
using LeakGuard.Hosting;
using LeakGuard.Sources;

namespace LeakGuard;

/// <content>Starting and stopping: sources, the sampling loop and the restart record.</content>
public sealed partial class LeakMonitor
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private int _state;
    private int _disposed;
    private DateTimeOffset _startedAt;
    private RecyclePolicy _recycle;
    private IGcEventSource? _gcSource;
    private IMemoryProbe? _probe;
    private Task _loop = Task.CompletedTask;
    private RestartState? _previousState;
    private bool _previousCorrupt;
    private RestartState _currentState = new();
    private StateDirectoryLock? _stateLock;

    /// <summary>Starts sampling; a second call does nothing.</summary>
    /// <param name="runLoop">Whether to run the sampling loop (tests drive <see cref="Tick"/> themselves): on its own
    /// thread with the system clock, on a <see cref="PeriodicTimer"/> of the given <see cref="TimeProvider"/> otherwise.</param>
    internal void StartSampling(bool runLoop)
    {
        if (Interlocked.CompareExchange(ref _state, Running, Created) != Created)
        {
            return;
        }

        if (!_options.Enabled)
        {
            Log.Disabled(_logger);
            Volatile.Write(ref _state, Stopped);
            return;
        }

        _startedAt = _time.GetUtcNow();
        _recycle = new RecyclePolicy(_options.Recycle, _startedAt);
        if (_stateStore is not null && _options.StateDirectory is { } stateDirectory)
        {
            // Another live instance's record is neither its predecessor's exit nor ours to overwrite: restart awareness is off here.
            _stateLock = StateDirectoryLock.TryAcquire(stateDirectory, out var shared, out var owner);
            if (shared)
            {
                Log.StateDirectoryShared(_logger, stateDirectory, owner?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
                _stateStore = null;
            }
        }

        if (_stateStore is not null)
        {
            // Read before the first write: this start's record replaces the previous instance's.
            _previousState = _stateStore.ReadPrevious(out _previousCorrupt);
            _currentState = new RestartState { ProcessId = Environment.ProcessId, StartedAt = _startedAt, LastSeenAt = _startedAt };
            _stateStore.Write(_startedAt, _currentState, force: true);
            HookOutOfMemory();
            StartLifetime(_options.StateDirectory!);
        }

        if (_options.Snapshots.Mode != SnapshotMode.Off && _options.Reports.Directory is { Length: > 0 } reports
            && Investigation.ReportStore.WritableProblem(reports) is { } problem)
        {
            Log.ReportsDirectoryUnwritable(_logger, reports, problem);
        }

        try
        {
            _gcSource = _components.CreateGcEventSource(_options, _logger);
            _gcSource.GcCompleted += OnGcCompleted;
            _probe = _components.CreateMemoryProbe(_gcSource);
        }
#pragma warning disable CA1031 // Never throw into the host: without sources LeakGuard is off, the application runs on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SourcesFailed(_logger, ex);
            DisposeSources();
            Volatile.Write(ref _state, Stopped);
            return;
        }

        Log.Started(_logger, _options.SampleInterval, _options.WarmUp, _options.Detection.Window, _options.Snapshots.Mode);
        if (runLoop)
        {
            var token = _stopping.Token;
            _loop = ReferenceEquals(_time, TimeProvider.System)
                ? StartSamplingThread(token)
                : Task.Run(() => RunLoopAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Stops sampling and records a clean exit; safe to call more than once.</summary>
    /// <param name="cancellationToken">Stops waiting for a running investigation (the host's shutdown timeout).</param>
    /// <returns>A task that completes when the loop has ended.</returns>
    internal async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, Stopped) != Running)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        try
        {
            await _autoInvestigation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout wins over a snapshot that ignores cancellation.
        }

        DisposeSources();
        UnhookOutOfMemory();
        TrackGcLimitHitAtStop();
        if (_stateStore is not null)
        {
            var now = _time.GetUtcNow();
            _currentState = _currentState with
            {
                LastSeenAt = now,
                OutOfMemory = OutOfMemoryRecorded,
                CleanExit = true,
                ExitReason = _recycle.Triggered ? RestartReasons.Recycled : RestartReasons.CleanExit,
            };
            _stateStore.Write(now, _currentState, force: true);
            PersistLifetimes(now, force: true);
        }

        _stateLock?.Dispose();
        _broadcaster.Complete();
        Log.Stopped(_logger);
    }

    /// <summary>
    /// Runs the sampling loop on a dedicated background thread that sleeps between steps. Unlike a timer on the
    /// thread pool it wakes no timer thread and no pool thread (whose spinning and gate thread cost the host more
    /// than the step itself: docs/performance.md), and it keeps sampling when the application starves the pool,
    /// which is one of the leaks it must see.
    /// </summary>
    private Task StartSamplingThread(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                RunLoopOnThread(cancellationToken);
            }
            finally
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "LeakGuard sampler",
        };
        thread.Start();
        return done.Task;
    }

    private void RunLoopOnThread(CancellationToken cancellationToken)
    {
        // Due times on a monotonic clock, as PeriodicTimer keeps them: a late step does not shift the next ones, and
        // steps missed while the process was frozen collapse into one.
        var step = (long)(_options.SampleInterval.TotalSeconds * Stopwatch.Frequency);
        var wait = cancellationToken.WaitHandle;
        var due = Stopwatch.GetTimestamp();
        while (true)
        {
            due += step;
            var now = Stopwatch.GetTimestamp();
            due = Math.Max(due, now);
            var left = Stopwatch.GetElapsedTime(now, due);
            if (wait.WaitOne(left))
            {
                return;
            }

            SafeTick();
        }
    }

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                SafeTick();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Runs <see cref="Tick"/>, logging instead of throwing.</summary>
    internal void SafeTick()
    {
        try
        {
            Tick();
        }
#pragma warning disable CA1031 // Prioritise the application's reliability over LeakGuard's: log and carry on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LoopFailed(_logger, ex);
        }
    }

    private void OnGcCompleted(GcSample sample)
    {
        // The source's thread: two stores and a histogram record, no allocation (the bounded-memory test holds this).
        _gcRing.Write(sample);
        _metrics.RecordGcPause(sample);
    }

    private void DisposeSources()
    {
        if (Interlocked.Exchange(ref _gcSource, null) is { } gcSource)
        {
            gcSource.GcCompleted -= OnGcCompleted;
            gcSource.Dispose();
        }

        Interlocked.Exchange(ref _probe, null)?.Dispose();
    }
}
