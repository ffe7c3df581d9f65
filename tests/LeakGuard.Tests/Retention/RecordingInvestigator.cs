using LeakGuard.Hosting;
using LeakGuard.Investigation;
using LeakGuard.Retention;

namespace LeakGuard.Tests.Retention;

/// <summary>An investigator that records the retention investigations it is asked for.</summary>
internal sealed class RecordingInvestigator : ILeakInvestigator
{
    public List<IReadOnlyList<RetainedTypeGroup>> RetainedCalls { get; } = [];

    public bool IsRunning => false;

    public IReadOnlyList<LeakReport> Reports => [];

    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new HeapSnapshotSummary());

    public Task<LeakReport?> InvestigateAsync(LeakVerdict? trigger, bool automatic, long? memoryLimitBytes, CancellationToken cancellationToken) =>
        Task.FromResult<LeakReport?>(null);

    public Task<LeakReport?> InvestigateRetainedAsync(IReadOnlyList<RetainedTypeGroup> retained, long? memoryLimitBytes, CancellationToken cancellationToken)
    {
        lock (RetainedCalls)
        {
            RetainedCalls.Add(retained);
        }

        return Task.FromResult<LeakReport?>(null);
    }

    public void Dispose()
    {
    }
}
