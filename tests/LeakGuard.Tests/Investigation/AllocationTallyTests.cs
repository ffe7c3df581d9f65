using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class AllocationTallyTests
{
    [Test]
    public void Samples_beyond_the_cap_are_not_counted()
    {
        var tally = new AllocationTally(maxSamples: 3, maxStacks: 10);

        var added = Enumerable.Range(0, 5).Select(_ => tally.Add(1, "T", 7, 100)).ToArray();

        Assert.That(added, Is.EqualTo(new[] { true, true, true, false, false }));
        Assert.That(tally.Samples, Is.EqualTo(3));
        Assert.That(tally.Full, Is.True);
    }

    [Test]
    public void Stacks_beyond_the_cap_still_count_for_their_type_without_a_stack()
    {
        var tally = new AllocationTally(maxSamples: 100, maxStacks: 2);
        tally.Add(1, "T", 1, 10);
        tally.Add(1, "T", 2, 10);
        tally.Add(1, "T", 3, 10);

        var stacks = tally.Resolve(stack => [$"MyApp!Site{stack}()"]);

        Assert.That(stacks.Sum(s => s.Samples), Is.EqualTo(3));
        Assert.That(stacks.Single(s => s.Frames.Length == 0).Samples, Is.EqualTo(1));
    }

    [Test]
    public void Stacks_that_fold_alike_merge_and_LeakGuards_own_are_dropped()
    {
        var tally = new AllocationTally(maxSamples: 100, maxStacks: 100);
        tally.Add(1, "T", 1, 10);
        tally.Add(1, "T", 2, 30);
        tally.Add(1, "T", 3, 50);

        var stacks = tally.Resolve(stack => stack == 3 ? null : ["MyApp!Same()"]);

        var only = stacks.Single();
        Assert.That(only.Samples, Is.EqualTo(2));
        Assert.That(only.EstimatedBytes, Is.EqualTo(40));
    }
}
