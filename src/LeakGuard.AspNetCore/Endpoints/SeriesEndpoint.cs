using LeakGuard.AspNetCore.Json;
using LeakGuard.AspNetCore.Series;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary><c>GET {prefix}/api/series?signal=managed_heap&amp;horizon=15m</c>: one signal's history and projected trend.</summary>
internal static class SeriesEndpoint
{
    private static readonly string[] BuiltInSignals =
    [
        LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh, LeakSignals.ProcessMemory, LeakSignals.NativeMemory,
        LeakSignals.Threads, LeakSignals.Timers, LeakSignals.GcHandles, LeakSignals.FinalizationQueue, LeakSignals.GcPressure,
        LeakSignals.RetainedObjects,
    ];

    /// <summary>Answers the request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="state">The mapping's state.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public static Task Handle(HttpContext context, DashboardState state)
    {
        var monitor = context.RequestServices.GetRequiredService<ILeakMonitor>();
        var query = context.Request.Query;
        var signal = query["signal"].ToString();
        if (!IsKnownSignal(monitor, signal))
        {
            return ApiResponse.ErrorAsync(
                context,
                StatusCodes.Status400BadRequest,
                $"Query parameter 'signal' must name a signal: {string.Join(", ", BuiltInSignals)} or a watched gauge.",
                "signal");
        }

        if (query["horizon"].Count > 1 || !HorizonParser.TryParse(query["horizon"].ToString(), out var horizon))
        {
            return ApiResponse.ErrorAsync(context, StatusCodes.Status400BadRequest, HorizonParser.Message, "horizon");
        }

        var now = state.TimeProvider.GetUtcNow();
        var from = now - horizon;
        var resolution = horizon / SeriesBuilder.TargetPoints;
        var points = SeriesBuilder.FromBuckets(monitor.GetSeries(signal, resolution), from);
        var source = "buckets";
        var resolutionSeconds = points.Length > 1 ? (points[^1].T - points[0].T).TotalSeconds / (points.Length - 1) : resolution.TotalSeconds;

        var interval = monitor.Options.SampleInterval;
        if (interval > TimeSpan.Zero && horizon / interval <= SeriesBuilder.MaxRawSamples)
        {
            var wanted = (int)Math.Ceiling(horizon / interval) + 1;
            var raw = SeriesBuilder.FromSamples(monitor.GetRecentMemorySamples(wanted), signal, from);
            if (raw.Length > points.Length)
            {
                points = raw;
                source = "samples";
                resolutionSeconds = interval.TotalSeconds;
            }
        }

        monitor.Verdicts.TryGetValue(signal, out var verdict);
        var body = new SeriesResponse
        {
            Signal = signal,
            Unit = LeakSignals.IsMemorySignal(signal) ? "By" : "1",
            HorizonSeconds = horizon.TotalSeconds,
            ResolutionSeconds = resolutionSeconds,
            Source = source,
            From = from,
            To = now,
            MemoryLimitBytes = monitor.MemoryLimitBytes,
            Points = points,
            Trend = SeriesBuilder.Trend(verdict),
        };
        return ApiResponse.JsonAsync(context, StatusCodes.Status200OK, body, DashboardJsonContext.Default.SeriesResponse);
    }

    private static bool IsKnownSignal(ILeakMonitor monitor, string signal) =>
        signal.Length > 0 && (Array.IndexOf(BuiltInSignals, signal) >= 0 || monitor.Verdicts.ContainsKey(signal));
}
