using LeakGuard.Detection;
using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class LeakMonitorPipelineTests
{
    [Test]
    public void Garbage_collections_alone_never_trigger_an_evaluation()
    {
        using var h = new MonitorHarness().Start();
        for (var i = 0; i < 10_000; i++)
        {
            h.Gc.Raise(Samples.Gc(i, 0, TimeSpan.FromMilliseconds(1)));
        }

        Assert.That(h.Script.Evaluations, Is.Zero);
        Assert.That(h.Monitor.GetRecentGcSamples(10), Has.Count.EqualTo(10));
    }

    [TestCase(LeakState.Stable, 1000.0, true, false, TestName = "A Stable part whose latest rate interval lies above zero does not rise")]
    [TestCase(LeakState.Suspected, 1000.0, true, true, TestName = "A Suspected part rising live rises")]
    [TestCase(LeakState.Leaking, 1000.0, null, true, TestName = "A Leaking part whose evaluator cannot tell liveness rises")]
    [TestCase(LeakState.Leaking, 1000.0, false, false, TestName = "A Leaking part whose rise is not live does not rise")]
    [TestCase(LeakState.Suspected, 0.0, true, false, TestName = "A Suspected part whose rate interval reaches zero does not rise")]
    public void A_part_of_process_memory_rises_only_when_its_own_detector_suspects_it(LeakState state, double lower, bool? live, bool expected)
    {
        var verdict = new LeakVerdict { Signal = LeakSignals.NativeMemory, State = state, GrowthRatePerSecond = 2000, GrowthRateLowerPerSecond = lower };

        Assert.That(LeakMonitor.PartRises(verdict, live), Is.EqualTo(expected));
    }

    [Test]
    public void Managed_signals_hear_of_the_last_full_collection_from_when_it_was_first_seen()
    {
        using var h = new MonitorHarness().Start();
        h.StepBucket(2);
        Assert.That(h.Script.FullCollections[LeakSignals.ManagedHeap], Is.Null, "no full collection yet");

        h.Probe.Next = Samples.Memory() with { FullCollectionIndex = 7, FullCollectionHeapBytes = 90 * Samples.MiB, FullCollectionGen2Bytes = 40 * Samples.MiB, FullCollectionLohBytes = 5 * Samples.MiB };
        h.StepBucket();
        var seen = h.Time.GetUtcNow();
        h.StepBucket(3);

        Assert.Multiple(() =>
        {
            Assert.That(h.Script.FullCollections[LeakSignals.ManagedHeap], Is.EqualTo(new FullCollection(seen, 90 * Samples.MiB)));
            Assert.That(h.Script.FullCollections[LeakSignals.Gen2], Is.EqualTo(new FullCollection(seen, 40 * Samples.MiB)));
            Assert.That(h.Script.FullCollections[LeakSignals.Loh], Is.EqualTo(new FullCollection(seen, 5 * Samples.MiB)));
            Assert.That(h.Script.FullCollections.Keys, Is.EquivalentTo(new[] { LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh }), "only the signals the GC inflates");
        });

        h.Probe.Next = h.Probe.Next with { FullCollectionIndex = 9, FullCollectionHeapBytes = 95 * Samples.MiB };
        h.StepBucket();
        Assert.That(h.Script.FullCollections[LeakSignals.ManagedHeap], Is.EqualTo(new FullCollection(h.Time.GetUtcNow(), 95 * Samples.MiB)));
    }

    [Test]
    public void A_managed_rise_awaiting_a_full_collection_asks_the_runtime_for_one_at_most_once_per_window()
    {
        using var h = new MonitorHarness().Start(); // window 64 s, one sample a second
        h.Step(10);
        Assert.That(h.FullCollectionRequests, Is.Zero, "nothing awaits one");

        h.Script.AwaitingFullCollection.Add(LeakSignals.ManagedHeap);
        h.Script.AwaitingFullCollection.Add(LeakSignals.Gen2);
        h.Investigator.IsRunning = true;
        h.Step(5);
        Assert.That(h.FullCollectionRequests, Is.Zero, "a heap snapshot runs its own");

        // The snapshot's end asks for one itself (its own memory; see the next tests): that one counts for the window too.
        h.Investigator.IsRunning = false;
        h.Script.Restarts.Clear();
        h.Step(2);
        Assert.That(h.FullCollectionRequests, Is.EqualTo(1));
        Assert.That(h.Script.Restarts.Select(r => r.Signal), Is.EquivalentTo(new[] { LeakSignals.ProcessMemory, LeakSignals.NativeMemory }), "the collection moves resident memory: their warm-up restarts");
        Assert.That(h.LogsWithId(15).Count(), Is.EqualTo(1));
        Assert.That(h.LogsWithId(13), Is.Empty);

        h.Step(60);
        Assert.That(h.FullCollectionRequests, Is.EqualTo(1), "again within the window");

        h.Step(5);
        Assert.That(h.FullCollectionRequests, Is.EqualTo(2), "once more after a window");
        Assert.That(h.LogsWithId(13).Single().Message, Does.Contain(LeakSignals.ManagedHeap));

        h.Script.AwaitingFullCollection.Clear();
        h.Step(200);
        Assert.That(h.FullCollectionRequests, Is.EqualTo(2), "nothing awaits one any more");
    }

    [Test]
    public void An_investigation_s_own_memory_is_not_read_as_the_application_s_until_a_full_collection_after_it()
    {
        using var h = new MonitorHarness().Start(); // window 64 s, finest bucket 1 s
        h.RuntimeRunsRequestedCollections = false;
        h.StepBucket(3);
        var managed = h.Script.EvaluationsOf[LeakSignals.ManagedHeap];
        var gen2 = h.Script.EvaluationsOf[LeakSignals.Gen2];
        var loh = h.Script.EvaluationsOf[LeakSignals.Loh];
        var resident = h.Script.EvaluationsOf[LeakSignals.ProcessMemory];

        // The snapshots' own full collections (index 5) and the memory the investigation holds.
        h.Investigator.IsRunning = true;
        h.Probe.Next = Samples.Memory(managedHeap: 150 * Samples.MiB) with { FullCollectionIndex = 5, FullCollectionHeapBytes = 140 * Samples.MiB };
        h.StepBucket(5);
        Assert.Multiple(() =>
        {
            Assert.That(h.Script.EvaluationsOf[LeakSignals.ManagedHeap], Is.EqualTo(managed), "judged while the investigation ran");
            Assert.That(h.Script.EvaluationsOf[LeakSignals.Gen2], Is.EqualTo(gen2));
            Assert.That(h.Script.EvaluationsOf[LeakSignals.Loh], Is.EqualTo(loh));
            Assert.That(h.Script.EvaluationsOf[LeakSignals.ProcessMemory], Is.GreaterThan(resident), "the other signals go on");
            Assert.That(h.FullCollectionRequests, Is.Zero, "none while a snapshot runs");
        });

        // It ended: one request, and the signals wait for the collection.
        h.Investigator.IsRunning = false;
        h.StepBucket(3);
        Assert.Multiple(() =>
        {
            Assert.That(h.FullCollectionRequests, Is.EqualTo(1));
            Assert.That(h.LogsWithId(15).Count(), Is.EqualTo(1));
            Assert.That(h.Script.EvaluationsOf[LeakSignals.ManagedHeap], Is.EqualTo(managed), "judged before a full collection after the investigation");
        });

        h.Probe.Next = Samples.Memory(managedHeap: 105 * Samples.MiB) with { FullCollectionIndex = 6, FullCollectionHeapBytes = 101 * Samples.MiB };
        h.StepBucket();
        var seen = h.Time.GetUtcNow();
        h.StepBucket();
        Assert.Multiple(() =>
        {
            Assert.That(h.Script.EvaluationsOf[LeakSignals.ManagedHeap], Is.GreaterThan(managed), "released by the collection");
            Assert.That(h.Script.FullCollections[LeakSignals.ManagedHeap], Is.EqualTo(new FullCollection(seen, 101 * Samples.MiB)), "the snapshots' collection (140 MiB) is never the application's live heap");
        });
    }

    [Test]
    public void Without_a_full_collection_after_an_investigation_the_managed_signals_wait_one_window_and_never_take_its_own_for_the_application_s()
    {
        using var h = new MonitorHarness().Start(); // window 64 s
        h.RuntimeRunsRequestedCollections = false;
        h.StepBucket(3);
        var managed = h.Script.EvaluationsOf[LeakSignals.Gen2];
        h.Investigator.IsRunning = true;
        h.Probe.Next = Samples.Memory() with { FullCollectionIndex = 5, FullCollectionGen2Bytes = 70 * Samples.MiB };
        h.StepBucket(2);
        h.Investigator.IsRunning = false;
        h.Step(60); // one sample a second
        Assert.That(h.Script.EvaluationsOf[LeakSignals.Gen2], Is.EqualTo(managed), "released within the window without a collection");

        h.Step(10);
        Assert.Multiple(() =>
        {
            Assert.That(h.Script.EvaluationsOf[LeakSignals.Gen2], Is.GreaterThan(managed), "never released");
            Assert.That(h.Script.FullCollections[LeakSignals.Gen2], Is.Null, "the investigation's own collection taken for the application's live bytes");
        });
    }

    [Test]
    public void Signals_are_evaluated_once_per_closed_finest_bucket()
    {
        using var h = new MonitorHarness().Start();
        h.StepBucket();
        Assert.That(h.Script.Evaluations, Is.Zero, "the first value opens a bucket and closes none");

        // gc_pressure is a rate between two samples, so it starts one step later than the other ten.
        h.StepBucket(2);
        var before = h.Script.Evaluations;
        h.StepBucket(3);

        Assert.That(h.Script.Evaluations - before, Is.EqualTo(3 * 11));
    }

    [Test]
    public void Nothing_is_evaluated_during_warm_up()
    {
        using var h = new MonitorHarness(o => o.WarmUp = TimeSpan.FromHours(1)).Start();
        h.StepBucket(10);

        Assert.That(h.Script.Evaluations, Is.Zero);
        Assert.That(h.Monitor.GetSeries(LeakSignals.ManagedHeap, TimeSpan.Zero), Is.Not.Empty, "history still fills");
    }

    [Test]
    public void Nothing_is_sampled_before_the_first_garbage_collection()
    {
        using var h = new MonitorHarness().Start();
        h.Probe.Available = false;
        h.StepBucket(5);

        Assert.That(h.Monitor.GetRecentMemorySamples(), Is.Empty);
        Assert.That(h.Monitor.MemoryLimitBytes, Is.Null);
    }

    [Test]
    public void Signal_values_follow_the_design()
    {
        using var h = new MonitorHarness().Start();
        h.Probe.Next = Samples.Memory(managedHeap: 100 * Samples.MiB, resident: 300 * Samples.MiB, committed: 120 * Samples.MiB);
        h.StepBucket(2);

        double Last(string signal) => h.Monitor.GetSeries(signal, TimeSpan.Zero)[^1].Last;
        Assert.Multiple(() =>
        {
            Assert.That(Last(LeakSignals.ManagedHeap), Is.EqualTo(100 * Samples.MiB));
            Assert.That(Last(LeakSignals.Gen2), Is.EqualTo(50 * Samples.MiB));
            Assert.That(Last(LeakSignals.Loh), Is.EqualTo(10 * Samples.MiB));
            Assert.That(Last(LeakSignals.ProcessMemory), Is.EqualTo(300 * Samples.MiB));
            Assert.That(Last(LeakSignals.NativeMemory), Is.EqualTo(180 * Samples.MiB));
            Assert.That(Last(LeakSignals.Threads), Is.EqualTo(20));
            Assert.That(Last(LeakSignals.Timers), Is.EqualTo(3));
            Assert.That(Last(LeakSignals.GcHandles), Is.EqualTo(500));
            Assert.That(Last(LeakSignals.FinalizationQueue), Is.Zero);
            Assert.That(h.Monitor.GetSeries("no_such_signal", TimeSpan.Zero), Is.Empty);
        });
    }

    [Test]
    public void Memory_signals_are_judged_against_the_limit_and_counts_against_none()
    {
        using var h = new MonitorHarness(o => o.MemoryLimitBytes = 512 * Samples.MiB).Start();
        h.StepBucket(2);

        // The process reaches its limit when resident memory (200 MiB of the 512) does: the heap (100 MiB) by then has grown by the same 312 MiB.
        Assert.That(h.Script.Limits[LeakSignals.ProcessMemory], Is.EqualTo(512.0 * Samples.MiB));
        Assert.That(h.Script.Limits[LeakSignals.ManagedHeap], Is.EqualTo(412.0 * Samples.MiB));
        Assert.That(h.Script.Limits[LeakSignals.Threads], Is.Null);
    }

    [Test]
    public void A_state_change_is_published_once_on_the_verdict_stream()
    {
        using var h = new MonitorHarness().Start();
        var seen = new List<LeakVerdict>();
        using var subscription = h.Monitor.VerdictChanges.Subscribe(new ListObserver(seen));
        h.StepBucket(3);
        Assert.That(seen.Select(v => v.State), Is.All.EqualTo(LeakState.Stable), "leaving InsufficientData is a change too");
        seen.Clear();

        h.Script.States[LeakSignals.Threads] = LeakState.Suspected;
        h.StepBucket(3);

        Assert.That(seen.Select(v => $"{v.Signal}={v.State}"), Is.EqualTo(new[] { "threads=Suspected" }));
        Assert.That(h.Monitor.Verdicts[LeakSignals.Threads].State, Is.EqualTo(LeakState.Suspected));
    }

    [Test]
    public void Leaking_raises_LeakDetected_counts_a_detection_and_survives_a_throwing_handler()
    {
        using var h = new MonitorHarness().Start();
        var raised = new List<LeakDetectedEventArgs>();
        h.Monitor.LeakDetected += (_, _) => throw new InvalidOperationException("handler bug");
        h.Monitor.LeakDetected += (_, e) => raised.Add(e);
        h.StepBucket(2);

        h.Script.States[LeakSignals.ProcessMemory] = LeakState.Leaking;
        h.StepBucket(2);

        Assert.That(raised.Single().Verdict.Signal, Is.EqualTo(LeakSignals.ProcessMemory));
        Assert.That(h.Monitor.Readings.Detections[LeakSignals.ProcessMemory], Is.EqualTo(1));
        Assert.That(h.LogsWithId(92), Is.Not.Empty);
    }

    [Test]
    public void Suspected_leaking_and_cleared_are_logged_with_their_event_ids()
    {
        using var h = new MonitorHarness().Start();
        h.StepBucket(2);
        h.Script.States[LeakSignals.Timers] = LeakState.Suspected;
        h.StepBucket();
        h.Script.States[LeakSignals.Timers] = LeakState.Leaking;
        h.StepBucket();
        h.Script.States[LeakSignals.Timers] = LeakState.Stable;
        h.StepBucket();

        var suspected = h.LogsWithId(10).Single();
        Assert.That(suspected.Message, Does.StartWith("Leak suspected on timers: growing +3,600,000/h"));
        Assert.That(suspected.Message, Does.Contain("time to limit unknown"));
        Assert.That(suspected.StructuredState!.Single(kv => kv.Key == "Signal").Value, Is.EqualTo("timers"));
        Assert.That(h.LogsWithId(11).Single().Message, Does.StartWith("Leak detected on timers"));
        Assert.That(h.LogsWithId(12).Single().Message, Does.StartWith("timers is no longer suspected"));
    }

    private static LeakGuard.Investigation.LeakReport Report(string signal, DateTimeOffset detectedAt, string type = "MyApp.Session") => new()
    {
        Signal = signal,
        DetectedAt = detectedAt,
        Snapshots = new LeakGuard.Investigation.SnapshotPair(),
        GrowingTypes =
        [
            new LeakGuard.Investigation.GrowingType
            {
                Type = type,
                RetentionPaths = [new LeakGuard.Investigation.RetentionPath { Root = "static field Sessions", Path = [] }],
            },
        ],
    };

    [Test]
    public void The_leaking_log_names_the_top_growing_type_and_its_root_when_a_report_exists()
    {
        using var h = new MonitorHarness().Start();
        h.StepBucket(2);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Suspected;
        h.StepBucket();
        h.FinishInvestigation();
        h.Investigator.AddReport(Report(LeakSignals.ManagedHeap, h.Time.GetUtcNow()));
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        h.StepBucket();

        var message = h.LogsWithId(11).Single().Message;
        Assert.That(message, Does.Contain("top growing type MyApp.Session, held by static field Sessions"));
        Assert.That(h.Monitor.LatestReport!.GrowingTypes[0].Type, Is.EqualTo("MyApp.Session"));
    }

    [Test]
    public void The_leaking_log_of_a_thread_leak_gives_the_native_finding_of_its_episodes_report()
    {
        using var h = new MonitorHarness().Start();
        h.StepBucket(2);
        h.Script.States[LeakSignals.ProcessMemory] = LeakState.Suspected;
        h.Script.States[LeakSignals.Threads] = LeakState.Suspected;
        h.StepBucket();
        h.Investigator.AddReport(new LeakGuard.Investigation.LeakReport
        {
            Signal = LeakSignals.ProcessMemory,
            DetectedAt = h.Time.GetUtcNow(),
            Snapshots = new LeakGuard.Investigation.SnapshotPair(),
            GrowingTypes = [],
            Native = new LeakGuard.Investigation.NativeEvidence { Finding = "threads 20 → 60 (40 started, 0 ended, most named 'job' (40)): threads that start and never end" },
        });
        h.Script.States[LeakSignals.Threads] = LeakState.Leaking;
        h.StepBucket();

        Assert.That(h.LogsWithId(11).Single().Message, Does.Contain("top growing type none (native evidence: threads 20 → 60"), "RSS and threads are one episode");
    }

    [TestCase("manual", "a manual investigation says nothing about this leak")]
    [TestCase(LeakSignals.ProcessMemory, "another signal's report")]
    public void The_leak_is_not_dressed_in_a_report_of_another_investigation(string reportSignal, string because)
    {
        using var h = new MonitorHarness().Start();
        var raised = new List<LeakDetectedEventArgs>();
        h.Monitor.LeakDetected += (_, e) => raised.Add(e);
        h.StepBucket(2);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Suspected;
        h.StepBucket();
        h.FinishInvestigation();
        h.Investigator.AddReport(Report(reportSignal, h.Time.GetUtcNow(), "Unrelated.Type"));
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        h.StepBucket();

        Assert.That(h.LogsWithId(11).Single().Message, Does.Not.Contain("Unrelated.Type").And.Contain("no investigation yet"), because);
        Assert.That(raised.Single().Report, Is.Null, because);
    }

    [Test]
    public void The_leak_is_not_dressed_in_the_report_of_an_earlier_episode()
    {
        using var h = new MonitorHarness().Start();
        var raised = new List<LeakDetectedEventArgs>();
        h.Monitor.LeakDetected += (_, e) => raised.Add(e);
        h.StepBucket(2);
        h.Investigator.AddReport(Report(LeakSignals.ManagedHeap, h.Time.GetUtcNow(), "Earlier.Episode"));
        h.StepBucket(2);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        h.StepBucket();

        Assert.That(h.LogsWithId(11).Single().Message, Does.Not.Contain("Earlier.Episode"));
        Assert.That(raised.Single().Report, Is.Null);
    }

    [Test]
    public void Garbage_collection_samples_give_the_live_heap_after_the_last_gen2()
    {
        using var h = new MonitorHarness().Start();
        h.Gc.Raise(Samples.Gc(1, 2, TimeSpan.FromMilliseconds(5), heapAfter: 70 * Samples.MiB));
        h.Gc.Raise(Samples.Gc(2, 0, TimeSpan.FromMilliseconds(1), heapAfter: 90 * Samples.MiB));
        h.StepBucket();

        Assert.That(h.Monitor.Readings.LiveHeapBytes, Is.EqualTo(70 * Samples.MiB));
        Assert.That(h.Monitor.Readings.DroppedGcSamples, Is.Zero);
    }

    [Test]
    public void Garbage_collection_samples_overwritten_before_the_loop_reads_them_are_counted_as_dropped()
    {
        using var h = new MonitorHarness().Start();
        for (var i = 0; i < 1024 + 100; i++)
        {
            h.Gc.Raise(Samples.Gc(i, 0, TimeSpan.FromMilliseconds(1)));
        }

        h.StepBucket();

        Assert.That(h.Monitor.Readings.DroppedGcSamples, Is.EqualTo(100));
    }

    [Test]
    public void A_failing_sampling_step_is_logged_and_the_loop_carries_on()
    {
        using var h = new MonitorHarness().Start();
        h.Probe.ThrowOnRead = true;
        h.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.DoesNotThrow(() => h.Monitor.SafeTick());
        Assert.That(h.LogsWithId(90).Single().Exception, Is.InstanceOf<InvalidOperationException>());

        h.Probe.ThrowOnRead = false;
        h.StepBucket();
        Assert.That(h.Monitor.GetRecentMemorySamples(), Has.Count.EqualTo(1));
    }

    [Test]
    public void The_sampling_loop_ticks_on_the_time_provider()
    {
        using var h = new MonitorHarness();
        h.Monitor.StartSampling(runLoop: true);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (h.Probe.Reads < 3 && DateTime.UtcNow < deadline)
        {
            h.Time.Advance(h.Options.SampleInterval);
            Thread.Yield();
        }

        Assert.That(h.Probe.Reads, Is.GreaterThanOrEqualTo(3));
    }

    private sealed class ListObserver(List<LeakVerdict> list) : IObserver<LeakVerdict>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(LeakVerdict value) => list.Add(value);
    }
}
