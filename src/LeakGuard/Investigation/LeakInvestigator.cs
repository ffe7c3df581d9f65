using LeakGuard.Sources;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Investigation;

/// <summary>
/// Takes heap snapshots of the own process and turns two of them into a <see cref="LeakReport"/>,
/// honouring the safety rules (one at a time, cooldown, heap-size and headroom limits).
/// Never throws into the caller except for cancellation and <see cref="CaptureHeapSnapshotAsync"/>'s documented failures.
/// </summary>
internal sealed partial class LeakInvestigator : IDisposable
{
    private const int TopTypes = 10;
    private const string UnavailableMessage = "the diagnostics IPC channel is disabled (DOTNET_EnableDiagnostics=0) or has no server";
    private static readonly TimeSpan GrowthPollInterval = TimeSpan.FromSeconds(1);

    private readonly LeakGuardOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HeapSnapshotter _snapshotter;
    private readonly NestedTypeResolver _resolver = new();
    private readonly object _reportsLock = new();
    private readonly List<LeakReport> _reports = [];
    private int _running;
    private int _unavailable;
    private string _unavailableReason = UnavailableMessage;
    // The start of the last automatic investigation of each kind, indexed by InvestigationKind.
    private readonly DateTimeOffset?[] _lastAutomaticStart = new DateTimeOffset?[2];
    private long _lastObjectCount;
    private long _lastHeapBytes;

    /// <summary>
    /// Gets when the cooldown after the last automatic investigation of either kind ends (<c>Snapshots:Cooldown</c>), or
    /// <see langword="null"/> when none is running. Requests from outside (the dashboard's on-demand investigation) wait
    /// for it.
    /// </summary>
    public DateTimeOffset? CooldownEndsAt => Latest(CooldownEnd(InvestigationKind.Managed), CooldownEnd(InvestigationKind.Native));

    /// <summary>Initializes a new instance of the <see cref="LeakInvestigator"/> class.</summary>
    /// <param name="options">The monitor's options (Snapshots and Reports sections).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="environment">Reads environment variables (the process's by default), to find the diagnostics channel switched off.</param>
    public LeakInvestigator(LeakGuardOptions options, TimeProvider timeProvider, ILogger logger, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _snapshotter = new HeapSnapshotter(timeProvider, TimeSpan.FromMinutes(2));
        TakeSnapshot = _snapshotter.TakeAsync;
        if (DiagnosticsChannel.DisabledReason(environment ?? Environment.GetEnvironmentVariable) is { } reason)
        {
            MarkUnavailable(reason);
        }
    }

    /// <summary>Gets a value indicating whether a snapshot or investigation is running.</summary>
    public bool IsRunning => Volatile.Read(ref _running) != 0;

    /// <summary>Gets a value indicating whether snapshots were found unavailable (diagnostics IPC disabled).</summary>
    public bool SnapshotsUnavailable => Volatile.Read(ref _unavailable) != 0;

    /// <summary>Gets why snapshots are unavailable, or <see langword="null"/> while they may work.</summary>
    public string? UnavailableReason => SnapshotsUnavailable ? _unavailableReason : null;

    /// <summary>Gets the reports produced so far, oldest first (bounded).</summary>
    public IReadOnlyList<LeakReport> Reports
    {
        get
        {
            lock (_reportsLock)
            {
                return [.. _reports];
            }
        }
    }

    /// <summary>Occurs when an investigation produced a report.</summary>
    public event Action<LeakReport>? ReportProduced;

    /// <summary>Occurs after every heap snapshot (manual or part of an investigation) with how long it took.</summary>
    public event Action<TimeSpan>? SnapshotTaken;

    /// <summary>Gets or sets how a snapshot is taken (the session buffer in MB → the snapshot); tests replace it.</summary>
    internal Func<int, CancellationToken, Task<HeapSnapshot>> TakeSnapshot { get; set; }

    /// <summary>Gets or sets a fixed session buffer size in MB instead of the estimate (tests use a tiny one); no larger retry then.</summary>
    internal int? FixedBufferMegabytes { get; set; }

