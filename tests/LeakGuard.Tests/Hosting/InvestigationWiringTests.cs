using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class InvestigationWiringTests
{
    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        Assert.That(condition(), Is.True, "condition not reached within 10 s");
    }

    private static MonitorHarness Suspect(string signal, Action<LeakGuardOptions>? configure = null)
    {
        var h = new MonitorHarness(o =>
        {
            o.MemoryLimitBytes = 2048 * Samples.MiB;
            configure?.Invoke(o);
        }).Start();
        h.StepBucket(2);
        h.Script.States[signal] = LeakState.Suspected;
        h.StepBucket();
        return h;
    }

    [Test]
    public void The_first_managed_memory_suspicion_starts_an_automatic_investigation_in_the_background()
    {
        using var h = Suspect(LeakSignals.ManagedHeap);

        WaitFor(() => h.Investigator.Calls.Count == 1);
        var call = h.Investigator.Calls[0];
        Assert.That(call.Trigger!.Signal, Is.EqualTo(LeakSignals.ManagedHeap));
        Assert.That(call.Automatic, Is.True);
        Assert.That(call.Limit, Is.EqualTo(2048 * Samples.MiB));
    }

    [Test]
    public void A_suspicion_whose_snapshot_would_pause_long_waits_for_the_confirmed_leak()
    {
        using var h = new MonitorHarness(o => o.Snapshots.MaxPause = TimeSpan.FromSeconds(5)).Start();
        h.Investigator.EstimatedPause = TimeSpan.FromSeconds(2);
        h.StepBucket(2);
        h.Script.States[LeakSignals.Gen2] = LeakState.Suspected;
        h.StepBucket();
        Assert.That(h.Investigator.Calls, Is.Empty, "2 s is over a fifth of Snapshots:MaxPause");

        h.Script.States[LeakSignals.Gen2] = LeakState.Leaking;
        h.StepBucket();

        WaitFor(() => h.Investigator.Calls.Count == 1);
        Assert.That(h.Investigator.Calls[0].Trigger!.State, Is.EqualTo(LeakState.Leaking));
    }

    [Test]
    public void A_suspicion_already_investigated_is_not_investigated_again_when_confirmed()
    {
        using var h = Suspect(LeakSignals.Gen2);
        WaitFor(() => h.Investigator.Calls.Count == 1);

        h.Script.States[LeakSignals.Gen2] = LeakState.Leaking;
        h.StepBucket();

        Assert.That(h.Investigator.Calls, Has.Count.EqualTo(1));
    }

    [Test]
    public void An_investigation_restarts_the_warm_up_of_the_resident_memory_signals_only()
    {
        using var h = Suspect(LeakSignals.ManagedHeap);
        WaitFor(() => h.Investigator.Calls.Count == 1);
        h.StepBucket();

        List<string> restarted;
        lock (h.Script.Restarts)
        {
            restarted = h.Script.Restarts.Select(r => r.Signal).Distinct().ToList();
        }

        Assert.That(restarted, Is.EquivalentTo(new[] { LeakSignals.ProcessMemory, LeakSignals.NativeMemory }));
    }

    [Test]
    public void A_running_snapshot_keeps_moving_the_restart_forward_and_none_happens_without_one()
    {
        using var h = new MonitorHarness().Start();
        h.StepBucket(2);
        Assert.That(h.Script.Restarts, Is.Empty, "no snapshot ran, yet a signal was restarted");

        h.Investigator.IsRunning = true;
        h.StepBucket();
        var first = h.Script.Restarts.Where(r => r.Signal == LeakSignals.ProcessMemory).Max(r => r.DisturbedUntil);
        h.StepBucket();
        var second = h.Script.Restarts.Where(r => r.Signal == LeakSignals.ProcessMemory).Max(r => r.DisturbedUntil);
        h.Investigator.IsRunning = false;
        var count = h.Script.Restarts.Count;
        h.StepBucket();

        // The full collection the monitor asks for when the snapshot ends moves resident memory too: one more restart of
        // each, at the end, and none after.
        var ended = h.Time.GetUtcNow();
        h.StepBucket(3);
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.GreaterThan(first));
            Assert.That(h.FullCollectionRequests, Is.EqualTo(1));
            Assert.That(h.Script.Restarts.Skip(count), Is.EquivalentTo(new[] { (LeakSignals.ProcessMemory, ended), (LeakSignals.NativeMemory, ended) }), "restarted again after the snapshot ended");
        });
    }

    [Test]
    public void A_second_managed_signal_in_the_same_episode_does_not_start_another()
    {
        using var h = Suspect(LeakSignals.ManagedHeap);
        WaitFor(() => h.Investigator.Calls.Count == 1);
        h.Script.States[LeakSignals.Gen2] = LeakState.Suspected;
        h.StepBucket();

        Assert.That(h.Investigator.Calls, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_loaded_assembly_leak_starts_an_investigation_too()
    {
        using var h = Suspect(LeakSignals.LoadedAssemblies);

        WaitFor(() => h.Investigator.Calls.Count == 1);
        Assert.That(h.Investigator.Calls[0].Trigger!.Signal, Is.EqualTo(LeakSignals.LoadedAssemblies));
    }

    [TestCase(LeakSignals.NativeMemory)]
    [TestCase(LeakSignals.ProcessMemory)]
    [TestCase(LeakSignals.Threads)]
    public void A_native_or_thread_leak_without_managed_growth_starts_an_investigation(string signal)
    {
        using var h = Suspect(signal);

        WaitFor(() => h.Investigator.Calls.Count == 1);
        Assert.That((h.Investigator.Calls[0].Trigger!.Signal, h.Investigator.Calls[0].Automatic), Is.EqualTo((signal, true)));
    }

    [TestCase(LeakSignals.ProcessMemory, LeakSignals.NativeMemory)]
    [TestCase(LeakSignals.ProcessMemory, LeakSignals.Threads)]
    public void Resident_memory_and_threads_rising_together_are_investigated_once(string first, string second)
    {
        using var h = Suspect(first);
        WaitFor(() => h.Investigator.Calls.Count == 1);
        h.Script.States[second] = LeakState.Suspected;
        h.StepBucket();
        h.Script.States[second] = LeakState.Leaking;
        h.StepBucket();

        Assert.That(h.Investigator.Calls.Select(c => c.Trigger!.Signal), Is.EqualTo(new[] { first }));
    }

    [Test]
    public void Resident_memory_rising_beside_managed_memory_is_left_to_the_managed_investigation()
    {
        using var h = Suspect(LeakSignals.ManagedHeap);
        WaitFor(() => h.LogsWithId(30).Any()); // the managed investigation ended (the fake takes no snapshot)
        h.Script.States[LeakSignals.ProcessMemory] = LeakState.Suspected;
        h.StepBucket();
        h.Script.States[LeakSignals.ProcessMemory] = LeakState.Leaking;
        h.StepBucket();

        Assert.That(h.Investigator.Calls.Select(c => c.Trigger!.Signal), Is.EqualTo(new[] { LeakSignals.ManagedHeap }));
    }

    /// <summary>
    /// Resident memory is suspected and its (native) investigation waits on <see cref="FakeInvestigator.Pending"/>, set
    /// before anything can start one; then the managed heap is suspected too. <paramref name="then"/> goes on from there,
    /// and the investigation is always let finish, so a failing assertion cannot leave the monitor's stop waiting on it.
    /// </summary>
    private static void WhileANativeInvestigationRunsTheManagedHeapIsSuspected(Action<MonitorHarness, TaskCompletionSource<LeakGuard.Investigation.LeakReport?>> then)
    {
        var pending = new TaskCompletionSource<LeakGuard.Investigation.LeakReport?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var h = new MonitorHarness(o => o.MemoryLimitBytes = 2048 * Samples.MiB).Start();
        h.Investigator.Pending = pending;
        try
        {
            h.StepBucket(2);
            h.Script.States[LeakSignals.ProcessMemory] = LeakState.Suspected;
            h.StepBucket();
            WaitFor(() => h.Investigator.Calls.Count == 1);
            h.Script.States[LeakSignals.ManagedHeap] = LeakState.Suspected;
            h.StepBucket();
            Assert.That(h.Investigator.Calls, Has.Count.EqualTo(1), "one investigation at a time");
            then(h, pending);
        }
        finally
        {
            pending.TrySetResult(null);
        }
    }

    [Test]
    public void A_managed_suspicion_during_a_native_investigation_is_investigated_when_it_ends() =>
        // The leak zoo's id-registry: resident memory reaches Leaking before the managed heap's rise is confirmed.
        WhileANativeInvestigationRunsTheManagedHeapIsSuspected((h, pending) =>
        {
            pending.SetResult(null);
            WaitFor(() =>
            {
                h.StepBucket();
                return h.Investigator.Calls.Count == 2;
            });
            Assert.That(h.Investigator.Calls.Select(c => c.Trigger!.Signal), Is.EqualTo(new[] { LeakSignals.ProcessMemory, LeakSignals.ManagedHeap }));
        });

    [Test]
    public void A_pending_suspicion_that_cleared_meanwhile_is_not_investigated() =>
        WhileANativeInvestigationRunsTheManagedHeapIsSuspected((h, pending) =>
        {
            h.Script.States[LeakSignals.ManagedHeap] = LeakState.Stable;
            h.StepBucket();

            pending.SetResult(null);
            WaitFor(() => h.LogsWithId(30).Any());
            h.StepBucket(2);
            Assert.That(h.Investigator.Calls, Has.Count.EqualTo(1));
        });

    [TestCase(SnapshotMode.Manual)]
    [TestCase(SnapshotMode.Off)]
    public void Only_OnSuspicion_mode_investigates_automatically(SnapshotMode mode)
    {
        using var h = Suspect(LeakSignals.Loh, o => o.Snapshots.Mode = mode);

        Assert.That(h.Investigator.Calls, Is.Empty);
    }

    [Test]
    public void A_failing_investigation_is_logged_not_thrown()
    {
        var h = new MonitorHarness().Start();
        using (h)
        {
            h.Investigator.Throw = new InvalidOperationException("snapshot failed");
            h.StepBucket(2);
            h.Script.States[LeakSignals.Gen2] = LeakState.Leaking;
            h.StepBucket();

            WaitFor(() => h.LogsWithId(31).Any());
        }
    }

    [Test]
    public void A_skipped_investigation_is_logged()
    {
        using var h = Suspect(LeakSignals.ManagedHeap);

        WaitFor(() => h.LogsWithId(30).Any());
    }

    [Test]
    public async Task Manual_investigations_delegate_to_the_investigator_without_automatic_limits()
    {
        using var h = new MonitorHarness(o => o.Snapshots.Mode = SnapshotMode.Manual);
        await h.Monitor.InvestigateAsync();

        Assert.That(h.Investigator.Calls.Single().Automatic, Is.False);
        Assert.That(h.Investigator.Calls.Single().Trigger, Is.Null);
    }

    [Test]
    public async Task Snapshots_off_skips_manual_requests()
    {
        using var h = new MonitorHarness(o => o.Snapshots.Mode = SnapshotMode.Off);

        Assert.That(await h.Monitor.InvestigateAsync(), Is.Null);
        Assert.ThrowsAsync<InvalidOperationException>(() => h.Monitor.CaptureHeapSnapshotAsync());
        Assert.That(h.Investigator.Calls, Is.Empty);
    }

    [Test]
    public void Reports_and_running_state_come_from_the_investigator()
    {
        using var h = new MonitorHarness();
        h.Investigator.IsRunning = true;

        Assert.That(h.Monitor.IsInvestigating, Is.True);
        Assert.That(h.Monitor.LatestReport, Is.Null);
        Assert.That(h.Monitor.Reports, Is.Empty);
    }
}
