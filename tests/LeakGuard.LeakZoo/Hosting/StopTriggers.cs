using Microsoft.Extensions.Hosting;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>
/// Stops the host after <c>--seconds N</c> or when stdin reaches end of file (the parent closed it).
/// SIGTERM and Ctrl+C are handled by the generic host's console lifetime.
/// </summary>
internal sealed class StopTriggers(ZooSettings settings, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenSource? _cancel;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _cancel = new CancellationTokenSource();
        if (settings.Seconds is { } seconds)
        {
            _ = StopAfterAsync(TimeSpan.FromSeconds(seconds), _cancel.Token);
        }

        if (settings.WatchStdin && Console.IsInputRedirected && !StdinIsDevNull())
        {
            var reader = new Thread(WaitForStdinEnd) { IsBackground = true, Name = "zoo-stdin" };
            reader.Start();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _cancel?.Cancel();
        _cancel?.Dispose();
        return Task.CompletedTask;
    }

    // A shell starts background jobs with stdin on /dev/null: that EOF is no request to stop.
    private static bool StdinIsDevNull()
    {
        try
        {
            return new FileInfo("/proc/self/fd/0").LinkTarget == "/dev/null";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task StopAfterAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            lifetime.StopApplication();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void WaitForStdinEnd()
    {
        try
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (stdin.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }
        catch (IOException)
        {
        }

        lifetime.StopApplication();
    }
}
