namespace LeakGuard.Samples.WebApi;

/// <summary>
/// Short-lived garbage at a steady rate, as a web API under load produces per request. Without it the sample's
/// only allocations would be its leaks: gen0 collections would be minutes apart, and the managed heap floor
/// (read after each GC) would move in rare jumps instead of the steady climb a real leaking service shows.
/// Turn it off with <c>Sample:TrafficBytesPerSecond=0</c>.
/// </summary>
public sealed class TrafficSimulator(IConfiguration configuration) : BackgroundService
{
    private static volatile object? _lastResponse;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bytesPerSecond = configuration.GetValue("Sample:TrafficBytesPerSecond", 16 * 1024 * 1024);
        if (bytesPerSecond <= 0)
        {
            return;
        }

        const int ticksPerSecond = 20;
        var perTick = bytesPerSecond / ticksPerSecond;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / ticksPerSecond));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            for (var allocated = 0; allocated < perTick; allocated += 4096)
            {
                _lastResponse = new byte[4096];
            }
        }
    }
}
