using Microsoft.Extensions.Hosting;

namespace LeakGuard.Hosting;

/// <summary>Starts the registered <see cref="LeakMonitor"/> with the host and stops it (recording a clean exit) when the host stops.</summary>
/// <param name="monitor">The monitor.</param>
internal sealed class LeakMonitorHostedService(LeakMonitor monitor) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        monitor.StartSampling(runLoop: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => monitor.StopAsync(cancellationToken);
}
