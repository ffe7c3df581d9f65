using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>
/// The collection that closes an allocation recording's window must be a blocking one: a background GC judges no death,
/// and the runtime may serve an induced gen1 request with a background gen2 (measured on the web sample: every window).
/// </summary>
public class ClosingCollectionTests
{
    [Test]
    public void A_request_the_runtime_runs_as_a_blocking_GC_is_made_once()
    {
        var collections = new List<long>();
        long last = 41;
        var requests = AllocationRecording.CloseWindow(42, () => last, () => collections.Add(last = 42));

        Assert.That(requests, Is.EqualTo(1));
        Assert.That(collections, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_request_served_by_a_background_GC_is_made_again_until_a_blocking_GC_has_ended()
    {
        // The first request is served by background GC 42 (the last blocking GC is still 41); the second runs blocking GC 43.
        long last = 41;
        var requests = 0;
        var made = AllocationRecording.CloseWindow(42, () => last, () =>
        {
            requests++;
            if (requests == 2)
            {
                last = 43;
            }
        });

        Assert.That(made, Is.EqualTo(2));
        Assert.That(last, Is.GreaterThanOrEqualTo(42));
    }

    [Test]
    public void With_a_background_GC_running_the_window_still_closes_with_a_blocking_GC()
    {
        // A real runtime: a background gen2 is requested first, as a host's own code or the runtime may; the closing
        // collection must still end a blocking GC numbered after the request.
        var keep = new List<byte[]>();
        for (var i = 0; i < 2_000; i++)
        {
            keep.Add(new byte[1_024]);
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: false);
        var closingFrom = GC.CollectionCount(0) + 1;
        AllocationRecording.CloseWindow(closingFrom, AllocationRecording.LastBlockingCollection, static () => GC.Collect(1, GCCollectionMode.Forced, blocking: true));

        Assert.That(AllocationRecording.LastBlockingCollection(), Is.GreaterThanOrEqualTo(closingFrom), "no blocking GC ended after the closing request");
        GC.KeepAlive(keep);
    }
}
