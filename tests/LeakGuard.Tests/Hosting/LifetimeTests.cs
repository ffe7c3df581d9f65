using System.Text.Json;
using LeakGuard.Hosting;
using LeakGuard.Sources;
using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

/// <summary>Issue 21, item 4: lifetime summaries in <c>StateDirectory</c> and the <c>restart_cadence</c> verdict.</summary>
public sealed class LifetimeTests
{
    private const long MiB = Samples.MiB;
    private const int LifetimeSeconds = 60;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    private enum End
    {
        /// <summary>Killed: the files stay as they were at the last step (no stop runs).</summary>
        Killed,

        /// <summary>Stopped cleanly.</summary>
        Stopped,
    }

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("leakguard-lifetimes-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string LifetimesPath => Path.Combine(_directory, LifetimeStore.FileName);

    // A leak of 4.5 MiB a second in a 512 MiB container: the managed heap from 104.5 MiB (step 1) to 370 MiB (step 60).
    // With the GC's limit at 384 MiB (resident = heap + 60 MiB) the GC heap limit binds: a death there is out_of_memory; at
    // 1 GiB the container does (resident = heap + 130 MiB reaches 500 MiB): oom_killed.
    private static Func<int, MemorySample> Leak(long gcLimitMiB) => step =>
    {
        var heap = (long)((100 + (4.5 * step)) * MiB);
        var native = gcLimitMiB < 512 ? 60 * MiB : 130 * MiB;
        return Samples.Memory(managedHeap: heap, resident: heap + native, containerLimit: 512 * MiB, totalAvailable: gcLimitMiB * MiB);
    };

    // Flat near the limit: an instance that was always too big, not one that leaked.
    private static Func<int, MemorySample> Flat => _ => Samples.Memory(managedHeap: 300 * MiB, resident: 495 * MiB, containerLimit: 512 * MiB);

    /// <summary>Runs one lifetime of <paramref name="seconds"/> one-second steps starting <paramref name="index"/> × 10 min after T0.</summary>
    private async Task Live(int index, Func<int, MemorySample> sampleAt, End end, int seconds = LifetimeSeconds, Action<MonitorHarness>? afterFirstStep = null)
    {
        var h = new MonitorHarness(o => o.StateDirectory = _directory);
        h.Time.Advance(TimeSpan.FromMinutes(10 * index));
        h.Start();
        for (var step = 1; step <= seconds; step++)
        {
            h.Probe.Next = sampleAt(step);
            h.Step();
            if (step == 1)
            {
                afterFirstStep?.Invoke(h);
            }
        }

        if (end == End.Stopped)
        {
            await h.Monitor.StopAsync();
            h.Dispose();
            return;
        }

        // A kill: whatever the files held at the last step is what the next start reads.
        var saved = StateFiles().ToDictionary(f => f, File.ReadAllBytes);
        h.Dispose();
        foreach (var file in StateFiles())
        {
            File.Delete(file);
        }

        foreach (var (file, bytes) in saved)
        {
            File.WriteAllBytes(file, bytes);
        }
    }

    private IEnumerable<string> StateFiles() =>
        Directory.GetFiles(_directory).Where(f => !Path.GetFileName(f).StartsWith(StateDirectoryLock.FileName, StringComparison.Ordinal));

    private MonitorHarness StartAfter(int lifetimes, List<LeakDetectedEventArgs>? raised = null)
    {
        var h = new MonitorHarness(o => o.StateDirectory = _directory);
        h.Time.Advance(TimeSpan.FromMinutes(10 * lifetimes));
        if (raised is not null)
        {
            h.Monitor.LeakDetected += (_, e) => raised.Add(e);
        }

        h.Start();
        h.Probe.Next = Samples.Memory(containerLimit: 512 * MiB);
        h.Step();
        return h;
    }

    [TestCase(384, RestartReasons.OutOfMemory, "gc_heap_limit")]
    [TestCase(1024, RestartReasons.OomKilled, "container")]
    public async Task Three_lifetimes_that_each_grew_until_an_oom_death_are_a_restart_cadence_at_the_third_restart(long gcLimitMiB, string reason, string limit)
    {
        var atThirdStart = LeakState.Leaking;
        for (var i = 0; i < 3; i++)
        {
            await Live(i, Leak(gcLimitMiB), End.Killed, afterFirstStep: h => atThirdStart = h.Monitor.Verdicts[LeakSignals.RestartCadence].State);
        }

        Assert.That(atThirdStart, Is.EqualTo(LeakState.InsufficientData), "two deaths are no cadence yet");
        var raised = new List<LeakDetectedEventArgs>();
        using var fourth = StartAfter(3, raised);

        var verdict = fourth.Monitor.Verdicts[LeakSignals.RestartCadence];
        var past = fourth.Monitor.PastLifetimes;
        var durations = past.Select(l => l.Duration.TotalSeconds).ToList();
        var limitBytes = (gcLimitMiB == 384 ? 384 : 512) * MiB;
        Assert.Multiple(() =>
        {
            Assert.That(past.Select(l => l.Reason), Is.EqualTo(new[] { reason, reason, reason }));
            Assert.That(durations, Has.All.InRange(LifetimeSeconds - 10, LifetimeSeconds), "each lived to its last sighting");
            Assert.That(verdict.State, Is.EqualTo(LeakState.Leaking));
            Assert.That(verdict.Horizon.TotalSeconds, Is.EqualTo(durations.Order().ElementAt(1)), "the cadence is the median lifetime");

            // Growth per lifetime: from the first segment's floor (step 1: 104.5 MiB of heap) to the peak (370 MiB at step 60,
            // or a step earlier when the last restart-record write was), in the binding limit's usage.
            Assert.That(verdict.GrowthSinceBaseline / MiB, Is.InRange(265.5 - 4.5, 265.5 + 0.01));
            Assert.That(verdict.GrowthRatePerSecond, Is.EqualTo(verdict.GrowthSinceBaseline / verdict.Horizon.TotalSeconds).Within(1e-6));
            Assert.That(verdict.GrowthRateLowerPerSecond, Is.LessThanOrEqualTo(verdict.GrowthRatePerSecond));
            Assert.That(verdict.GrowthRateUpperPerSecond, Is.GreaterThanOrEqualTo(verdict.GrowthRatePerSecond));
            Assert.That((verdict.Limit, verdict.LimitBytes), Is.EqualTo((limit, (long?)limitBytes)));
            Assert.That(verdict.Reason, Does.StartWith($"3 of the last 3 lifetimes died of {reason} after ").And.Contain("per lifetime: a leak restarts this service every ~"));
        });

        var logged = fourth.LogsWithId(55).Single();
        Assert.That(logged.Level, Is.EqualTo(Microsoft.Extensions.Logging.LogLevel.Error));
        Assert.That(logged.Message, Does.Contain($"the last 3 lifetimes each grew from start until it ended by {reason}").And.Contain(LifetimesPath));
        Assert.That(raised.Select(e => e.Verdict.Signal), Is.EqualTo(new[] { LeakSignals.RestartCadence }), "raised once through LeakDetected");
        Assert.That(fourth.Monitor.Readings.Detections[LeakSignals.RestartCadence], Is.EqualTo(1));

        fourth.Step(30);
        Assert.That(fourth.LogsWithId(55).Count(), Is.EqualTo(1), "logged once");
        Assert.That(fourth.Monitor.Verdicts[LeakSignals.RestartCadence].State, Is.EqualTo(LeakState.Leaking), "it stays Leaking for the lifetime");
    }

    [Test]
    public async Task A_clean_exit_in_the_run_means_no_cadence()
    {
        await Live(0, Leak(1024), End.Killed);
        await Live(1, Leak(1024), End.Killed);
        await Live(2, Leak(1024), End.Stopped);
        await Live(3, Leak(1024), End.Killed);
        await Live(4, Leak(1024), End.Killed);

        using var h = StartAfter(5);

        var verdict = h.Monitor.Verdicts[LeakSignals.RestartCadence];
        Assert.That(h.Monitor.PastLifetimes.Select(l => l.Reason), Is.EqualTo(new[]
        {
            RestartReasons.OomKilled, RestartReasons.OomKilled, RestartReasons.CleanExit, RestartReasons.OomKilled, RestartReasons.OomKilled,
        }));
        Assert.That(verdict.State, Is.EqualTo(LeakState.Stable));
        Assert.That(verdict.Reason, Does.Contain("2 lifetime(s) in a row").And.Contain("ended by clean_exit"));
        Assert.That(h.LogsWithId(55), Is.Empty);
    }

    [Test]
    public async Task Lifetimes_that_died_at_the_limit_without_growing_are_no_cadence()
    {
        for (var i = 0; i < 4; i++)
        {
            await Live(i, Flat, End.Killed);
        }

        using var h = StartAfter(4);

        var verdict = h.Monitor.Verdicts[LeakSignals.RestartCadence];
        Assert.That(h.Monitor.PastLifetimes.Select(l => l.Reason), Has.All.EqualTo(RestartReasons.OomKilled));
        Assert.That(verdict.State, Is.EqualTo(LeakState.Stable));
        Assert.That(verdict.Reason, Does.Contain("0 lifetime(s) in a row").And.Contain("without growing from its start"));
    }

    [Test]
    public async Task A_lifetime_that_outlives_twice_the_cadence_without_growing_clears_the_verdict()
    {
        for (var i = 0; i < 3; i++)
        {
            await Live(i, Leak(1024), End.Killed);
        }

        using var h = StartAfter(3);
        Assert.That(h.Monitor.Verdicts[LeakSignals.RestartCadence].State, Is.EqualTo(LeakState.Leaking));
        var longest = h.Monitor.PastLifetimes.Max(l => l.Duration);

        // Flat, well below the limit: the fix was deployed.
        h.Step((int)longest.TotalSeconds);
        Assert.That(h.Monitor.Verdicts[LeakSignals.RestartCadence].State, Is.EqualTo(LeakState.Leaking), "not yet clearly longer");
        h.Step((int)longest.TotalSeconds + 15);

        var verdict = h.Monitor.Verdicts[LeakSignals.RestartCadence];
        Assert.That(verdict.State, Is.EqualTo(LeakState.Stable));
        Assert.That(verdict.Reason, Does.Contain("more than 2 times the longest of the last 3").And.Contain("without growing"));
        Assert.That(h.LogsWithId(12).Single().Message, Does.Contain(LeakSignals.RestartCadence));
    }

    [Test]
    public async Task A_lifetime_that_outlives_twice_the_cadence_while_still_growing_stays_leaking()
    {
        for (var i = 0; i < 3; i++)
        {
            await Live(i, Leak(1024), End.Killed);
        }

        using var h = StartAfter(3);
        var longest = (int)h.Monitor.PastLifetimes.Max(l => l.Duration).TotalSeconds;

        // Half the leak rate: it lives twice as long, and still grows.
        for (var step = 1; step <= (2 * longest) + 20; step++)
        {
            var heap = (long)((100 + (1.5 * step)) * MiB);
            h.Probe.Next = Samples.Memory(managedHeap: heap, resident: heap + (130 * MiB), containerLimit: 512 * MiB);
            h.Step();
        }

        Assert.That(h.Monitor.Verdicts[LeakSignals.RestartCadence].State, Is.EqualTo(LeakState.Leaking));
    }

    [Test]
    public void Two_earlier_lifetimes_are_insufficient_data_and_a_first_start_has_the_signal_too()
    {
        using var h = StartAfter(0);

        var verdict = h.Monitor.Verdicts[LeakSignals.RestartCadence];
        Assert.That(verdict.State, Is.EqualTo(LeakState.InsufficientData));
        Assert.That(verdict.Reason, Does.StartWith("0 earlier lifetime(s) recorded"));
        Assert.That(LifetimeStore.Parse(File.ReadAllBytes(LifetimesPath)), Has.Count.EqualTo(1), "this lifetime is recorded from its start");
    }

    [Test]
    public void Without_a_state_directory_there_is_no_restart_cadence_signal()
    {
        using var h = new MonitorHarness().Start();
        h.Step();

        Assert.That(h.Monitor.Verdicts.ContainsKey(LeakSignals.RestartCadence), Is.False);
    }

    [TestCase("{ not json")]
    [TestCase("{\"version\": 2, \"lifetimes\": []}")]
    [TestCase("{\"version\": 1, \"lifetimes\": [{\"processId\": 1}]}")]
    public void A_corrupt_lifetimes_file_is_one_warning_and_a_fresh_start(string content)
    {
        File.WriteAllText(LifetimesPath, content);

        using var h = StartAfter(1);
        h.Step(20);

        Assert.That(h.LogsWithId(56).Single().Message, Does.Contain(LifetimesPath));
        Assert.That(h.LogsWithId(90), Is.Empty, "no step failed");
        Assert.That(h.Monitor.Verdicts[LeakSignals.RestartCadence].State, Is.EqualTo(LeakState.InsufficientData));
        Assert.That(LifetimeStore.Parse(File.ReadAllBytes(LifetimesPath)).Single().StartedAt, Is.EqualTo(T0.AddMinutes(10)), "replaced by this lifetime's");
    }

    [Test]
    public void An_oversized_lifetimes_file_is_not_read()
    {
        File.WriteAllText(LifetimesPath, "{\"version\": 1, \"lifetimes\": []}" + new string(' ', LifetimeStore.MaxFileBytes));

        using var h = StartAfter(1);

        Assert.That(h.LogsWithId(56).Single().Message, Does.Contain("more than the 262144 a lifetimes file may have"));
        Assert.That(new FileInfo(LifetimesPath).Length, Is.LessThan(4096), "replaced");
    }

    [Test]
    public async Task The_file_keeps_the_last_sixteen_lifetimes_and_stays_small()
    {
        for (var i = 0; i < LifetimeStore.MaxLifetimes + 4; i++)
        {
            await Live(i, Leak(1024), End.Killed, seconds: 20);
        }

        var lifetimes = LifetimeStore.Parse(File.ReadAllBytes(LifetimesPath));
        Assert.That(lifetimes, Has.Count.EqualTo(LifetimeStore.MaxLifetimes));
        Assert.That(lifetimes[^1].StartedAt, Is.EqualTo(T0.AddMinutes(10 * (LifetimeStore.MaxLifetimes + 3))), "the newest kept");
        Assert.That(lifetimes.Take(LifetimeStore.MaxLifetimes - 1).Select(l => l.Reason), Has.None.Null, "each completed by the next start");
        Assert.That(new FileInfo(LifetimesPath).Length, Is.LessThan(64 * 1024));
    }

    [Test]
    public void A_summary_holds_each_memory_signal_and_the_floors_and_round_trips()
    {
        using (var h = StartAfter(0))
        {
            h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
            for (var step = 2; step <= 40; step++)
            {
                h.Probe.Next = Leak(1024)(step);
                h.Step();
            }

            h.Monitor.StopAsync().GetAwaiter().GetResult();
        }

        var bytes = File.ReadAllBytes(LifetimesPath);
        var lifetime = LifetimeStore.Parse(bytes).Single();
        var heap = lifetime.Signals.Single(s => s.Signal == LeakSignals.ManagedHeap);
        Assert.Multiple(() =>
        {
            Assert.That(lifetime.Signals.Select(s => s.Signal), Is.EquivalentTo(new[]
            {
                LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh, LeakSignals.ProcessMemory, LeakSignals.NativeMemory,
            }));
            Assert.That(heap.First, Is.EqualTo(100 * MiB), "the first reading (the start's sample)");
            Assert.That(heap.Last, Is.EqualTo((100 + (4.5 * 40)) * MiB));
            Assert.That(heap.State, Is.EqualTo(nameof(LeakState.Leaking)));
            Assert.That(heap.RatePerSecond, Is.EqualTo(1000), "the verdict's floor slope (scripted)");
            Assert.That(heap.HourlyFloors, Is.EqualTo(new[] { 100.0 * MiB }));
            Assert.That(lifetime.UtilizationFloors, Has.Count.InRange(4, LifetimeRecorder.Segments));
            Assert.That(lifetime.UtilizationFloors, Is.Ordered, "a leak's floors climb");
            Assert.That(lifetime.Reason, Is.Null, "completed by the next start");
        });
        Assert.That(LifetimeStore.Serialize(LifetimeStore.Parse(bytes)), Is.EqualTo(bytes));
    }

    [Test]
    public void The_recorder_keeps_three_days_of_hourly_floors_and_sixteen_segments()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.Zero);
        var recorder = new LifetimeRecorder(start, TimeSpan.FromSeconds(1));
        for (var minute = 0; minute < 5 * 24 * 60; minute++)
        {
            var now = start.AddMinutes(minute);

            // A daily cycle over a slow rise: the hour's floor is its first minute's value.
            var value = (1000.0 * minute) + (now.Minute * 7);
            recorder.ObserveSignal(now, LeakSignals.ManagedHeap, value);
            recorder.ObserveUtilization(now, minute / (5.0 * 24 * 60), 1000, LimitNames.Container);
        }

