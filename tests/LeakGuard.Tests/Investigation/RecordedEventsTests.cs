using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class RecordedEventsTests
{
    [Test]
    public void An_investigation_recording_lets_through_its_sample_the_GC_boundaries_and_the_ranges_only()
    {
        var ids = RecordedEvents.Ids(AllocationEventKind.Sampled, trackSurvival: true);

        // The frames are named by the rundown at the session's end (another provider): no method event during the window.
        Assert.That(ids, Is.EqualTo(new uint[] { 1, 2, 21, 22, 303 }));
        Assert.That(ids, Has.None.EqualTo(23u), "GCGenerationRange, one per region and GC, is read by nobody");
    }

    [Test]
    public void The_AllocationTick_fallback_is_not_filtered()
    {
        // Measured on .NET 10.0.12: filtered by ID, the runtime sent GCAllocationTick for large objects only.
        Assert.That(RecordedEvents.Ids(AllocationEventKind.Tick, trackSurvival: true), Is.Null);
    }

    [Test]
    public void Without_survival_only_the_sample_is_let_through()
    {
        var ids = RecordedEvents.Ids(AllocationEventKind.Sampled, trackSurvival: false);

        Assert.That(ids, Is.EqualTo(new uint[] { 303 }));
    }
}
