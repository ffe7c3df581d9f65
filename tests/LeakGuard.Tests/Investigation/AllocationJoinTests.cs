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
    public void A_growing_type_never_sampled_has_no_sites_and_at_most_three_are_kept()
    {
        var stacks = Enumerable.Range(0, 5).Select(i => new AllocationStack(1, "A", [$"MyApp!Site{i}()"], 1, 10 + i)).ToArray();

        var sites = AllocationJoin.Sites(stacks, Name, ["A", "B"]);

        Assert.That(sites["A"], Has.Count.EqualTo(AllocationJoin.SitesPerType));
        Assert.That(sites["A"][0].Frames[0], Is.EqualTo("MyApp!Site4()"));
        Assert.That(sites["B"], Is.Empty);
    }
}
