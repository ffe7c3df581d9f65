using LeakGuard.Investigation;

namespace LeakGuard.SnapshotTarget;

/// <summary>Run with DOTNET_EnableDiagnostics=0: investigations are skipped with one log line, monitoring goes on.</summary>
internal static class IpcDisabled
{
    public static async Task<int> RunAsync()
    {
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero } }, TimeProvider.System, new ConsoleLogger());
        for (var round = 1; round <= 3; round++)
        {
            var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);
            Console.WriteLine($"round {round}: report {(report is null ? "none" : "made")}");

            // The monitor's own sources keep working without IPC (the in-process EventListener and GC APIs).
            GC.Collect();
            Console.WriteLine($"monitoring continues: heap {GC.GetGCMemoryInfo().HeapSizeBytes} bytes, gen2 count {GC.CollectionCount(2)}");
        }

        try
        {
            await investigator.CaptureHeapSnapshotAsync(CancellationToken.None);
            Console.WriteLine("capture: succeeded");
        }
        catch (InvalidOperationException ex)
        {
            Console.WriteLine("capture: " + ex.Message);
        }

        return 0;
    }
}
