using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using LeakGuard.Investigation;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace LeakGuard.Overhead;

/// <summary>
/// Which runtime events an investigation's allocation recording brings, per GC, under the harness's workload: the
/// recording's provider (keywords, level, stack walks), unfiltered and with its event-ID filter, read by a plain
/// EventPipe reader that counts each event and its payload bytes (--count-events; run with DOTNET_GCgen0size=200000).
/// </summary>
internal static class EventCount
{
    public static int Run(TimeSpan measure)
    {
        var workload = new Workload();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            workload.RunOne();
        }

        // Loader | JIT | NGen: the method-load keywords recordings read until their reader named frames from a rundown at
        // the session's end (2026-12-05); still counted here, as the measurement in docs/performance.md was taken with them.
        const long methodKeywords = 0x8 | 0x10 | 0x20;
        const long keywords = AllocationSampling.AllocationSampledKeyword | methodKeywords | AllocationSampling.GcKeyword | AllocationSampling.SurvivalKeyword;
        foreach (var filtered in new[] { false, true })
        {
            var provider = filtered
                ? new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, keywords, null, new EventPipeProviderEventFilter(true, RecordedEvents.Ids(AllocationEventKind.Sampled, true)!))
                : new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, keywords);
            var client = new DiagnosticsClient(Environment.ProcessId);
            using var session = client.StartEventPipeSession(new EventPipeSessionConfiguration([provider], 32, rundownKeyword: 0, requestStackwalk: true));
            var counts = new Dictionary<string, (long Events, long Bytes)>();
            var reader = new Thread(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                source.Clr.All += data =>
                {
                    var name = data.EventName;
                    var (events, bytes) = counts.GetValueOrDefault(name);
                    counts[name] = (events + 1, bytes + data.EventDataLength);
                };
                source.Process();
            });
            reader.Start();
            var collections = GC.CollectionCount(0);
            clock.Restart();
            while (clock.Elapsed < measure)
            {
                workload.RunOne();
            }

            collections = GC.CollectionCount(0) - collections;
            session.Stop();
            reader.Join();
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"{(filtered ? "Filtered" : "Unfiltered")}: {collections} GCs in {measure.TotalSeconds:0} s ({collections / measure.TotalSeconds:0} per second); events and payload bytes per GC:"));
            Console.WriteLine();
            Console.WriteLine("| event | per GC | payload bytes per GC |");
            Console.WriteLine("| --- | ---: | ---: |");
            foreach (var (name, (events, bytes)) in counts.OrderByDescending(p => p.Value.Events))
            {
                Console.WriteLine(string.Create(c, $"| {name} | {events / (double)collections:0.00} | {bytes / (double)collections:N0} |"));
            }

            Console.WriteLine(string.Create(c, $"| (all) | {counts.Values.Sum(v => v.Events) / (double)collections:0.0} | {counts.Values.Sum(v => v.Bytes) / (double)collections:N0} |"));
            Console.WriteLine();
        }

        return 0;
    }
}
