using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class RecordedEventsTests
{
    [Test]
    public void An_investigation_recording_lets_through_its_sample_the_GC_boundaries_the_ranges_and_the_method_loads()
    {
        var ids = RecordedEvents.Ids(AllocationEventKind.Sampled, nameCompiledMethods: true, trackSurvival: true);

        Assert.That(ids, Is.SupersetOf(new uint[] { 303, 1, 2, 21, 22, 143, 144, 152 }));
        Assert.That(ids, Has.None.EqualTo(23u), "GCGenerationRange, one per region and GC, is read by nobody");
        Assert.That(ids, Has.None.EqualTo(145u), "MethodJittingStarted is read by nobody");
    }

    [Test]
    public void The_AllocationTick_fallback_is_not_filtered()
    {
        // Measured on .NET 10.0.12: filtered by ID, the runtime sent GCAllocationTick for large objects only.
        Assert.That(RecordedEvents.Ids(AllocationEventKind.Tick, nameCompiledMethods: true, trackSurvival: true), Is.Null);
    }

    [Test]
    public void Without_survival_or_method_names_only_the_sample_is_let_through()
    {
        var ids = RecordedEvents.Ids(AllocationEventKind.Sampled, nameCompiledMethods: false, trackSurvival: false);

        Assert.That(ids, Is.EqualTo(new uint[] { 303 }));
    }
}
