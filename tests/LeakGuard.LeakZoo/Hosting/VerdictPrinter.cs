using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>Prints every verdict change (<see cref="ILeakMonitor.VerdictChanges"/>) and every <c>LeakDetected</c> event.</summary>
internal sealed class VerdictPrinter(IServiceProvider services) : IHostedService, IObserver<LeakVerdict>
{
    private ILeakMonitor? _monitor;
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _monitor = services.GetService<ILeakMonitor>();
        if (_monitor is null)
        {
            ZooOutput.Write(ZooOutput.Unavailable, new Dictionary<string, object?> { ["reason"] = "no ILeakMonitor registered" });
            return Task.CompletedTask;
        }

        _subscription = _monitor.VerdictChanges.Subscribe(this);
        _monitor.LeakDetected += OnLeakDetected;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        if (_monitor is not null)
        {
            _monitor.LeakDetected -= OnLeakDetected;
        }

        return Task.CompletedTask;
    }

    public void OnNext(LeakVerdict value) => ZooOutput.Write(ZooOutput.Verdict, ToPayload(value));

    public void OnError(Exception error) =>
        ZooOutput.Write(ZooOutput.Error, new Dictionary<string, object?> { ["error"] = "VerdictChanges failed: " + error });

    public void OnCompleted()
    {
    }

    private static Dictionary<string, object?> ToPayload(LeakVerdict verdict) => new()
    {
        ["signal"] = verdict.Signal,
        ["state"] = verdict.State.ToString(),
        ["rate"] = Finite(verdict.GrowthRatePerSecond),
        ["rateLower"] = Finite(verdict.GrowthRateLowerPerSecond),
        ["growth"] = Finite(verdict.GrowthSinceBaseline),
        ["current"] = Finite(verdict.CurrentValue),
        ["pValue"] = Finite(verdict.PValue),
        ["horizonSeconds"] = verdict.Horizon.TotalSeconds,
        ["timeToLimitSeconds"] = verdict.TimeToLimit?.TotalSeconds,
        ["reason"] = verdict.Reason,
    };

    // JSON has no NaN or infinity.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private void OnLeakDetected(object? sender, LeakDetectedEventArgs e)
    {
        var payload = ToPayload(e.Verdict);
        payload["reportTopType"] = e.Report?.GrowingTypes.FirstOrDefault()?.Type;
        ZooOutput.Write(ZooOutput.Detected, payload);
    }
}
