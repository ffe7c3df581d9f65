using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>
/// Prints <c>LEAKGUARD-REPORT</c> for every report file that appears in <c>LeakGuard:Reports:Directory</c>
/// (polled: reports are written atomically, so a <c>*.json</c> name is a complete file) and for every
/// report the monitor holds in memory.
/// </summary>
internal sealed class ReportWatcher(IConfiguration configuration, IServiceProvider services) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly HashSet<string> _seenFiles = new(StringComparer.Ordinal);
    private int _seenInMemory;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = configuration["LeakGuard:Reports:Directory"];
        var monitor = services.GetService<ILeakMonitor>();
        using var timer = new PeriodicTimer(Poll);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!string.IsNullOrEmpty(directory))
                {
                    ScanDirectory(directory);
                }

                if (monitor is not null)
                {
                    ScanMonitor(monitor);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (OutOfMemoryException oom)
        {
            OutOfMemoryEnd.Crash(oom);
        }
    }

    private void ScanDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (_seenFiles.Add(file))
            {
                ZooOutput.Write(ZooOutput.Report, new Dictionary<string, object?> { ["path"] = Path.GetFullPath(file) });
            }
        }
    }

    private void ScanMonitor(ILeakMonitor monitor)
    {
        var reports = monitor.Reports;
        for (; _seenInMemory < reports.Count; _seenInMemory++)
        {
            var report = reports[_seenInMemory];
            ZooOutput.Write(ZooOutput.Report, new Dictionary<string, object?>
            {
                ["inMemory"] = true,
                ["signal"] = report?.Signal,
                ["topType"] = report?.GrowingTypes.FirstOrDefault()?.Type,
            });
        }
    }
}