    /// <summary>Gets or sets the current heap size in bytes; tests replace it.</summary>
    internal Func<long> HeapBytes { get; set; } = CurrentHeapBytes;

    /// <summary>Gets or sets what takes the native readings of a native investigation (tests stand in for other systems).</summary>
    internal NativeReader NativeReader { get; set; } = new();

    /// <summary>Gets or sets what counts the process's assembly loads (tests give their own).</summary>
    internal LoadedAssemblyTracker Assemblies { get; set; } = LoadedAssemblyTracker.Shared;

    /// <summary>Takes one snapshot now.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>
    /// The summary. The returned task resumes its awaiter on the thread pool, never inline on the snapshotter's
    /// stack: measured, a caller resumed there and then blocking kept the whole graph reachable (66 MB at 4 M
    /// objects), and the next snapshot counted it as the application's <c>Int32[]</c>.
    /// </returns>
    /// <exception cref="InvalidOperationException">
    /// Snapshots are unavailable, another one is running, or the snapshot would not fit under the memory limit (the
    /// configured <c>MemoryLimitBytes</c>, else the GC's available memory): it needs about
    /// <see cref="SnapshotBudget.HeadroomBytesPerObject"/> per estimated live object on top of the working set; the
    /// message names the megabytes needed and left. Nothing is started then.
    /// </exception>
    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<HeapSnapshotSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = CaptureAsync(completion, cancellationToken);
        return completion.Task;
    }

    private async Task CaptureAsync(TaskCompletionSource<HeapSnapshotSummary> completion, CancellationToken cancellationToken)
    {
        if (SnapshotsUnavailable)
        {
            completion.SetException(new InvalidOperationException($"Heap snapshots are unavailable: {_unavailableReason}."));
            return;
        }

        // Checked from the very first call: before the monitor's first sample the configured limit, else the GC's own, bounds it.
        if (HeadroomShortfall(EstimateObjects(HeapBytes()), memoryLimitBytes: null) is { } shortfall)
        {
            completion.SetException(new InvalidOperationException("Not enough memory for a heap snapshot: " + shortfall + "."));
            return;
        }

        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            completion.SetException(new InvalidOperationException("Another heap snapshot or investigation is running."));
            return;
        }

        HeapSnapshotSummary? summary = null;
        Exception? failure = null;
        try
        {
            _ = OwnStaticFields.All;
            (summary, _) = await TakeSummaryAsync(keepGraph: false, cancellationToken).ConfigureAwait(false);
        }
        catch (HeapSnapshotException ex)
        {
            failure = new InvalidOperationException("The heap snapshot failed: " + ex.Message, ex);
        }
        catch (ServerNotAvailableException ex)
        {
            MarkUnavailable(UnavailableMessage);
            failure = new InvalidOperationException($"Heap snapshots are unavailable: {_unavailableReason}.", ex);
        }
