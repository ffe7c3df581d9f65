using System.Diagnostics.Metrics;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Telemetry;

public sealed class LeakGuardMetricsTests
{
    private static MetricCollector<T> Collect<T>(MonitorHarness h, string instrument)
        where T : struct => new(h.MeterFactory, LeakGuardInstrumentation.MeterName, instrument);

    private static Dictionary<string, T> BySignal<T>(MetricCollector<T> collector)
        where T : struct
    {
        collector.Clear();
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["leakguard.signal"]!, m => m.Value);
    }

    [Test]
    public void The_meter_publishes_exactly_the_contract_instruments_with_units_and_sentences()
    {
        using var h = new MonitorHarness();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == h.MeterFactory && instrument.Meter.Name == LeakGuardInstrumentation.MeterName)
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();

        var expected = new Dictionary<string, (string Unit, Type Kind)>
        {
            ["leakguard.leak.suspected"] = ("1", typeof(ObservableGauge<int>)),
            ["leakguard.leak.detections"] = ("{detection}", typeof(ObservableCounter<long>)),
            ["leakguard.memory.growth_rate"] = ("By/s", typeof(ObservableGauge<double>)),
            ["leakguard.memory.time_to_limit"] = ("s", typeof(ObservableGauge<double>)),
            ["leakguard.memory.limit"] = ("By", typeof(ObservableGauge<long>)),
            ["leakguard.memory.limit_utilization"] = ("1", typeof(ObservableGauge<double>)),
            ["leakguard.memory.native"] = ("By", typeof(ObservableGauge<long>)),
            ["leakguard.heap.live_size"] = ("By", typeof(ObservableGauge<long>)),
            ["leakguard.assembly.count"] = ("{assembly}", typeof(ObservableGauge<long>)),
            ["leakguard.gc.pause.duration"] = ("s", typeof(Histogram<double>)),
            ["leakguard.process.restarts"] = ("{restart}", typeof(ObservableCounter<long>)),
            ["leakguard.snapshot.duration"] = ("s", typeof(Histogram<double>)),
            ["leakguard.samples.dropped"] = ("{sample}", typeof(ObservableCounter<long>)),
        };
        Assert.That(instruments.Select(i => i.Name), Is.EquivalentTo(expected.Keys));
        foreach (var instrument in instruments)
        {
            Assert.That(instrument.Unit, Is.EqualTo(expected[instrument.Name].Unit), instrument.Name);
            Assert.That(instrument.GetType(), Is.EqualTo(expected[instrument.Name].Kind), instrument.Name);
            Assert.That(instrument.Description, Does.Match("^[A-Z].*\\.$"), instrument.Name);
        }

        var pause = (Histogram<double>)instruments.Single(i => i.Name == "leakguard.gc.pause.duration");
        Assert.That(pause.Advice?.HistogramBucketBoundaries, Does.Contain(0.001).And.Contain(1.0));
    }

    [Test]
    public void Suspected_is_zero_per_signal_until_a_signal_is_suspected()
    {
        using var h = new MonitorHarness().Start();
        using var collector = Collect<int>(h, "leakguard.leak.suspected");
        Assert.That(BySignal(collector).Values, Is.All.Zero);
        Assert.That(BySignal(collector).Keys, Does.Contain(LeakSignals.ManagedHeap).And.Contain(LeakSignals.Threads));

        h.StepBucket(2);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Suspected;
        h.Script.States[LeakSignals.Loh] = LeakState.Leaking;
        h.StepBucket();

        var values = BySignal(collector);
        Assert.That(values[LeakSignals.ManagedHeap], Is.EqualTo(1));
        Assert.That(values[LeakSignals.Loh], Is.EqualTo(1));
        Assert.That(values[LeakSignals.Threads], Is.Zero);
    }

    [Test]
    public void Detections_count_entries_into_leaking_per_signal()
    {
        using var h = new MonitorHarness().Start();
        using var collector = Collect<long>(h, "leakguard.leak.detections");
        h.StepBucket(2);
        foreach (var state in new[] { LeakState.Leaking, LeakState.Stable, LeakState.Leaking })
        {
            h.Script.States[LeakSignals.Timers] = state;
            h.StepBucket();
        }

        Assert.That(BySignal(collector)[LeakSignals.Timers], Is.EqualTo(2));
    }

    [Test]
    public void Growth_rate_and_time_to_limit_are_reported_for_judged_memory_signals_only()
    {
        using var h = new MonitorHarness().Start();
        using var growth = Collect<double>(h, "leakguard.memory.growth_rate");
        using var ttl = Collect<double>(h, "leakguard.memory.time_to_limit");
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Suspected;
        h.Script.TimeToLimit[LeakSignals.ManagedHeap] = TimeSpan.FromMinutes(90);
        h.Script.States[LeakSignals.Threads] = LeakState.Suspected;
        h.StepBucket(3);

        var rates = BySignal(growth);
        Assert.That(rates[LeakSignals.ManagedHeap], Is.EqualTo(1000));
        Assert.That(rates.Keys, Is.SubsetOf(new[] { LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh, LeakSignals.ProcessMemory, LeakSignals.NativeMemory }));
        Assert.That(BySignal(ttl), Is.EqualTo(new Dictionary<string, double> { [LeakSignals.ManagedHeap] = 5400 }));
    }

    [Test]
    public void Limit_utilization_native_and_live_heap_are_absent_until_known_then_reported()
    {
        using var h = new MonitorHarness().Start();
        using var limit = Collect<long>(h, "leakguard.memory.limit");
        using var utilization = Collect<double>(h, "leakguard.memory.limit_utilization");
        using var native = Collect<long>(h, "leakguard.memory.native");
        using var live = Collect<long>(h, "leakguard.heap.live_size");
        limit.RecordObservableInstruments();
        Assert.That(limit.GetMeasurementSnapshot(), Is.Empty);

        h.Probe.Next = Samples.Memory(resident: 512 * Samples.MiB, committed: 400 * Samples.MiB, containerLimit: 1024 * Samples.MiB);
        h.Gc.Raise(Samples.Gc(1, 2, TimeSpan.FromMilliseconds(3), heapAfter: 300 * Samples.MiB));
        h.StepBucket();
        limit.RecordObservableInstruments();
        utilization.RecordObservableInstruments();
        native.RecordObservableInstruments();
        live.RecordObservableInstruments();

        Assert.That(limit.LastMeasurement!.Value, Is.EqualTo(1024 * Samples.MiB));
        Assert.That(utilization.LastMeasurement!.Value, Is.EqualTo(0.5));
        Assert.That(native.LastMeasurement!.Value, Is.EqualTo(112 * Samples.MiB));
        Assert.That(live.LastMeasurement!.Value, Is.EqualTo(300 * Samples.MiB));
    }

    [Test]
    public void Dynamic_and_collectible_assemblies_are_counted_by_kind_once_sampled()
    {
        using var h = new MonitorHarness().Start();
        using var assemblies = Collect<long>(h, "leakguard.assembly.count");
        assemblies.RecordObservableInstruments();
        Assert.That(assemblies.GetMeasurementSnapshot(), Is.Empty, "absent before the first sample");

        h.Probe.Next = Samples.Memory() with { LoadedAssemblyCount = 120, DynamicAssemblyCount = 7, CollectibleAssemblyCount = 2 };
        h.StepBucket();
        assemblies.RecordObservableInstruments();

        var byKind = assemblies.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["leakguard.assembly.kind"]!, m => m.Value);
        Assert.That(byKind, Is.EqualTo(new Dictionary<string, long> { ["dynamic"] = 7, ["collectible"] = 2 }));
    }

    [Test]
    public void Gc_pauses_are_recorded_in_seconds_per_generation()
    {
        using var h = new MonitorHarness().Start();
        using var collector = Collect<double>(h, "leakguard.gc.pause.duration");
        h.Gc.Raise(Samples.Gc(1, 0, TimeSpan.FromMilliseconds(2)));
        h.Gc.Raise(Samples.Gc(2, 2, TimeSpan.FromMilliseconds(40)));
        h.Gc.Raise(Samples.Gc(3, 1, TimeSpan.Zero));

        var measurements = collector.GetMeasurementSnapshot();
        Assert.That(measurements.Select(m => ((string)m.Tags["gc.heap.generation"]!, m.Value)), Is.EqualTo(new[] { ("gen0", 0.002), ("gen2", 0.04) }));
    }

    [Test]
    public void Restarts_are_reported_once_with_their_reason()
    {
        var directory = Directory.CreateTempSubdirectory("leakguard-metrics-").FullName;
        try
        {
            File.WriteAllBytes(
                Path.Combine(directory, LeakGuard.Hosting.RestartStateStore.FileName),
                LeakGuard.Hosting.RestartStateStore.Serialize(new LeakGuard.Hosting.RestartState { LastUtilization = 0.99 }));
            using var h = new MonitorHarness(o => o.StateDirectory = directory).Start();
            using var collector = Collect<long>(h, "leakguard.process.restarts");
            h.StepBucket();
            collector.RecordObservableInstruments();

            Assert.That(collector.LastMeasurement!.Value, Is.EqualTo(1));
            Assert.That(collector.LastMeasurement.Tags["leakguard.restart.reason"], Is.EqualTo("oom_killed"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Snapshot_durations_are_recorded()
    {
        using var h = new MonitorHarness(o => o.Snapshots.Mode = SnapshotMode.Manual);
        using var collector = Collect<double>(h, "leakguard.snapshot.duration");
        await h.Monitor.CaptureHeapSnapshotAsync();

        Assert.That(collector.LastMeasurement!.Value, Is.EqualTo(0.75));
    }

    [Test]
    public async Task Snapshots_taken_by_an_investigation_are_recorded_too()
    {
        using var h = new MonitorHarness(o => o.Snapshots.Mode = SnapshotMode.Manual);
        using var collector = Collect<double>(h, "leakguard.snapshot.duration");
        await h.Monitor.InvestigateAsync();

        Assert.That(collector.GetMeasurementSnapshot().Select(m => m.Value), Is.EqualTo(new[] { 0.5, 0.5 }));
    }

    [Test]
    public void Dropped_samples_are_counted_by_kind()
    {
        using var h = new MonitorHarness().Start();
        using var collector = Collect<long>(h, "leakguard.samples.dropped");
        for (var i = 0; i < 1030; i++)
        {
            h.Gc.Raise(Samples.Gc(i, 0, TimeSpan.FromMilliseconds(1)));
        }

        h.StepBucket();
        h.Probe.Available = false;
        h.StepBucket();
        collector.RecordObservableInstruments();

        var byKind = collector.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["leakguard.sample.kind"]!, m => m.Value);
        Assert.That(byKind, Is.EqualTo(new Dictionary<string, long> { ["gc"] = 6, ["memory"] = 1 }));
    }
}
