using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class AllocationJoinTests
{
    private static string Name(ulong id, string raw) => raw;

    [Test]
    public void Sites_are_ranked_by_estimated_bytes_with_their_share_of_the_type()
    {
        AllocationStack[] stacks =
        [
            new(1, "MyApp.Session", ["MyApp!MyApp.Store.Add()"], 3, 300_000),
            new(1, "MyApp.Session", ["MyApp!MyApp.Cache.Fill()"], 1, 100_000),
            new(2, "MyApp.Other", ["MyApp!MyApp.Other.Make()"], 9, 900_000),
        ];

        var sites = AllocationJoin.Sites(stacks, Name, ["MyApp.Session"]);

        var session = sites["MyApp.Session"];
        Assert.That(session.Select(s => s.Frames[0]), Is.EqualTo(new[] { "MyApp!MyApp.Store.Add()", "MyApp!MyApp.Cache.Fill()" }));
        Assert.That(session[0].Share, Is.EqualTo(0.75));
        Assert.That(session[0].EstimatedBytes, Is.EqualTo(300_000));
        Assert.That(session[0].Samples, Is.EqualTo(3));
        Assert.That(sites.ContainsKey("MyApp.Other"), Is.False);
    }

    [Test]
    public void A_stack_with_no_judged_sample_is_weighed_like_its_types_judged_samples()
    {
        // The web sample's cache leak (a CI run, 2026-12-06): one stack of the traffic simulator's short-lived Byte[] had
        // 255 samples, none judged (counted alive: 26.7 MB), another had its samples judged dead, and the leak's stack
        // had 9 of 29 samples judged alive. Counted alive, the unjudged churn ranked first.
        AllocationStack[] stacks =
        [
            new(1, "System.Byte[]", ["WebApi!TrafficSimulator.MoveNext()", "timer"], 255, 26_700_000, new SampleSurvival(0, 0, 255, 26_700_000)),
            new(1, "System.Byte[]", ["WebApi!TrafficSimulator.MoveNext()", "pool"], 500, 52_000_000, new SampleSurvival(0, 0, 0, 0)),
            new(1, "System.Byte[]", ["WebApi!UnboundedCacheLeak.Step()"], 29, 3_200_000, new SampleSurvival(9, 990_000, 20, 2_210_000)),
        ];

        var sites = AllocationJoin.Sites(stacks, Name, ["System.Byte[]"], bySurvival: true)["System.Byte[]"];

        TestContext.Out.WriteLine(string.Join("\n", sites.Select(s => $"{s.Frames[0]}: {s.SurvivingBytes} of {s.EstimatedBytes}")));
        Assert.Multiple(() =>
        {
            Assert.That(sites[0].Frames[0], Is.EqualTo("WebApi!UnboundedCacheLeak.Step()"));
            Assert.That(sites[0].SurvivingBytes, Is.EqualTo(3_200_000), "the leak's unjudged samples count at its own rate (all alive)");
            // The unjudged churn counts at the type's judged rate: 0.99 MB alive of 52.99 MB judged.
            Assert.That(sites[1].SurvivingBytes, Is.EqualTo((long)Math.Round(26_700_000 * (990_000 / 52_990_000.0))));
        });
    }

    [Test]
    public void A_type_with_no_judged_sample_counts_its_unjudged_samples_alive()
    {
        AllocationStack[] stacks =
        [
            new(1, "A", ["MyApp!Big()"], 3, 300_000, new SampleSurvival(0, 0, 3, 300_000)),
            new(1, "A", ["MyApp!Small()"], 1, 100_000, new SampleSurvival(0, 0, 1, 100_000)),
        ];

        var sites = AllocationJoin.Sites(stacks, Name, ["A"], bySurvival: true)["A"];

        Assert.That(sites.Select(s => s.SurvivingBytes), Is.EqualTo(new long?[] { 300_000, 100_000 }));
    }

    [Test]
    public void A_growing_type_never_sampled_has_no_sites_and_at_most_three_are_kept()
    {
        var stacks = Enumerable.Range(0, 5).Select(i => new AllocationStack(1, "A", [$"MyApp!Site{i}()"], 1, 10 + i)).ToArray();

        var sites = AllocationJoin.Sites(stacks, Name, ["A", "B"]);

        Assert.That(sites["A"], Has.Count.EqualTo(AllocationJoin.SitesPerType));
        Assert.That(sites["A"][0].Frames[0], Is.EqualTo("MyApp!Site4()"));
        Assert.That(sites["B"], Is.Empty);
    }
}