#pragma warning disable CA1031 // Whatever else failed (cancellation included) belongs to the caller's task, never to an unobserved one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }
        finally
        {
            // Free before the caller resumes (on another thread), so its next request is not refused as concurrent.
            Volatile.Write(ref _running, 0);
        }

        if (failure is OperationCanceledException canceled)
        {
            completion.SetCanceled(canceled.CancellationToken);
        }
        else if (failure is not null)
        {
            completion.SetException(failure);
        }
        else
        {
            completion.SetResult(summary!);
        }
    }

    /// <summary>Runs an investigation: snapshot, wait, snapshot, diff, report.</summary>
    /// <param name="trigger">The verdict that triggered it, or <see langword="null"/> for a manual request.</param>
    /// <param name="automatic">Whether the safety limits for automatic snapshots apply (heap size, cooldown).</param>
    /// <param name="memoryLimitBytes">The effective memory limit for the headroom check, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the investigation.</param>
    /// <returns>The report, or <see langword="null"/> when skipped (the reason is logged).</returns>
    public async Task<LeakReport?> InvestigateAsync(LeakVerdict? trigger, bool automatic, long? memoryLimitBytes, CancellationToken cancellationToken)
    {
        if (SnapshotsUnavailable)
        {
            // Said once at warning level when it was found out (EventId 104); repeating it would flood the log.
            InvestigationLog.SkippedUnavailable(_logger);
            return null;
        }

        if (SkipReason(automatic, KindOf(trigger), memoryLimitBytes) is { } reason)
        {
            InvestigationLog.InvestigationSkipped(_logger, reason);
            return null;
        }

        return await RunExclusiveAsync(automatic ? KindOf(trigger) : null, token => RunAsync(trigger, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one investigation at a time and turns every failure into a log line and a <see langword="null"/> report
    /// (cancellation excepted): nothing an investigation does may throw into the host.
    /// </summary>
    /// <param name="cooldownKind">The kind whose cooldown an automatic investigation starts; <see langword="null"/> for a manual one.</param>
    /// <param name="run">The investigation.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    private async Task<LeakReport?> RunExclusiveAsync(InvestigationKind? cooldownKind, Func<CancellationToken, Task<LeakReport?>> run, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            InvestigationLog.InvestigationSkipped(_logger, "another heap snapshot or investigation is running.");
            return null;
        }

        try
        {
            if (cooldownKind is { } kind)
            {
                _lastAutomaticStart[(int)kind] = _timeProvider.GetUtcNow();
            }

            return await run(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (HeapSnapshotException ex)
        {
            InvestigationLog.SnapshotFailed(_logger, ex.Message);
            return null;
        }
        catch (ServerNotAvailableException)
        {
            MarkUnavailable(UnavailableMessage);
            return null;
        }
#pragma warning disable CA1031 // Never throw into the host: log and carry on monitoring.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            InvestigationLog.InvestigationFailed(_logger, ex);
            return null;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <inheritdoc />
    public void Dispose() => ReportProduced = null;

    /// <summary>Returns whether a signal's leak is not managed objects: its report is native evidence (and heap snapshots to rule managed growth out).</summary>
    /// <param name="trigger">The verdict that triggered the investigation, or <see langword="null"/> for a manual one.</param>
    /// <returns><see langword="true"/> for <c>native_memory</c>, <c>process_memory</c> and <c>threads</c>.</returns>
    internal static bool IsNativeSignal(LeakVerdict? trigger) => trigger is not null && IsNativeSignal(trigger.Signal);

    /// <summary>Returns whether a signal's leak is not managed objects (<c>native_memory</c>, <c>process_memory</c>, <c>threads</c>).</summary>
    /// <param name="signal">A signal name.</param>
    /// <returns><see langword="true"/> for those three.</returns>
    internal static bool IsNativeSignal(string signal) => signal is LeakSignals.NativeMemory or LeakSignals.ProcessMemory or LeakSignals.Threads;

    // Manual investigations read too: the user asked without saying what leaks. Managed leaks' reports read nothing.
    private static bool ReadsNative(LeakVerdict? trigger) => trigger is null || IsNativeSignal(trigger);

    /// <summary>
    /// Which cooldown an automatic investigation waits for and starts: native evidence (resident or native memory, threads)
    /// answers a different question than the managed heap's diff, and a resident-memory suspicion often comes first in a
    /// managed leak (resident memory rises before the managed heap's rise is confirmed by a full collection), so each kind
    /// has its own turn: a native investigation never holds off the managed one of the same leak for a whole cooldown.
    /// </summary>
    /// <param name="trigger">The verdict that triggers the investigation.</param>
    /// <returns>The kind.</returns>
    internal static InvestigationKind KindOf(LeakVerdict? trigger) => IsNativeSignal(trigger) ? InvestigationKind.Native : InvestigationKind.Managed;

    private DateTimeOffset? CooldownEnd(InvestigationKind kind) =>
        _lastAutomaticStart[(int)kind] is { } last && last + _options.Snapshots.Cooldown is var end && end > _timeProvider.GetUtcNow() ? end : null;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static long CurrentHeapBytes()
    {
        var info = GC.GetGCMemoryInfo();
        return Math.Max(info.HeapSizeBytes, GC.GetTotalMemory(forceFullCollection: false));
    }
}
