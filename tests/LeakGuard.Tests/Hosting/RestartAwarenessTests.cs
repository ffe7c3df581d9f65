using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class RestartAwarenessTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("leakguard-state-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string StatePath => Path.Combine(_directory, RestartStateStore.FileName);

    [Test]
    public void A_first_start_is_no_restart() =>
        Assert.That(RestartClassifier.Classify(null, corrupt: false, currentOomKillCount: 0), Is.Null);

    [TestCase(true, null, 0.99, RestartReasons.CleanExit)]
    [TestCase(true, RestartReasons.Recycled, 0.95, RestartReasons.Recycled)]
    [TestCase(false, null, 0.95, RestartReasons.OomKilled)]
    [TestCase(false, null, 0.40, RestartReasons.Crashed)]
    [TestCase(false, null, double.NaN, RestartReasons.Crashed)]
    public void The_previous_exit_is_classified_from_its_record(bool clean, string? exitReason, double lastUtilization, string expected)
    {
        var previous = new RestartState { CleanExit = clean, ExitReason = exitReason, LastUtilization = lastUtilization };

        Assert.That(RestartClassifier.Classify(previous, corrupt: false, currentOomKillCount: -1), Is.EqualTo(expected));
    }

    [TestCase(false, null, 0.40, RestartReasons.OutOfMemory)]
    [TestCase(true, null, 0.98, RestartReasons.OutOfMemory)]
    [TestCase(true, RestartReasons.Recycled, 0.98, RestartReasons.Recycled)]
    public void An_instance_recorded_out_of_memory_is_out_of_memory_even_after_a_graceful_stop(bool clean, string? exitReason, double lastUtilization, string expected)
    {
        var previous = new RestartState { CleanExit = clean, ExitReason = exitReason, LastUtilization = lastUtilization, OutOfMemory = true };

        Assert.That(RestartClassifier.Classify(previous, corrupt: false, currentOomKillCount: -1), Is.EqualTo(expected));
    }

    [TestCase(LimitNames.GcHeapLimit, RestartReasons.OutOfMemory)]
    [TestCase(LimitNames.Container, RestartReasons.OomKilled)]
    [TestCase(null, RestartReasons.OomKilled)]
    public void An_unclean_exit_near_a_limit_is_named_after_the_limit(string? limit, string expected)
    {
        var previous = new RestartState { CleanExit = false, LastUtilization = 0.93, LastLimit = limit };

        Assert.That(RestartClassifier.Classify(previous, corrupt: false, currentOomKillCount: -1), Is.EqualTo(expected));
    }

    [Test]
    public void A_kernel_kill_wins_over_a_recorded_exception_the_instance_may_have_survived()
    {
        var previous = new RestartState { CleanExit = false, LastUtilization = 0.5, OomKillCount = 0, OutOfMemory = true };

        Assert.That(RestartClassifier.Classify(previous, corrupt: false, currentOomKillCount: 1), Is.EqualTo(RestartReasons.OomKilled));
    }

    [Test]
    public void A_moved_cgroup_oom_kill_count_means_oom_killed_even_at_low_utilization()
    {
        var previous = new RestartState { CleanExit = false, LastUtilization = 0.3, OomKillCount = 2 };

        Assert.That(RestartClassifier.Classify(previous, corrupt: false, currentOomKillCount: 3), Is.EqualTo(RestartReasons.OomKilled));
        Assert.That(RestartClassifier.Classify(previous, corrupt: false, currentOomKillCount: 2), Is.EqualTo(RestartReasons.Crashed));
    }

    [Test]
    public void A_corrupt_record_is_an_unknown_restart() =>
        Assert.That(RestartClassifier.Classify(null, corrupt: true, currentOomKillCount: -1), Is.EqualTo(RestartReasons.Unknown));

    [Test]
    public void The_record_round_trips_through_json()
    {
        var state = new RestartState
        {
            ProcessId = 42, StartedAt = T0, LastSeenAt = T0.AddMinutes(5), LastUtilization = 0.875,
            OomKillCount = 3, CleanExit = true, ExitReason = RestartReasons.Recycled,
            LastLimit = LimitNames.GcHeapLimit, OutOfMemory = true, Alarms = "managed_heap:Leaking",
        };

        Assert.That(RestartStateStore.Parse(RestartStateStore.Serialize(state)), Is.EqualTo(state));
        Assert.That(RestartStateStore.Parse(RestartStateStore.Serialize(new RestartState())).LastUtilization, Is.NaN);
    }

    [Test]
    public void Writes_are_atomic_and_leave_no_temporary_files()
    {
        var store = new RestartStateStore(_directory, NullLogger.Instance);
        store.Write(T0, new RestartState { ProcessId = 1 }, force: true);
        store.Write(T0.AddMinutes(1), new RestartState { ProcessId = 2 }, force: true);

        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { RestartStateStore.FileName }));
        Assert.That(store.ReadPrevious(out _)!.ProcessId, Is.EqualTo(2));
    }

    [Test]
    public void The_start_write_removes_temporary_files_left_by_a_killed_instance()
    {
        var killed = Path.Combine(_directory, RestartStateStore.FileName + ".4242.tmp");
        File.WriteAllBytes(killed, []);
        File.SetLastWriteTimeUtc(killed, T0.UtcDateTime.AddHours(-1));
        var store = new RestartStateStore(_directory, NullLogger.Instance);

        store.Write(T0, new RestartState { ProcessId = 1 }, force: true);

        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { RestartStateStore.FileName }));
    }

    [Test]
    public void A_failed_write_logs_one_line_without_a_stack_trace_and_leaves_nothing()
    {
        // A directory where the state file should be: the rename fails after the temporary file was written.
        Directory.CreateDirectory(StatePath);
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var store = new RestartStateStore(_directory, logger);

        Assert.That(store.Write(T0, new RestartState { ProcessId = 1 }, force: true), Is.False);
        Assert.That(store.Write(T0.AddMinutes(1), new RestartState { ProcessId = 1 }, force: true), Is.False);

        var failure = logger.Collector.GetSnapshot().Single();
        Assert.That(failure.Id.Id, Is.EqualTo(52));
        Assert.That(failure.Exception, Is.Null);
        Assert.That(Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { RestartStateStore.FileName }));
    }

    [Test]
    public void Writes_are_throttled_unless_utilization_moves_by_a_point()
    {
        var store = new RestartStateStore(_directory, NullLogger.Instance);
        Assert.That(store.Write(T0, new RestartState { LastUtilization = 0.5 }, force: false), Is.True);
        Assert.That(store.Write(T0.AddSeconds(1), new RestartState { LastUtilization = 0.505 }, force: false), Is.False);
        Assert.That(store.Write(T0.AddSeconds(2), new RestartState { LastUtilization = 0.511 }, force: false), Is.True, "a rise of a point is written at once");
        Assert.That(store.Write(T0.AddSeconds(3), new RestartState { LastUtilization = 0.511 }, force: false), Is.False);
        Assert.That(store.Write(T0.AddSeconds(4), new RestartState { LastUtilization = 0.50 }, force: false), Is.True, "and so is a fall");
        Assert.That(store.Write(T0.AddSeconds(14), new RestartState { LastUtilization = 0.50 }, force: false), Is.True);
    }

    [Test]
    public void A_verdict_change_is_written_at_once_with_the_signals_in_alarm()
    {
        using var h = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        h.StepBucket(2);
        var before = RestartStateStore.Parse(File.ReadAllBytes(StatePath));

        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Suspected;
        h.StepBucket();

        var after = RestartStateStore.Parse(File.ReadAllBytes(StatePath));
        Assert.That(before.Alarms, Is.Null);
        Assert.That(after.Alarms, Is.EqualTo("managed_heap:Suspected"));
        Assert.That(after.LastSeenAt, Is.GreaterThan(before.LastSeenAt));
    }

    // A managed leak in a 512 MiB container whose heap limit is 384 MiB.
    private static LeakGuard.Sources.MemorySample HeapAt(long heapMiB) =>
        Samples.Memory(managedHeap: heapMiB * Samples.MiB, resident: (heapMiB + 60) * Samples.MiB, containerLimit: 512 * Samples.MiB, workingSet: (heapMiB + 40) * Samples.MiB, totalAvailable: 384 * Samples.MiB);

    private static void ThrowAndCatchOutOfMemory()
    {
        try
        {
            throw new OutOfMemoryException("test: the heap's hard limit");
        }
        catch (OutOfMemoryException)
        {
            // Handled, as a web host handles a failing request.
        }
    }

    [Test]
    public async Task An_out_of_memory_exception_at_the_GC_heap_limit_then_a_graceful_stop_is_out_of_memory_at_the_next_start()
    {
        using (var first = new MonitorHarness(o => o.StateDirectory = _directory).Start())
        {
            first.Probe.Next = HeapAt(370);
            first.Step();
            ThrowAndCatchOutOfMemory();
            first.Step();

            Assert.That(RestartStateStore.Parse(File.ReadAllBytes(StatePath)).OutOfMemory, Is.True, "written at once, not after the throttle");
            await first.Monitor.StopAsync();
        }

        using var second = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        second.StepBucket();

        Assert.That(second.Monitor.Readings.RestartReason, Is.EqualTo(RestartReasons.OutOfMemory));
    }

    [Test]
    public async Task An_out_of_memory_exception_at_the_GC_heap_limit_then_a_stop_before_the_next_step_is_out_of_memory_at_the_next_start()
    {
        // The zoo's driver catches the exception and stops the host at once (CI: the record said clean_exit at 97 %).
        using (var first = new MonitorHarness(o => o.StateDirectory = _directory).Start())
        {
            first.Probe.Next = HeapAt(370);
            first.Step();
            ThrowAndCatchOutOfMemory();
            await first.Monitor.StopAsync();
        }

        using var second = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        second.StepBucket();

        Assert.That(second.Monitor.Readings.RestartReason, Is.EqualTo(RestartReasons.OutOfMemory));
    }

    [Test]
    public async Task An_out_of_memory_exception_far_from_the_heap_limit_or_recovered_from_is_no_death_by_it()
    {
        using (var first = new MonitorHarness(o => o.StateDirectory = _directory).Start())
        {
            first.Probe.Next = HeapAt(100);
            first.Step();
            ThrowAndCatchOutOfMemory(); // an oversized array, not the limit
            first.Step();
            Assert.That(first.Monitor.OutOfMemoryRecorded, Is.False);

            first.Probe.Next = HeapAt(370);
            ThrowAndCatchOutOfMemory();
            first.Step();
            Assert.That(first.Monitor.OutOfMemoryRecorded, Is.True);

            first.Probe.Next = HeapAt(200); // the cache was cleared
            first.Step();
            Assert.That(first.Monitor.OutOfMemoryRecorded, Is.False);
            await first.Monitor.StopAsync();
        }

        using var second = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        second.StepBucket();

        Assert.That(second.Monitor.Readings.RestartReason, Is.EqualTo(RestartReasons.CleanExit));
    }

    [Test]
    public void An_unhandled_out_of_memory_exception_is_written_at_once_and_names_the_death()
    {
        using var first = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        first.Probe.Next = HeapAt(200);
        first.Step();

        first.Monitor.RecordUnhandled(new InvalidOperationException("wrapped", new OutOfMemoryException()));

        var record = RestartStateStore.Parse(File.ReadAllBytes(StatePath));
        Assert.That((record.OutOfMemory, record.CleanExit), Is.EqualTo((true, false)));
        Assert.That(RestartClassifier.Classify(record, corrupt: false, currentOomKillCount: -1), Is.EqualTo(RestartReasons.OutOfMemory));
    }

    [Test]
    public void An_unhandled_exception_of_another_kind_is_not_out_of_memory()
    {
        using var first = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        first.Step();

        first.Monitor.RecordUnhandled(new InvalidOperationException("boom"));

        Assert.That(first.Monitor.OutOfMemoryRecorded, Is.False);
    }

    [Test]
    public void A_corrupt_file_is_reported_once_and_replaced()
    {
        File.WriteAllText(StatePath, "{ not json");
        using var h = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        h.StepBucket();

        Assert.That(h.LogsWithId(51).Count(), Is.EqualTo(1));
        Assert.That(h.Monitor.Readings.RestartReason, Is.EqualTo(RestartReasons.Unknown));
        Assert.That(RestartStateStore.Parse(File.ReadAllBytes(StatePath)).CleanExit, Is.False, "replaced by this instance's record");
    }

    [Test]
    public void An_unclean_exit_at_high_utilization_is_reported_as_an_oom_kill()
    {
        File.WriteAllBytes(StatePath, RestartStateStore.Serialize(new RestartState { StartedAt = T0, LastSeenAt = T0, LastUtilization = 0.97 }));
        using var h = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        h.StepBucket();

        Assert.That(h.Monitor.Readings.RestartReason, Is.EqualTo(RestartReasons.OomKilled));
        Assert.That(h.LogsWithId(50).Single().Message, Does.Contain("oom_killed"));
    }

    [Test]
    public async Task A_stopped_monitor_leaves_a_clean_exit_that_the_next_start_recognises()
    {
        using (var first = new MonitorHarness(o => o.StateDirectory = _directory).Start())
        {
            first.StepBucket();
            await first.Monitor.StopAsync();
        }

        using var second = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        second.StepBucket();

        Assert.That(second.Monitor.Readings.RestartReason, Is.EqualTo(RestartReasons.CleanExit));
    }

    [Test]
    public async Task A_recycled_monitor_is_recognised_as_recycled()
    {
        using (var first = new MonitorHarness(o =>
        {
            o.StateDirectory = _directory;
            o.Recycle.Enabled = true;
            o.Recycle.For = TimeSpan.FromSeconds(1);
            o.Recycle.GracePeriod = TimeSpan.Zero;
        }).Start())
        {
            first.Probe.Next = Samples.Memory(resident: 999 * Samples.MiB, containerLimit: 1000 * Samples.MiB);
            first.Step(5);
            await first.Monitor.StopAsync();
        }

        using var second = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        second.StepBucket();

        Assert.That(second.Monitor.Readings.RestartReason, Is.EqualTo(RestartReasons.Recycled));
    }

    [Test]
    public async Task A_second_instance_on_the_same_directory_says_so_once_and_leaves_the_first_ones_record_alone()
    {
        using var first = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        first.StepBucket();
        var firstRecord = File.ReadAllBytes(StatePath);

        using (var second = new MonitorHarness(o => o.StateDirectory = _directory))
        {
            second.Time.Advance(TimeSpan.FromHours(1));
            second.Start();
            second.StepBucket(3);

            Assert.That(second.Monitor.Readings.RestartReason, Is.Null, "the first instance is running, not crashed");
            var shared = second.LogsWithId(54).Single();
            Assert.That(shared.Message, Does.Contain(_directory).And.Contain($"process {Environment.ProcessId}"));
            Assert.That(File.ReadAllBytes(StatePath), Is.EqualTo(firstRecord), "running: the first instance's record is not overwritten");
            Assert.That(second.Monitor.IsRunning, Is.True, "monitoring goes on");
            await second.Monitor.StopAsync();
        }

        Assert.That(File.ReadAllBytes(StatePath), Is.EqualTo(firstRecord), "stopped: no clean exit written over the first instance's record");
        Assert.That(first.LogsWithId(54), Is.Empty);
    }

    [Test]
    public void A_lock_left_by_a_dead_instance_is_taken_over()
    {
        File.WriteAllText(Path.Combine(_directory, StateDirectoryLock.FileName), "999999\n");
        File.WriteAllText(Path.Combine(_directory, StateDirectoryLock.OwnerFileName), "999999\n");
        File.WriteAllBytes(StatePath, RestartStateStore.Serialize(new RestartState { ProcessId = 999999, StartedAt = T0, LastSeenAt = T0, LastUtilization = 0.4 }));

        using var h = new MonitorHarness(o => o.StateDirectory = _directory).Start();
        h.StepBucket();

        Assert.That(h.LogsWithId(54), Is.Empty);
        Assert.That(h.Monitor.Readings.RestartReason, Is.EqualTo(RestartReasons.Crashed), "the dead instance's crash is reported");
        Assert.That(File.ReadAllText(Path.Combine(_directory, StateDirectoryLock.OwnerFileName)).Trim(), Is.EqualTo($"{Environment.ProcessId}"));
    }

    [Test]
    public void A_lock_held_by_another_process_excludes_until_that_process_dies()
    {
        Assume.That(OperatingSystem.IsLinux() && File.Exists("/usr/bin/flock"), "needs flock(1) from util-linux");
        var lockPath = Path.Combine(_directory, StateDirectoryLock.FileName);
        using var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/flock", ["-x", lockPath, "-c", "echo locked; exec sleep 600"])
        {
            RedirectStandardOutput = true,
        })!;
        try
        {
            Assert.That(holder.StandardOutput.ReadLine(), Is.EqualTo("locked"));
            File.WriteAllText(Path.Combine(_directory, StateDirectoryLock.OwnerFileName), $"{holder.Id}\n");

            Assert.That(StateDirectoryLock.TryAcquire(_directory, out var held, out var owner), Is.Null);
            Assert.That((held, owner), Is.EqualTo((true, (int?)holder.Id)));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }

        // The kernel drops the lock once the killed shell's last descriptor is closed, a moment after flock(1) itself has exited.
        StateDirectoryLock? taken = null;
        Assert.That(Eventually.Holds(() => (taken = StateDirectoryLock.TryAcquire(_directory, out _, out _)) is not null, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20)), Is.True, "the dead holder's lock is taken over");
        taken!.Dispose();
    }

    [Test]
    public void Without_a_state_directory_there_is_no_restart_awareness()
    {
        using var h = new MonitorHarness().Start();
        h.StepBucket();

        Assert.That(h.Monitor.Readings.RestartReason, Is.Null);
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }
}
