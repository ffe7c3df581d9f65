using LeakGuard.Hosting;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Hosting.Fakes;

internal sealed class FakeInvestigator : ILeakInvestigator
{
    private readonly List<LeakReport> _reports = [];

    public List<(LeakVerdict? Trigger, bool Automatic, long? Limit)> Calls { get; } = [];

    public TaskCompletionSource<LeakReport?>? Pending { get; set; }

    public Exception? Throw { get; set; }

    public bool IsRunning { get; set; }

    public TimeSpan EstimatedPause { get; set; }

    public IReadOnlyList<LeakReport> Reports => _reports;

    public void AddReport(LeakReport report) => _reports.Add(report);

    public event Action<TimeSpan>? SnapshotTaken;

    /// <summary>Gets or sets how many snapshots an investigation reports taking (two: before and after).</summary>
    public int SnapshotsPerInvestigation { get; set; } = 2;

    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken)
    {
        SnapshotTaken?.Invoke(TimeSpan.FromMilliseconds(750));
        return Task.FromResult(new HeapSnapshotSummary { Duration = TimeSpan.FromMilliseconds(750), Types = [] });
    }

    public Task<LeakReport?> InvestigateAsync(LeakVerdict? trigger, bool automatic, long? memoryLimitBytes, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((trigger, automatic, memoryLimitBytes));
        }

        if (Throw is not null)
        {
            return Task.FromException<LeakReport?>(Throw);
        }

        for (var i = 0; i < SnapshotsPerInvestigation; i++)
        {
            SnapshotTaken?.Invoke(TimeSpan.FromMilliseconds(500));
        }

        return Pending?.Task ?? Task.FromResult<LeakReport?>(null);
    }

    public void Dispose()
    {
    }
}
