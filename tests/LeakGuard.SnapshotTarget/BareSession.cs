using System.Diagnostics;
using System.Diagnostics.Tracing;
using LeakGuard.Investigation;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace LeakGuard.SnapshotTarget;

/// <summary>The baseline: the same heap-dump session, reading the stream and discarding the bulk events.</summary>
internal static class BareSession
{
    public static (TimeSpan Pause, TimeSpan Wall) Run(int bufferMegabytes)
    {
        var wall = Stopwatch.StartNew();
        var client = new DiagnosticsClient(Environment.ProcessId);
        var configuration = new EventPipeSessionConfiguration(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, HeapSnapshotter.HeapSnapshotKeywords)],
            bufferMegabytes,
            rundownKeyword: 0,
            requestStackwalk: false);
        using var session = client.StartEventPipeSession(configuration);
        var done = new ManualResetEventSlim();
        double suspend = double.NaN, start = double.NaN, pause = double.NaN;
        var gc = -1;
        var ended = false;
        var thread = new Thread(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCSuspendEEStart += d => suspend = d.TimeStampRelativeMSec;
            source.Clr.GCStart += d =>
            {
                if (gc < 0 && d.Depth == 2 && d.Type == Microsoft.Diagnostics.Tracing.Parsers.Clr.GCType.NonConcurrentGC)
                {
                    gc = d.Count;
                    start = suspend;
                }
            };
            source.Clr.GCStop += d => ended |= d.Count == gc;
            source.Clr.GCRestartEEStop += d =>
            {
                if (ended && double.IsNaN(pause))
                {
                    pause = d.TimeStampRelativeMSec - start;
                    done.Set();
                }
            };
            source.Process();
            done.Set();
        }) { IsBackground = true };
        thread.Start();
        done.Wait(TimeSpan.FromMinutes(2));
        session.Stop();
        thread.Join();
        return (TimeSpan.FromMilliseconds(pause), wall.Elapsed);
    }
}
