using System.Runtime.InteropServices;
using LeakGuard.Buffering;
using NUnit.Framework;

namespace LeakGuard.Tests.Buffering;

[NonParallelizable]
public sealed class SampleRingConcurrencyTests
{
    private const long Writes = 20_000_000;
    private const int Readers = 3;

    // A 64-slot ring read in ranges shorter than itself, and an 8-slot ring whose every read covers the slot the
    // writer overwrites next (the case a missing "being written" mark tears). Follower batches are validated in
    // chunks smaller than a batch, so every chunk-boundary case is exercised.
    [TestCase(64, 16)]
    [TestCase(8, 2)]
    public void Concurrent_readers_never_see_a_torn_sample_or_a_sequence_going_backwards(int capacity, int followChunk)
    {
        var ring = new SampleRing<StressSample>(capacity, followChunk);
        var done = 0;
        var failures = new string?[Readers];
        var reads = new long[Readers];

        var readers = Enumerable.Range(0, Readers).Select(r => new Thread(() =>
        {
            var buffer = new StressSample[16];
            var follow = new StressSample[48];
            long lastLatest = -1;
            long next = 0;
            while (Volatile.Read(ref done) == 0 && failures[r] is null)
            {
                // Alternate the three read paths: one sample, the latest range, and what is new since the last read.
                if (ring.TryReadLatest(out var latest))
                {
                    reads[r]++;
                    if (!latest.IsIntact)
                    {
                        failures[r] = $"torn latest sample {latest}";
                    }
                    else if (latest.Sequence < lastLatest)
                    {
                        failures[r] = $"latest went backwards: {latest.Sequence} after {lastLatest}";
                    }

                    lastLatest = latest.Sequence;
                }

                var copied = ring.CopyLatest(buffer);
                for (var i = 0; i < copied; i++)
                {
                    reads[r]++;
                    if (!buffer[i].IsIntact)
                    {
                        failures[r] = $"torn sample in range {buffer[i]}";
                    }
                    else if (i > 0 && buffer[i].Sequence != buffer[i - 1].Sequence + 1)
                    {
                        failures[r] = $"range not contiguous: {buffer[i].Sequence} after {buffer[i - 1].Sequence}";
                    }
                }

                var followed = ring.CopySince(next, follow, out var first);
                if (first < next)
                {
                    failures[r] = $"follower went backwards: {first} after {next}";
                }

                for (var i = 0; i < followed; i++)
                {
                    reads[r]++;
                    if (!follow[i].IsIntact)
                    {
                        failures[r] = $"torn sample in follower batch {follow[i]}";
                    }
                    else if (follow[i].Sequence != first + i)
                    {
                        failures[r] = $"follower batch not contiguous from {first}: {follow[i].Sequence} at {i}";
                    }
                }

                next = first + followed;
            }
        }) { IsBackground = true }).ToArray();

        foreach (var reader in readers)
        {
            reader.Start();
        }

        for (long n = 0; n < Writes; n++)
        {
            ring.Write(StressSample.For(n));
        }

        Volatile.Write(ref done, 1);
        foreach (var reader in readers)
        {
            Assert.That(reader.Join(TimeSpan.FromSeconds(60)), Is.True, "a reader hung");
        }

        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.All.Null);
            Assert.That(ring.TotalWritten, Is.EqualTo(Writes));
            Assert.That(ring.TryReadLatest(out var last) ? last.Sequence : -1, Is.EqualTo(Writes - 1));
            Assert.That(reads, Is.All.GreaterThan(0), "every reader read something");
        });
        TestContext.Out.WriteLine($"reads per reader: {string.Join(", ", reads)}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct StressSample(long Sequence, long A, long B, long C, long D, long Checksum)
    {
        public bool IsIntact => Checksum == Sum(Sequence, A, B, C, D);

        public static StressSample For(long n)
        {
            var a = n * 31;
            var b = ~n;
            var c = n ^ 0x5555_5555_5555_5555;
            var d = n * n;
            return new StressSample(n, a, b, c, d, Sum(n, a, b, c, d));
        }

        private static long Sum(long n, long a, long b, long c, long d) =>
            unchecked((n * 1_000_003) ^ (a * 7) ^ (b * 13) ^ (c * 17) ^ (d * 19) ^ 0x1234_5678);
    }
}
