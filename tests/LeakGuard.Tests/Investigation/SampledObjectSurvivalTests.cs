using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>The survival verdicts from synthetic GC events: what each kind of range and each GC depth means.</summary>
public class SampledObjectSurvivalTests
{
    [Test]
    public void A_condemned_object_in_no_range_died_and_one_in_a_moved_range_lives_on_at_its_new_address()
    {
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        survival.Sampled(0x2000, entry: 1, 100, oldGeneration: false);

        survival.Started(1, depth: 0, background: false);
        survival.Moved(0x0F00, 0x9000, 0x200); // holds 0x1000, which moves to 0x9100
        survival.Ended(1);
        // The second GC reports the survivor at its new address only.
        survival.Started(2, depth: 1, background: false);
        survival.Survived(0x9100, 0x10);
        survival.Ended(2);

        Assert.That(survival.Surviving(), Is.EqualTo(new Dictionary<int, SampleSurvival> { [0] = new(1, 100, 0, 0) }));
        Assert.That(survival.Unknown, Is.Null);
        Assert.That(survival.Collections, Is.EqualTo(2));
    }

    [Test]
    public void A_survivor_is_promoted_so_a_younger_GC_leaves_it_alone()
    {
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        survival.Started(1, depth: 0, background: false);
        survival.Survived(0x1000, 0x10);
        survival.Ended(1);

        // Now in gen1: a gen0 GC does not condemn it, so reporting nothing about it is no death.
        survival.Started(2, depth: 0, background: false);
        survival.Moved(0x5000, 0x6000, 0x10);
        survival.Ended(2);
        Assert.That(survival.Alive, Is.EqualTo(1));

        // A gen1 GC condemns it.
        survival.Started(3, depth: 1, background: false);
        survival.Moved(0x5000, 0x6000, 0x10);
        survival.Ended(3);
        Assert.That(survival.Alive, Is.Zero);
    }

    [Test]
    public void A_large_object_is_judged_only_by_gen2_GCs()
    {
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 90_000, oldGeneration: true);

        survival.Started(1, depth: 1, background: false);
        survival.Moved(0x8000, 0x9000, 0x10);
        survival.Ended(1);
        Assert.That(survival.Alive, Is.EqualTo(1));

