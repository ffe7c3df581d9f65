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

    [Test]
    public void Follower_reads_what_is_new_since_its_last_read_oldest_first()
    {
        var ring = Filled(8, 3);
        var destination = new long[8];

        var copied = ring.CopySince(0, destination, out var first);
        var firstBatch = destination[..copied];
        var next = first + copied;
        var nothingNew = ring.CopySince(next, destination, out var unchanged);
        ring.Write(4);
        ring.Write(5);
        copied = ring.CopySince(next, destination, out var second);

        Assert.Multiple(() =>
        {
            Assert.That(firstBatch, Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(first, Is.Zero);
            Assert.That(nothingNew, Is.Zero);
            Assert.That(unchanged, Is.EqualTo(3));
            Assert.That(destination[..copied], Is.EqualTo(new long[] { 4, 5 }));
            Assert.That(second, Is.EqualTo(3));
        });
    }

    [Test]
    public void Follower_that_was_lapped_skips_what_was_overwritten_and_learns_how_much()
    {
        var ring = Filled(8, 20);
        var destination = new long[8];

        var copied = ring.CopySince(5, destination, out var first);

        Assert.Multiple(() =>
        {
            Assert.That(destination[..copied], Is.EqualTo(new long[] { 13, 14, 15, 16, 17, 18, 19, 20 }), "from the oldest held");
            Assert.That(first, Is.EqualTo(12), "sequence numbers 5 to 11 were overwritten: first - from = 7 skipped");
        });
    }

    [Test]
    public void Follower_with_a_short_destination_gets_the_oldest_unread_first()
    {
        var ring = Filled(8, 5);
        var destination = new long[2];

        var copied = ring.CopySince(1, destination, out var first);
        var batch = destination[..copied];
        var rest = ring.CopySince(first + copied, destination, out var restFirst);

        Assert.Multiple(() =>
        {
            Assert.That(batch, Is.EqualTo(new long[] { 2, 3 }));
            Assert.That(first, Is.EqualTo(1));
            Assert.That(destination[..rest], Is.EqualTo(new long[] { 4, 5 }));
            Assert.That(restFirst, Is.EqualTo(3));
        });
    }

    [TestCase(-5, 0)]
    [TestCase(7, 7)]
    public void Follower_ahead_of_the_writer_or_before_the_start_copies_nothing_out_of_range(long from, long expectedFirst)
    {
        var ring = new SampleRing<long>(4);
        var destination = new long[4];

        var copied = ring.CopySince(from, destination, out var first);

        Assert.Multiple(() =>
        {
            Assert.That(copied, Is.Zero);
            Assert.That(first, Is.EqualTo(expectedFirst));
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
