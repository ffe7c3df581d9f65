using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class AllocationSamplingTests
{
    [Test]
    public void A_small_object_sample_stands_for_the_mean_sampling_distance()
    {
        // 1 − q^24 ≈ 24 p, so the estimate is about 1/p = 102 400 bytes.
        Assert.That(AllocationSampling.EstimatedBytes(24), Is.EqualTo(102_400).Within(0.1).Percent);
    }

    [Test]
    public void A_huge_object_sample_stands_for_about_itself()
    {
        // A 10 MB object is almost surely sampled: q^size = e^-102, so it stands for its own size.
        Assert.That(AllocationSampling.EstimatedBytes(10_000_000), Is.EqualTo(10_000_000).Within(0.01).Percent);
    }

    [Test]
    public void The_estimate_follows_size_over_one_minus_q_to_the_size()
    {
        const double q = 1 - (1 / 102_400.0);
        Assert.That(AllocationSampling.EstimatedBytes(100_000), Is.EqualTo(100_000 / (1 - Math.Pow(q, 100_000))).Within(1e-6).Percent);
        Assert.That(AllocationSampling.EstimatedBytes(0), Is.Zero);
    }

    [Test]
    public void Net10_runtimes_sample_with_AllocationSampled_and_earlier_ones_with_AllocationTick()
    {
        Assert.That(AllocationSampling.For(new Version(10, 0)), Is.EqualTo(AllocationEventKind.Sampled));
        Assert.That(AllocationSampling.For(new Version(8, 0, 11)), Is.EqualTo(AllocationEventKind.Tick));
    }
}