        var summary = recorder.Summarize(start.AddDays(5), new Dictionary<string, LeakVerdict>(), null, null);
        var heap = summary.Signals.Single();
        var lastHour = new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero);
        Assert.That(heap.HourlyFloors, Has.Count.EqualTo(LifetimeRecorder.HourlyCapacity));
        Assert.That(heap.HourlyFrom, Is.EqualTo(lastHour.AddHours(-(LifetimeRecorder.HourlyCapacity - 1))));
        Assert.That(heap.HourlyFloors[^1], Is.EqualTo(1000.0 * (lastHour - start).TotalMinutes), "the last hour's first minute");
        Assert.That(heap.HourlyFloors[0], Is.EqualTo(1000.0 * (heap.HourlyFrom - start).TotalMinutes));
        Assert.That(summary.UtilizationFloors, Has.Count.LessThanOrEqualTo(LifetimeRecorder.Segments));
        Assert.That(summary.UtilizationFloors, Is.Ordered);
        Assert.That(RestartCadence.Grew(summary.UtilizationFloors.ToArray()), Is.True);
    }

    [Test]
    public async Task A_restart_seeds_each_memory_signals_evaluator_with_the_earlier_lifetimes_hourly_floors()
    {
        // Two lifetimes of 90 min each (one-minute steps): hours 00, 01 and hours 02, 03 of the first day.
        for (var i = 0; i < 2; i++)
        {
            var h = new MonitorHarness(o =>
            {
                o.StateDirectory = _directory;
                o.SampleInterval = TimeSpan.FromMinutes(1);
            });
            h.Time.Advance(TimeSpan.FromMinutes(120 * i));
            h.Start();
            for (var step = 1; step <= 90; step++)
            {
                h.Probe.Next = Samples.Memory(managedHeap: ((100 * (i + 1)) + step) * MiB);
                h.Step();
            }

            await h.Monitor.StopAsync();
            h.Dispose();
        }

        using var third = StartAfter(24);

        var heap = third.Script.PriorFloors[LeakSignals.ManagedHeap];
        Assert.That(heap.Select(f => (f.Hour.Hour, f.Min / MiB)), Is.EqualTo(new[] { (0, 101.0), (1, 160.0), (2, 201.0), (3, 260.0) }));
        Assert.That(heap.Select(f => f.LifetimeStartedAt).Distinct(), Is.EqualTo(new[] { T0, T0.AddMinutes(120) }), "each floor names its lifetime");
        Assert.That(third.Script.PriorFloors.Keys, Is.EquivalentTo(new[]
        {
            LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh, LeakSignals.ProcessMemory, LeakSignals.NativeMemory,
        }), "memory signals only");
    }

    [Test]
    public void Old_lifetimes_lose_their_hourly_floors()
    {
        LifetimeSummary At(int day) => new()
        {
            StartedAt = T0.AddDays(day),
            LastSeenAt = T0.AddDays(day).AddHours(1),
            Signals = [new LifetimeSignal { Signal = LeakSignals.ManagedHeap, HourlyFrom = T0.AddDays(day), HourlyFloors = [1, 2] }],
        };

        var bounded = LifetimeStore.Bound([At(0), At(2), At(5)]);

        Assert.That(bounded.Select(l => l.Signals[0].HourlyFloors.Count), Is.EqualTo(new[] { 0, 2, 2 }));
    }

    [TestCase(new[] { 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 }, true)]
    [TestCase(new[] { 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.99 }, false)] // a spike kills a flat process
    [TestCase(new[] { 0.30, 0.31, 0.32, 0.33 }, false)] // rises, but not by 10 points
    [TestCase(new[] { 0.2, 0.9, 0.3, 0.95 }, false)] // no climb
    [TestCase(new[] { 0.2, 0.5, 0.9 }, false)] // too short to judge
    [TestCase(new[] { 0.2, double.NaN, 0.4, double.NaN, 0.6, 0.8 }, true)] // hours without a reading are skipped
    public void A_lifetime_grew_when_its_quarters_floors_climb_by_ten_points(double[] floors, bool grew) =>
        Assert.That(RestartCadence.Grew(floors), Is.EqualTo(grew));

    private static LifetimeSummary Died(int index, double seconds, string reason = RestartReasons.OomKilled) => new()
    {
        StartedAt = T0.AddHours(index),
        LastSeenAt = T0.AddHours(index).AddSeconds(seconds),
        Reason = reason,
        PeakUtilization = 0.98,
        LimitBytes = 512 * MiB,
        UtilizationFloors = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
    };

    [Test]
    public void Lifetimes_of_very_different_lengths_are_no_cadence()
    {
        var finding = RestartCadence.Evaluate([Died(0, 30), Died(1, 60), Died(2, 200)]);

        Assert.That(finding.State, Is.EqualTo(LeakState.Stable));
        Assert.That(finding.Reason, Does.Contain("do not lie within a factor 2 of their median"));
    }

    [Test]
    public void An_outlier_before_the_cadence_is_left_out_of_it()
    {
        var finding = RestartCadence.Evaluate([Died(0, 3000), Died(1, 58), Died(2, 63, RestartReasons.Recycled), Died(3, 60)]);

        Assert.That(finding.State, Is.EqualTo(LeakState.Leaking));
        Assert.That(finding.Run, Has.Count.EqualTo(3));
        Assert.That(finding.Cadence, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(finding.GrowthPerLifetime, Is.EqualTo((0.98 - 0.3) * 512 * MiB).Within(1));
        Assert.That(finding.Reason, Does.StartWith("3 of the last 3 lifetimes died of oom_killed (2) or recycled (1) after 58 s–1 min each, growing 348 MiB per lifetime"));
    }

    [Test]
    public void The_restart_cadence_signal_grows_in_bytes_but_is_no_memory_signal()
    {
        Assert.That(LeakSignals.GrowsInBytes(LeakSignals.RestartCadence), Is.True);
        Assert.That(LeakSignals.IsMemorySignal(LeakSignals.RestartCadence), Is.False, "no series, no time to limit: not a memory signal");
    }

    [Test]
    public void A_failed_lifetimes_write_is_reported_once_and_nothing_is_thrown()
    {
        // A directory where the file should be: the rename fails after the temporary file was written.
        Directory.CreateDirectory(LifetimesPath);

        using var h = StartAfter(0);
        h.Step(30);

        Assert.That(h.LogsWithId(52).Select(r => r.Message), Has.One.Contain(LifetimesPath));
        Assert.That(h.LogsWithId(90), Is.Empty, "no step failed");
        Assert.That(Directory.GetFiles(_directory).Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)), Is.Empty);
    }
}
