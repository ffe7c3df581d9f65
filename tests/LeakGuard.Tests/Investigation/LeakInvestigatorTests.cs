using LeakGuard.Investigation;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class LeakInvestigatorTests
{
    private const string Session = "MyApp.Session";
    private readonly FakeLogger _logger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero));
    private readonly List<int> _buffers = [];

    private static HeapGraph Heap(int sessions)
    {
        var heap = new SyntheticHeap();
        var items = Enumerable.Range(0, sessions).Select(_ => heap.Object(Session)).ToArray();
        var dictionary = heap.Object("System.Collections.Generic.Dictionary`2[System.Guid,MyApp.Session]", heap.Object("MyApp.Session[]", items));
        heap.Root(dictionary, RootKind.StaticField, "Sessions");
        heap.Root(heap.Object("LeakGuard.Investigation.HeapGraph"), RootKind.Stack);
        return heap.Build();
    }

    private LeakInvestigator Investigator(LeakGuardOptions? options = null, params Func<HeapGraph>[] snapshots)
    {
        options ??= new LeakGuardOptions();
        options.Snapshots.Delay = TimeSpan.Zero;
        var queue = new Queue<Func<HeapGraph>>(snapshots);
        return new LeakInvestigator(options, _time, _logger)
        {
            HeapBytes = () => 64L * 1024 * 1024,
            TakeSnapshot = (buffer, _) =>
            {
                _buffers.Add(buffer);
                return Task.FromResult(new HeapSnapshot(queue.Dequeue()(), _time.GetUtcNow(), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(1), buffer));
            },
        };
    }

    private IEnumerable<int> LoggedIds => _logger.Collector.GetSnapshot().Select(r => r.Id.Id);

    [Test]
    public async Task Investigation_reports_the_growing_type_with_its_root_and_writes_the_file()
    {
        var directory = Directory.CreateTempSubdirectory("leakguard-reports-").FullName;
        try
        {
            var options = new LeakGuardOptions { Reports = { Directory = directory } };
            using var investigator = Investigator(options, () => Heap(10), () => Heap(110));
            LeakReport? raised = null;
            investigator.ReportProduced += r => raised = r;

            var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

            Assert.That(report, Is.Not.Null);
            var top = report!.GrowingTypes[0];
            Assert.That((top.Type, top.CountDelta, top.CountAfter), Is.EqualTo((Session, 100L, 110L)));
            Assert.That(top.RetentionPaths[0].Root, Is.EqualTo("static field Sessions"));
            Assert.That(report.GrowingTypes.Select(t => t.Type), Has.None.Contains("LeakGuard"));
            Assert.That(report.Signal, Is.EqualTo("manual"));
            Assert.That(raised, Is.SameAs(report));
            Assert.That(investigator.Reports, Is.EqualTo(new[] { report }));
            Assert.That(ReportStore.List(directory), Has.Length.EqualTo(1));
            Assert.That(_logger.Collector.GetSnapshot().Single(r => r.Id.Id == 107).Message, Does.Contain("MyApp.Session grew by 100 instances").And.Contain("static field Sessions"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task A_manual_investigation_with_only_churn_says_nothing_grew_and_lists_the_largest_types()
    {
        // 10,000 sessions before and after; three strings of churn (far under 1 % of the heap) is no finding.
        static HeapGraph WithChurn(int strings)
        {
            var heap = new SyntheticHeap();
            var items = Enumerable.Range(0, 10_000).Select(_ => heap.Object(Session)).ToArray();
            heap.Root(heap.Object("MyApp.Session[]", items), RootKind.StaticField, "Sessions");
            for (var i = 0; i < strings; i++)
            {
                heap.Root(heap.Object("System.String"), RootKind.Stack);
            }

            return heap.Build();
        }

        using var investigator = Investigator(null, () => WithChurn(0), () => WithChurn(3));
        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That(report, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(report!.GrowingTypes, Is.Empty);
            Assert.That(report.LargestTypes!.Select(t => t.Type).First(), Is.EqualTo(Session));
            Assert.That(_logger.Collector.GetSnapshot().Single(r => r.Id.Id == 108).Message, Does.Contain("nothing that grew beyond noise").And.Contain(Session));
            Assert.That(LoggedIds, Has.No.Member(107));
        });
    }

    [Test]
    public async Task The_snapshot_log_says_what_its_object_estimate_rests_on()
    {
        using var investigator = Investigator(null, () => Heap(10), () => Heap(110));
        _ = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        var starts = _logger.Collector.GetSnapshot().Where(r => r.Id.Id == 100).Select(r => r.Message).ToList();
        Assert.That(starts, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(starts[0], Does.Contain("64.0 MiB heap").And.Contain("an assumed density"));
            Assert.That(starts[1], Does.Contain("the density the last snapshot measured"));
        });
    }

    [Test]
    public async Task A_failed_report_write_logs_one_line_without_a_stack_trace_and_leaves_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("leakguard-reports-").FullName;
        try
        {
            // A file where the reports directory should be: every write fails, as on a full or read-only disk.
            var blocked = Path.Combine(directory, "reports");
            await File.WriteAllTextAsync(blocked, "not a directory");
            var options = new LeakGuardOptions { Reports = { Directory = blocked } };
            using var investigator = Investigator(options, () => Heap(10), () => Heap(110));

            var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

            var failure = _logger.Collector.GetSnapshot().Single(r => r.Id.Id == 109);
            Assert.That(report, Is.Not.Null);
            Assert.That(failure.Exception, Is.Null, "the reason is in the message; a stack trace says nothing more to an operator");
            Assert.That(failure.Message, Does.Contain(blocked).And.Not.Contain("\n"));
            Assert.That(Directory.GetFiles(directory), Is.EqualTo(new[] { blocked }));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("DOTNET_EnableDiagnostics")]
    [TestCase("DOTNET_EnableDiagnostics_IPC")]
    [TestCase("COMPlus_EnableDiagnostics")]
    public async Task A_disabled_diagnostics_channel_is_known_at_start_and_said_once_in_one_line(string variable)
    {
        var snapshots = 0;
        using var investigator = new LeakInvestigator(new LeakGuardOptions(), _time, _logger, name => name == variable ? "0" : null)
        {
            TakeSnapshot = (_, _) => throw new InvalidOperationException($"snapshot {++snapshots} attempted"),
        };

        var first = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);
        var second = await investigator.InvestigateAsync(null, automatic: true, null, CancellationToken.None);

        var warning = _logger.Collector.GetSnapshot().Single(r => r.Id.Id == 104);
        Assert.That((first, second, snapshots), Is.EqualTo(((LeakReport?)null, (LeakReport?)null, 0)));
        Assert.That(investigator.UnavailableReason, Does.Contain(variable + "=0"));
        Assert.That(warning.Message, Does.Contain(variable + "=0"));
        Assert.That(warning.Exception, Is.Null);
    }

    [Test]
    public async Task Report_carries_the_triggering_verdict()
    {
        using var investigator = Investigator(null, () => Heap(1), () => Heap(2));
        var verdict = new LeakVerdict { Signal = "managed_heap", State = LeakState.Leaking, GrowthRatePerSecond = 42, TimeToLimit = TimeSpan.FromHours(2), EvaluatedAt = _time.GetUtcNow() };

        var report = await investigator.InvestigateAsync(verdict, automatic: true, null, CancellationToken.None);

        Assert.That((report!.Signal, report.GrowthBytesPerSecond, report.TimeToLimitSeconds), Is.EqualTo(("managed_heap", 42.0, (double?)7200)));
    }

    [Test]
    public async Task A_count_signal_is_no_byte_rate_for_the_report()
    {
        using var investigator = Investigator(null, () => Heap(1), () => Heap(2));
        var verdict = new LeakVerdict { Signal = LeakSignals.LoadedAssemblies, State = LeakState.Leaking, GrowthRatePerSecond = 2, EvaluatedAt = _time.GetUtcNow() };

        var report = await investigator.InvestigateAsync(verdict, automatic: true, null, CancellationToken.None);

        Assert.That(report!.Signal, Is.EqualTo(LeakSignals.LoadedAssemblies));
        Assert.That(report.GrowthBytesPerSecond, Is.Zero, "two assemblies a second are not two bytes a second; the heap did not grow in (fake) time");
    }

    [Test]
    public async Task Assemblies_generated_between_the_snapshots_are_named_in_the_report()
    {
        using var tracker = new LeakGuard.Sources.LoadedAssemblyTracker(AppDomain.CurrentDomain, _time);
        using var investigator = Investigator(null, () => Heap(1), () =>
        {
            for (var i = 0; i < 3; i++)
            {
                System.Reflection.Emit.AssemblyBuilder.DefineDynamicAssembly(new System.Reflection.AssemblyName("LeakGuardTests.Between" + i), System.Reflection.Emit.AssemblyBuilderAccess.Run);
            }

            return Heap(2);
        });
        investigator.Assemblies = tracker;

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        var loaded = report!.LoadedAssemblies;
        Assert.That(loaded, Is.Not.Null);
        Assert.That(loaded!.DynamicBetweenSnapshots, Is.EqualTo(3));
        Assert.That(loaded.Newest.Take(3).Select(load => load.Name), Is.EqualTo(new[] { "LeakGuardTests.Between2", "LeakGuardTests.Between1", "LeakGuardTests.Between0" }));
        Assert.That(loaded.Pattern, Is.Null, "no known generator by that name");
    }

    [Test]
    public async Task Automatic_investigations_wait_for_the_cooldown()
    {
        using var investigator = Investigator(null, () => Heap(1), () => Heap(2), () => Heap(3), () => Heap(4));

        Assert.That(await investigator.InvestigateAsync(null, automatic: true, null, CancellationToken.None), Is.Not.Null);
        Assert.That(await investigator.InvestigateAsync(null, automatic: true, null, CancellationToken.None), Is.Null);
        Assert.That(_logger.LatestRecord.Message, Does.Contain("cooldown"));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.That(await investigator.InvestigateAsync(null, automatic: true, null, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task A_native_investigation_starts_the_native_cooldown_only()
    {
        using var investigator = Investigator(null, () => Heap(1), () => Heap(2), () => Heap(3), () => Heap(4));
        LeakVerdict Suspected(string signal) => new() { Signal = signal, State = LeakState.Leaking, GrowthRatePerSecond = 1024, EvaluatedAt = _time.GetUtcNow() };

        Assert.That(await investigator.InvestigateAsync(Suspected(LeakSignals.ProcessMemory), automatic: true, null, CancellationToken.None), Is.Not.Null);
        Assert.That(await investigator.InvestigateAsync(Suspected(LeakSignals.ManagedHeap), automatic: true, null, CancellationToken.None), Is.Not.Null, "the managed leak's own turn");
        Assert.That(await investigator.InvestigateAsync(Suspected(LeakSignals.Threads), automatic: true, null, CancellationToken.None), Is.Null);
        Assert.That(_logger.LatestRecord.Message, Does.Contain("cooldown: the last automatic native investigation"));
    }

    [Test]
    public async Task The_cooldown_end_is_known_while_it_runs_and_gone_after()
    {
        using var investigator = Investigator(null, () => Heap(1), () => Heap(2));
        Assert.That(investigator.CooldownEndsAt, Is.Null);
        var started = _time.GetUtcNow();

        await investigator.InvestigateAsync(null, automatic: true, null, CancellationToken.None);

        Assert.That(investigator.CooldownEndsAt, Is.EqualTo(started + TimeSpan.FromHours(1)));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.That(investigator.CooldownEndsAt, Is.Null);
    }

    [Test]
    public async Task Automatic_investigation_is_skipped_when_the_heap_exceeds_the_maximum()
    {
        using var investigator = Investigator(new LeakGuardOptions { Snapshots = { MaxHeapBytes = 1024 } }, () => Heap(1));

        Assert.That(await investigator.InvestigateAsync(null, automatic: true, null, CancellationToken.None), Is.Null);
        Assert.That(_buffers, Is.Empty);
        Assert.That(_logger.LatestRecord.Message, Does.Contain("exceeds Snapshots:MaxHeapBytes"));
    }

    [Test]
    public async Task Investigation_is_skipped_when_the_collector_would_not_fit_under_the_limit()
    {
        using var investigator = Investigator(null, () => Heap(1));

        var report = await investigator.InvestigateAsync(null, automatic: false, Environment.WorkingSet + (1024 * 1024), CancellationToken.None);

        Assert.That(report, Is.Null);
        Assert.That(_buffers, Is.Empty);
        Assert.That(_logger.LatestRecord.Message, Does.Contain("not enough headroom"));
    }

    [Test]
    public async Task Automatic_investigation_is_skipped_when_the_estimated_pause_exceeds_MaxPause()
    {
        // 64 MB at the assumed 64 B per object ≈ 1 M objects ≈ 280 ms of pause (270 ms per million).
        using var investigator = Investigator(new LeakGuardOptions { Snapshots = { MaxPause = TimeSpan.FromMilliseconds(100) } }, () => Heap(1), () => Heap(2));

        Assert.That(await investigator.InvestigateAsync(null, automatic: true, null, CancellationToken.None), Is.Null);
        Assert.That(_buffers, Is.Empty);
        Assert.That(_logger.LatestRecord.Message, Does.Contain("would pause the application for about 0.3 s, more than Snapshots:MaxPause (0.1 s)"));
        Assert.That(await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None), Is.Not.Null, "a requested investigation is not bound by the automatic budget");
    }

    [Test]
    public void The_estimated_pause_follows_the_live_objects()
    {
        using var investigator = Investigator(null);

        Assert.That(investigator.EstimatedPause.TotalMilliseconds, Is.EqualTo(64.0 * 1024 * 1024 / SnapshotBudget.AssumedBytesPerObject / 1e6 * SnapshotBudget.PausePerMillionObjects.TotalMilliseconds).Within(1));
    }

    [Test]
    public async Task Headroom_is_checked_before_the_monitor_knows_a_memory_limit()
    {
        using var investigator = Investigator(null, () => Heap(1), () => Heap(2));
        investigator.HeapBytes = () => long.MaxValue / 2;

        Assert.That(await investigator.InvestigateAsync(null, automatic: false, memoryLimitBytes: null, CancellationToken.None), Is.Null);
        Assert.That(_buffers, Is.Empty);
        Assert.That(_logger.LatestRecord.Message, Does.Contain("not enough headroom"));
    }

    [Test]
    public async Task Before_the_monitors_first_sample_the_configured_memory_limit_bounds_the_headroom()
    {
        using var investigator = Investigator(new LeakGuardOptions { MemoryLimitBytes = 1024 * 1024 }, () => Heap(1), () => Heap(2));

        Assert.That(await investigator.InvestigateAsync(null, automatic: false, memoryLimitBytes: null, CancellationToken.None), Is.Null);
        Assert.That(_buffers, Is.Empty);
        Assert.That(_logger.LatestRecord.Message, Does.Contain("not enough headroom").And.Contain("under the 1 MB limit"));
    }

    [Test]
    public void A_capture_is_refused_before_the_monitor_knows_a_memory_limit_when_the_snapshot_would_not_fit()
    {
        // No monitor sample and no configured limit: the GC's available memory bounds it, from the first call on.
        using var investigator = Investigator(null, () => Heap(1));
        investigator.HeapBytes = () => long.MaxValue / 2;

        var refused = Assert.ThrowsAsync<InvalidOperationException>(() => investigator.CaptureHeapSnapshotAsync(CancellationToken.None));

        Assert.That(refused!.Message, Does.Match(@"^Not enough memory for a heap snapshot: the snapshot needs about \d+ MB but only \d+ MB are left under the \d+ MB limit\.$"));
        Assert.That(_buffers, Is.Empty, "no snapshot session was started");
        Assert.That(investigator.IsRunning, Is.False);
    }

    [Test]
    public void A_capture_is_refused_under_the_configured_memory_limit_naming_the_megabytes()
    {
        // 64 MiB of heap at the assumed 64 B per object: ~1 M objects, ~64 MiB needed; the working set alone exceeds 1 MiB.
        using var investigator = Investigator(new LeakGuardOptions { MemoryLimitBytes = 1024 * 1024 }, () => Heap(1));
        var needed = SnapshotBudget.CollectorBytes(SnapshotBudget.EstimateObjects(64L * 1024 * 1024, 0, 0)) / (1024 * 1024);

        var refused = Assert.ThrowsAsync<InvalidOperationException>(() => investigator.CaptureHeapSnapshotAsync(CancellationToken.None));

        Assert.That(refused!.Message, Is.EqualTo($"Not enough memory for a heap snapshot: the snapshot needs about {needed} MB but only 0 MB are left under the 1 MB limit."));
        Assert.That(_buffers, Is.Empty);
    }

    [Test]
    public async Task A_capture_that_fits_under_the_configured_limit_is_taken()
    {
        using var investigator = Investigator(new LeakGuardOptions { MemoryLimitBytes = long.MaxValue / 4 }, () => Heap(3));

        var summary = await investigator.CaptureHeapSnapshotAsync(CancellationToken.None);

        Assert.That(summary.Types.Single(t => t.Type == Session).Count, Is.EqualTo(3));
        Assert.That(_buffers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_report_records_each_snapshots_pause()
    {
        using var investigator = Investigator(null, () => Heap(1), () => Heap(2));

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That((report!.Snapshots.BeforePauseMilliseconds, report.Snapshots.AfterPauseMilliseconds), Is.EqualTo(((double?)1, (double?)1)));
        Assert.That(LeakReportSerializer.Serialize(report), Does.Contain("\"beforePauseMilliseconds\": 1,"));
    }

    [Test]
    public async Task A_captured_snapshot_resumes_its_caller_off_LeakGuards_stack()
    {
        var gate = new TaskCompletionSource<HeapSnapshot>();
        using var investigator = new LeakInvestigator(new LeakGuardOptions(), _time, _logger)
        {
            HeapBytes = () => 1024,
            TakeSnapshot = async (buffer, _) => await gate.Task,
        };
        var capture = investigator.CaptureHeapSnapshotAsync(CancellationToken.None);
        var resumed = capture.ContinueWith(_ => new System.Diagnostics.StackTrace().ToString(), TaskContinuationOptions.ExecuteSynchronously);

        // Completed inline from this thread: without the hand-off, the caller would run on top of the snapshotter's frames.
        gate.SetResult(new HeapSnapshot(Heap(1), _time.GetUtcNow(), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(1), 16));
        var stack = await resumed;

        Assert.That(stack, Does.Not.Contain("LeakGuard.Investigation"));
        Assert.That((await capture).Types.Select(t => t.Type), Does.Contain(Session));
    }

    [Test]
    public async Task Nothing_is_snapshotted_when_snapshots_are_off()
    {
        using var investigator = Investigator(new LeakGuardOptions { Snapshots = { Mode = SnapshotMode.Off } }, () => Heap(1));

        Assert.That(await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None), Is.Null);
        Assert.That(_buffers, Is.Empty);
    }

    [Test]
    public async Task Manual_mode_refuses_automatic_investigations()
    {
        using var investigator = Investigator(new LeakGuardOptions { Snapshots = { Mode = SnapshotMode.Manual } }, () => Heap(1), () => Heap(2));

        Assert.That(await investigator.InvestigateAsync(null, automatic: true, null, CancellationToken.None), Is.Null);
        Assert.That(await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Lost_events_are_retried_once_with_a_larger_buffer_then_give_no_report()
    {
        HeapGraph Lost() => throw new HeapSnapshotException("lost") { EventsWereLost = true };
        using var investigator = Investigator(null, Lost, Lost, Lost);

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That(report, Is.Null);
        Assert.That(investigator.Reports, Is.Empty);
        Assert.That(_buffers, Has.Count.EqualTo(2));
        Assert.That(_buffers[1], Is.EqualTo(_buffers[0] * 3));
        Assert.That(LoggedIds, Does.Contain(102).And.Contain(103));
    }

    [Test]
    public async Task Retried_snapshot_that_succeeds_continues_the_investigation()
    {
        HeapGraph Lost() => throw new HeapSnapshotException("lost") { EventsWereLost = true };
        using var investigator = Investigator(null, Lost, () => Heap(1), () => Heap(5));

        Assert.That(await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Disabled_diagnostics_ipc_is_logged_once_and_nothing_throws()
    {
        HeapGraph Unavailable() => throw new ServerNotAvailableException("no diagnostics server");
        using var investigator = Investigator(null, Unavailable, Unavailable);

        Assert.That(await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None), Is.Null);
        Assert.That(await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None), Is.Null);

        Assert.That(LoggedIds.Count(id => id == 104), Is.EqualTo(1));
        Assert.That(investigator.SnapshotsUnavailable, Is.True);
        Assert.ThrowsAsync<InvalidOperationException>(() => investigator.CaptureHeapSnapshotAsync(CancellationToken.None));
    }

    [Test]
    public async Task Only_one_snapshot_runs_at_a_time()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero } }, _time, _logger)
        {
            HeapBytes = () => 1024,
            TakeSnapshot = async (buffer, _) =>
            {
                started.TrySetResult();
                await release.Task;
                return new HeapSnapshot(Heap(1), _time.GetUtcNow(), TimeSpan.Zero, TimeSpan.Zero, buffer);
            },
        };

        var first = investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);
        await started.Task;

        Assert.That(investigator.IsRunning, Is.True);
        Assert.That(await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None), Is.Null);
        Assert.ThrowsAsync<InvalidOperationException>(() => investigator.CaptureHeapSnapshotAsync(CancellationToken.None));
        release.SetResult();
        Assert.That(await first, Is.Not.Null);
        Assert.That(investigator.IsRunning, Is.False);
    }

    [Test]
    public void Cancellation_during_the_wait_ends_the_investigation()
    {
        var options = new LeakGuardOptions();
        using var investigator = Investigator(options, () => Heap(1), () => Heap(2));
        options.Snapshots.Delay = TimeSpan.FromMinutes(5);
        using var cancellation = new CancellationTokenSource();

        var running = investigator.InvestigateAsync(null, automatic: false, null, cancellation.Token);
        cancellation.Cancel();

        Assert.That(async () => await running, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(investigator.IsRunning, Is.False);
    }

    [Test]
    public async Task Second_snapshot_is_taken_early_once_the_heap_grew_enough()
    {
        var options = new LeakGuardOptions();
        var heapBytes = 100L * 1024 * 1024;
        using var investigator = Investigator(options, () => Heap(1), () => Heap(2));
        investigator.HeapBytes = () => heapBytes;
        options.Snapshots.Delay = TimeSpan.FromMinutes(5);
        options.Snapshots.MinGrowthBytes = 10 * 1024 * 1024;

        var running = investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_buffers.Count < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        heapBytes += 20L * 1024 * 1024;
        while (!running.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.That(await running, Is.Not.Null);
        Assert.That(_time.GetUtcNow() - new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero), Is.LessThan(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public async Task A_throwing_report_handler_does_not_break_the_investigation()
    {
        using var investigator = Investigator(null, () => Heap(1), () => Heap(2));
        investigator.ReportProduced += _ => throw new InvalidOperationException("subscriber bug");

        Assert.That(await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None), Is.Not.Null);
        Assert.That(LoggedIds, Does.Contain(111));
    }
}
