using LeakGuard.Buffering;
using NUnit.Framework;

namespace LeakGuard.Tests.Buffering;

public sealed class SampleRingTests
{
    [Test]
    public void Empty_ring_copies_and_reads_nothing()
    {
        var ring = new SampleRing<long>(4);
        var destination = new long[4];

        Assert.Multiple(() =>
        {
            Assert.That(ring.CopyLatest(destination), Is.Zero);
            Assert.That(ring.TryReadLatest(out _), Is.False);
            Assert.That(ring.Count, Is.Zero);
            Assert.That(ring.TotalWritten, Is.Zero);
        });
    }

    [Test]
    public void Partly_filled_ring_copies_what_was_written_oldest_first()
    {
        var ring = Filled(8, 3);
        var destination = new long[8];

        Assert.That(destination[..ring.CopyLatest(destination)], Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public void Ring_filled_to_exact_capacity_holds_every_sample()
    {
        var ring = Filled(4, 4);
        var destination = new long[4];

        Assert.Multiple(() =>
        {
            Assert.That(destination[..ring.CopyLatest(destination)], Is.EqualTo(new long[] { 1, 2, 3, 4 }));
            Assert.That(ring.Count, Is.EqualTo(4));
        });
    }

    [Test]
    public void Wrapped_ring_overwrites_the_oldest_and_keeps_the_latest_in_order()
    {
        var ring = Filled(4, 10);
        var destination = new long[6];

        Assert.Multiple(() =>
        {
            Assert.That(destination[..ring.CopyLatest(destination)], Is.EqualTo(new long[] { 7, 8, 9, 10 }));
            Assert.That(ring.Count, Is.EqualTo(4));
            Assert.That(ring.TotalWritten, Is.EqualTo(10));
            Assert.That(ring.TryReadLatest(out var latest) ? latest : 0, Is.EqualTo(10));
        });
    }

    [Test]
    public void Short_destination_receives_the_latest_samples()
    {
        var ring = Filled(8, 20);
        var destination = new long[3];

        Assert.That(destination[..ring.CopyLatest(destination)], Is.EqualTo(new long[] { 18, 19, 20 }));
    }

    [Test]
    public void Samples_are_addressable_by_sequence_until_overwritten()
    {
        var ring = Filled(4, 10);

        Assert.Multiple(() =>
        {
            Assert.That(ring.TryRead(9, out var last) ? last : 0, Is.EqualTo(10));
            Assert.That(ring.TryRead(6, out var oldest) ? oldest : 0, Is.EqualTo(7));
            Assert.That(ring.TryRead(5, out _), Is.False, "overwritten");
            Assert.That(ring.TryRead(10, out _), Is.False, "not written yet");
            Assert.That(ring.TryRead(-1, out _), Is.False);
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(100)]
    [TestCase(-8)]
    [TestCase(SampleRing<long>.MaxCapacity * 2)]
    public void Capacity_that_is_not_a_power_of_two_in_range_is_rejected(int capacity)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SampleRing<long>(capacity));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("capacity"));
            Assert.That(e.Message, Does.Contain("power of two between 2 and"));
        });
    }

    [Test]
    public void Writing_allocates_nothing()
    {
        var ring = new SampleRing<long>(64);
        ring.Write(0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            ring.Write(i);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static SampleRing<long> Filled(int capacity, int count)
    {
        var ring = new SampleRing<long>(capacity);
        for (var i = 1; i <= count; i++)
        {
            ring.Write(i);
        }

        return ring;
    }
}
