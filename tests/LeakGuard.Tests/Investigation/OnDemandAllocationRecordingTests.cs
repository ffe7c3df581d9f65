using LeakGuard.Investigation;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class OnDemandAllocationRecordingTests
{
    [Test]
    [Category("HeapSnapshot")]
    [NonParallelizable]
    public async Task Recording_on_demand_names_the_type_allocated_most_and_the_method_allocating_it()
    {
        using var investigator = new LeakInvestigator(new LeakGuardOptions(), TimeProvider.System, new FakeLogger());
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() => RecordFactory.Churn(stop.Token));

        AllocationRecordingResult result;
        try
        {
            result = await investigator.RecordAllocationsAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
        finally
        {
            await stop.CancelAsync();
            await churn;
        }

        Assert.That(result.Recording.Samples, Is.GreaterThan(0));
        var record = result.Types.FirstOrDefault(t => t.Type == "LeakGuard.Tests.Investigation.AllocatedRecord");
        Assert.That(record, Is.Not.Null, string.Join(", ", result.Types.Select(t => t.Type)));
        Assert.That(record!.Sites[0].Frames, Has.Some.Contains("LeakGuard.Tests.Investigation.RecordFactory.Churn"));
        Assert.That(record.EstimatedBytes, Is.GreaterThan(0));
    }

    [Test]
    public void A_duration_out_of_range_is_refused_naming_the_parameter()
    {
        using var investigator = new LeakInvestigator(new LeakGuardOptions(), TimeProvider.System, new FakeLogger());

        var error = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => investigator.RecordAllocationsAsync(TimeSpan.Zero, CancellationToken.None));

        Assert.That(error!.ParamName, Is.EqualTo("duration"));
    }

    [Test]
    public void With_the_diagnostics_channel_disabled_recording_is_refused_with_the_reason()
    {
        using var investigator = new LeakInvestigator(
            new LeakGuardOptions(), TimeProvider.System, new FakeLogger(), name => name == "DOTNET_EnableDiagnostics" ? "0" : null);

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => investigator.RecordAllocationsAsync(TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("DOTNET_EnableDiagnostics=0"));
    }
}