        survival.Started(2, depth: 2, background: false);
        survival.Survived(0x8000, 0x10);
        survival.Ended(2);
        Assert.That(survival.Alive, Is.Zero);
    }

    [Test]
    public void A_background_GC_judges_no_death_but_an_ephemeral_GC_nested_in_it_does()
    {
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: true);
        survival.Sampled(0x2000, entry: 1, 100, oldGeneration: false);

        survival.Started(1, depth: 2, background: true);
        survival.Started(2, depth: 0, background: false);
        survival.Moved(0x8000, 0x9000, 0x10);
        survival.Ended(2);
        survival.Survived(0x7000, 0x10);
        survival.Ended(1);

        Assert.That(survival.Surviving().Keys, Is.EqualTo(new[] { 0 }), "the gen0 object died in the nested GC; the gen2 one is not judged by the background GC");
        Assert.That(survival.Collections, Is.EqualTo(1));
    }

    [Test]
    public void Ranges_within_one_GC_are_matched_against_the_addresses_before_it()
    {
        // Two objects swap places: the first range's new address must not be matched again by the second range.
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        survival.Sampled(0x2000, entry: 1, 100, oldGeneration: false);
        survival.Started(1, depth: 0, background: false);
        survival.Moved(0x1000, 0x2000, 0x10);
        survival.Moved(0x2000, 0x1000, 0x10);
        survival.Ended(1);

        // Only 0x1000's object (now at 0x2000) survives the next gen1 GC.
        survival.Started(2, depth: 1, background: false);
        survival.Survived(0x2000, 0x10);
        survival.Ended(2);
        Assert.That(survival.Surviving().Keys, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void An_object_no_GC_condemned_since_its_allocation_is_unjudged()
    {
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        survival.Started(1, depth: 0, background: false);
        survival.Survived(0x1000, 0x10);
        survival.Ended(1);
        survival.Sampled(0x3000, entry: 0, 100, oldGeneration: false);

        Assert.That(survival.Surviving()[0], Is.EqualTo(new SampleSurvival(1, 100, 1, 100)));
    }

    [Test]
    public void A_closed_session_keeps_its_samples_verdicts_and_the_next_one_follows_only_its_own()
    {
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        survival.Sampled(0x2000, entry: 0, 100, oldGeneration: false);
        survival.Sampled(0x3000, entry: 1, 100, oldGeneration: false);
        survival.Started(1, depth: 0, background: false);
        survival.Survived(0x1000, 0x10); // 0x2000 died
        survival.Ended(1);
        survival.Sampled(0x4000, entry: 1, 100, oldGeneration: false); // allocated after the last GC: unjudged

        survival.EndPeriod();
        Assert.That(survival.Alive, Is.Zero, "nothing of the closed session is followed any more");

        // The next session: a GC that reports no range at the old addresses judges only its own sample.
        survival.Sampled(0x5000, entry: 1, 100, oldGeneration: false);
        survival.Started(7, depth: 1, background: false);
        survival.Survived(0x5000, 0x10);
        survival.Ended(7);

        Assert.That(survival.Surviving(), Is.EqualTo(new Dictionary<int, SampleSurvival>
        {
            [0] = new(1, 100, 0, 0),
            [1] = new(1, 100, 1, 100),
        }));
    }

    [Test]
    public void The_closing_GC_judges_deaths_but_leaves_a_young_survivor_unjudged()
    {
        // Entry 0 churns: its first sample dies at a natural GC; its second, in flight when the window closes, survives
        // the closing GC. Entry 1 keeps: its first sample survives the natural GC, its second is allocated after it.
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        survival.Sampled(0x2000, entry: 1, 100, oldGeneration: false);
        survival.Started(1, depth: 0, background: false);
        survival.Survived(0x2000, 0x10);
        survival.Ended(1);
        survival.Sampled(0x3000, entry: 0, 100, oldGeneration: false);
        survival.Sampled(0x4000, entry: 1, 100, oldGeneration: false);
        survival.Sampled(0x5000, entry: 0, 100, oldGeneration: false); // dies at the closing GC

        survival.Started(2, depth: 1, background: false, closing: true);
        survival.Survived(0x2000, 0x10);
        survival.Survived(0x3000, 0x10);
        survival.Survived(0x4000, 0x10);
        survival.Ended(2);

        var result = survival.Surviving();
        Assert.Multiple(() =>
        {
            Assert.That(result[0], Is.EqualTo(new SampleSurvival(0, 0, 1, 100)), "the churn's young survivor is unjudged");
            Assert.That(result[1], Is.EqualTo(new SampleSurvival(1, 100, 1, 100)), "the kept sample judged before stays alive");
            // Counted at their stacks' rates: the churn's at 0 % (its judged sample died), the keeper's at 100 %.
            Assert.That(result[0].EstimatedSurvivingBytes(300), Is.Zero);
            Assert.That(result[1].EstimatedSurvivingBytes(200), Is.EqualTo(200));
        });
    }

    [Test]
    public void What_is_sampled_after_the_closing_GC_lies_outside_the_window()
    {
        var survival = new SampledObjectSurvival();
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        survival.Started(1, depth: 1, background: false, closing: true);
        Assert.That(survival.WindowClosed, Is.False, "the window closes when the closing GC ends");
        survival.Ended(1);
        survival.Sampled(0x2000, entry: 1, 100, oldGeneration: false);

        Assert.Multiple(() =>
        {
            Assert.That(survival.WindowClosed, Is.True);
            Assert.That(survival.Surviving(), Does.Not.ContainKey(1), "a sample after the window is not tracked");
            Assert.That(survival.Surviving(), Does.Not.ContainKey(0), "the window's sample died at the closing GC");
        });
    }

    [Test]
    public void A_natural_GC_does_not_close_the_window()
    {
        var survival = new SampledObjectSurvival();
        survival.Started(1, depth: 1, background: false);
        survival.Ended(1);
        survival.Started(2, depth: 2, background: true, closing: true);
        survival.Ended(2);
        survival.Sampled(0x1000, entry: 0, 100, oldGeneration: false);

        Assert.Multiple(() =>
        {
            Assert.That(survival.WindowClosed, Is.False, "neither a natural GC nor a background one closes the window");
            Assert.That(survival.Surviving()[0], Is.EqualTo(new SampleSurvival(0, 0, 1, 100)));
        });
    }

    [Test]
    public void Unjudged_bytes_count_at_the_survival_rate_of_the_stacks_judged_ones()
    {
        // 2000 bytes allocated: 1000 judged, of which 100 alive; 1000 unjudged count at 10 %.
        Assert.That(new SampleSurvival(1, 100, 10, 1000).EstimatedSurvivingBytes(2000), Is.EqualTo(200));
        // Nothing judged: no evidence of death, all counted alive.
        Assert.That(new SampleSurvival(0, 0, 5, 500).EstimatedSurvivingBytes(500), Is.EqualTo(500));
    }

    [Test]
    public void Without_a_blocking_GC_or_without_ranges_survival_is_unknown()
    {
        var none = new SampledObjectSurvival();
        none.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        Assert.That(none.Unknown, Does.Contain("no blocking garbage collection"));

        var silent = new SampledObjectSurvival();
        silent.Sampled(0x1000, entry: 0, 100, oldGeneration: false);
        silent.Started(1, depth: 0, background: false);
        silent.Ended(1);
        Assert.That(silent.Unknown, Does.Contain("no surviving or moved object ranges"));
    }
    [Test]
    public void Samples_moved_between_older_ones_are_still_found_by_the_ranges_of_later_GCs()
    {
        // 200 large objects (gen2, which ephemeral GCs leave in place) and, in each of 5 gen0 GCs, 20 new small ones moved
        // to addresses between them: the later lookups must find every object where it now is, whatever its order.
        var survival = new SampledObjectSurvival();
        for (var i = 0; i < 200; i++)
        {
            survival.Sampled(0x100000 + ((ulong)i * 0x1000), entry: i, 100, oldGeneration: true);
        }

        var now = new Dictionary<int, ulong>();
        for (var round = 0; round < 5; round++)
        {
            var gc = round + 1;
            for (var j = 0; j < 20; j++)
            {
                survival.Sampled(0x10000000 + ((ulong)round * 0x10000) + ((ulong)j * 0x100), entry: 1000 + (round * 20) + j, 100, oldGeneration: false);
            }

            survival.Started(gc, depth: 0, background: false);
            for (var j = 0; j < 20; j++)
            {
                var entry = 1000 + (round * 20) + j;
                var to = 0x100000 + ((ulong)(((round * 20) + j) * 7 % 200) * 0x1000) + 0x800;
                survival.Moved(0x10000000 + ((ulong)round * 0x10000) + ((ulong)j * 0x100), to, 0x10);
                now[entry] = to;
            }

            survival.Ended(gc);
        }

        for (var i = 0; i < 200; i++)
        {
            now[i] = 0x100000 + ((ulong)i * 0x1000);
        }

        survival.Started(6, depth: 2, background: false);
        foreach (var (entry, address) in now.Where(p => p.Key % 2 == 0).OrderBy(p => p.Value))
        {
            survival.Survived(address, 0x10);
        }

        survival.Ended(6);

        Assert.That(survival.Surviving().Keys.Order(), Is.EqualTo(now.Keys.Where(k => k % 2 == 0).Order()));
    }
}
