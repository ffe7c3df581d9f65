using LeakGuard.Sources;
using NUnit.Framework;

namespace LeakGuard.Tests.Sources;

public sealed class GcSampleBuilderTests
{
    private static readonly DateTime T0 = new(2026, 11, 24, 6, 0, 0, DateTimeKind.Utc);
    private readonly List<GcSample> _samples = [];
    private GcSampleBuilder _builder = null!;

    [SetUp]
    public void SetUp()
    {
        _samples.Clear();
        _builder = new GcSampleBuilder(_samples.Add);
    }

    private static DateTime Ms(double ms) => T0.AddTicks((long)(ms * TimeSpan.TicksPerMillisecond));

    private static GcHeapStats Stats(long gen2 = 3000, long handles = 42) =>
        new(Gen0: 100, Gen1: 200, Gen2: gen2, Loh: 400, Poh: 50, PromotedBytes: 700, FinalizationPromotedCount: 3, PinnedObjectCount: 4, GcHandleCount: handles);

    private void BlockingGc(long index, double startMs, int generation = 0, bool restart = true, bool stats = true)
    {
        _builder.OnSuspendBegin(Ms(startMs), reason: 1);
        _builder.OnStart(index, generation, reason: 0, type: 0);
        _builder.OnEnd(Ms(startMs + 1), index);
        if (stats)
        {
            _builder.OnHeapStats(Ms(startMs + 1.1), Stats());
        }

        if (restart)
        {
            _builder.OnRestartEnd(Ms(startMs + 2));
        }
    }

    [Test]
    public void Blocking_collection_yields_one_sample_with_pause_from_suspend_to_restart()
    {
        BlockingGc(7, 0, generation: 1);

        Assert.That(_samples, Has.Count.EqualTo(1));
        var sample = _samples[0];
        Assert.Multiple(() =>
        {
            Assert.That(sample.Index, Is.EqualTo(7));
            Assert.That(sample.Generation, Is.EqualTo(1));
            Assert.That(sample.PauseDuration, Is.EqualTo(TimeSpan.FromMilliseconds(2)));
            Assert.That(sample.Timestamp, Is.EqualTo(new DateTimeOffset(Ms(1))));
            Assert.That(sample.HeapSizeAfterBytes, Is.EqualTo(100 + 200 + 3000 + 400 + 50));
            Assert.That(sample.Gen2SizeBytes, Is.EqualTo(3000));
            Assert.That(sample.LohSizeBytes, Is.EqualTo(400));
            Assert.That(sample.PohSizeBytes, Is.EqualTo(50));
            Assert.That(sample.PromotedBytes, Is.EqualTo(700));
            Assert.That(sample.GcHandleCount, Is.EqualTo(42));
        });
    }

    [Test]
    public void Background_collection_sums_its_suspensions_and_lets_ephemeral_collections_through()
    {
        _builder.OnSuspendBegin(Ms(0), 1);
        _builder.OnStart(10, 2, reason: 0, type: 1);
        _builder.OnRestartEnd(Ms(1));                  // initial mark: 1 ms
        BlockingGc(11, 5);                             // an ephemeral GC during the background GC: 2 ms
        _builder.OnSuspendBegin(Ms(20), 6);
        _builder.OnRestartEnd(Ms(23));                 // final mark: 3 ms
        _builder.OnEnd(Ms(40), 10);
        _builder.OnHeapStats(Ms(40.1), Stats(gen2: 9000));

        Assert.That(_samples.Select(s => (s.Index, s.Type, s.PauseDuration.TotalMilliseconds, s.Gen2SizeBytes)), Is.EqualTo(new[]
        {
            (11L, 0, 2.0, 3000L),
            (10L, 1, 4.0, 9000L),
        }));
    }

    [Test]
    public void Collection_without_heap_stats_is_dropped_and_does_not_leak_into_the_next()
    {
        BlockingGc(1, 0, stats: false);
        BlockingGc(2, 10);

        Assert.Multiple(() =>
        {
            Assert.That(_samples.Select(s => s.Index), Is.EqualTo(new[] { 2L }));
            Assert.That(_samples[0].PauseDuration, Is.EqualTo(TimeSpan.FromMilliseconds(2)));
            Assert.That(_builder.DroppedCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void Collection_whose_restart_is_lost_is_emitted_when_the_next_one_starts()
    {
        _builder.OnStart(1, 0, 0, 0);
        _builder.OnEnd(Ms(1), 1);
        _builder.OnHeapStats(Ms(1), Stats());
        BlockingGc(2, 10);

        Assert.That(_samples.Select(s => (s.Index, s.PauseDuration.TotalMilliseconds)), Is.EqualTo(new[] { (1L, 0.0), (2L, 2.0) }));
    }

    [Test]
    public void Suspension_that_is_not_for_a_collection_adds_no_pause()
    {
        _builder.OnSuspendBegin(Ms(0), reason: 5);    // debugger
        _builder.OnStart(3, 0, 0, 0);
        _builder.OnEnd(Ms(1), 3);
        _builder.OnHeapStats(Ms(1), Stats());
        _builder.OnRestartEnd(Ms(50));

        Assert.That(_samples.Single().PauseDuration, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Events_of_a_collection_that_started_before_listening_are_ignored()
    {
        _builder.OnEnd(Ms(1), 5);
        _builder.OnHeapStats(Ms(1), Stats());
        _builder.OnRestartEnd(Ms(2));
        BlockingGc(6, 10);

        Assert.That(_samples.Select(s => s.Index), Is.EqualTo(new[] { 6L }));
    }

    [Test]
    public void Heap_stats_payload_is_decoded_by_position_for_every_integer_width()
    {
        object?[] payload =
        [
            100UL, 1UL, 200UL, 2UL, 3000UL, 3UL, 400UL, 4UL, 999UL, 5UL, 6U, 7U, 8U, (ushort)0, 50UL, 10UL,
        ];

        var stats = GcEventListener.DecodeHeapStats(payload);

        Assert.That(stats, Is.EqualTo(new GcHeapStats(100, 200, 3000, 400, 50, 1 + 2 + 3 + 4 + 10, 5, 6, 8)));
    }

    [Test]
    public void Heap_stats_without_the_pinned_object_heap_report_it_unavailable()
    {
        object?[] payload = [1UL, 0UL, 2UL, 0UL, 3UL, 0UL, 4UL, 0UL, 0UL, 0UL, 0U, 0U, 0U, (ushort)0];

        var stats = GcEventListener.DecodeHeapStats(payload);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Poh, Is.EqualTo(-1));
            Assert.That(stats.HeapSizeBytes, Is.EqualTo(10));
        });
    }

    [Test]
    public void Malformed_payload_fields_read_as_zero() =>
        Assert.That(GcEventListener.Read(["text", null], 0) + GcEventListener.Read(["text", null], 1) + GcEventListener.Read([], 3), Is.Zero);
}
