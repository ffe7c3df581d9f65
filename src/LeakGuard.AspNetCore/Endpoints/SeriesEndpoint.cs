using LeakGuard.AspNetCore.Json;
using LeakGuard.AspNetCore.Series;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary><c>GET {prefix}/api/series?signal=managed_heap&amp;horizon=15m</c>: one signal's history and projected trend.</summary>
internal static class SeriesEndpoint
{
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
                $"Query parameter 'signal' must name a signal: {string.Join(", ", LeakSignals.BuiltIn)} or a watched gauge.",
                "signal");
        }

        if (query["horizon"].Count > 1 || !HorizonParser.TryParse(query["horizon"].ToString(), out var horizon))
        {
            return ApiResponse.ErrorAsync(context, StatusCodes.Status400BadRequest, HorizonParser.Message, "horizon");
        }

        var now = state.TimeProvider.GetUtcNow();
        var from = now - horizon;
        var chosen = SeriesBuilder.Choose(Candidates(monitor, signal, horizon, from), from);

        monitor.Verdicts.TryGetValue(signal, out var verdict);
        var body = new SeriesResponse
        {
            Signal = signal,
            Unit = LeakSignals.IsMemorySignal(signal) ? "By" : "1",
            HorizonSeconds = horizon.TotalSeconds,
            ResolutionSeconds = chosen.Resolution.TotalSeconds,
            Source = chosen.Source,
            From = from,
            To = now,
            MemoryLimitBytes = monitor.MemoryLimitBytes,
            Points = chosen.Points,
            Markers = SeriesBuilder.Markers(verdict, state.History?.Of(signal) ?? [], monitor.Reports, from, now),
            Trend = SeriesBuilder.Trend(verdict),
        };
        return ApiResponse.JsonAsync(context, StatusCodes.Status200OK, body, DashboardJsonContext.Default.SeriesResponse);
    }

    /// <summary>
    /// Every source that may draw the chart: the raw samples (as many as the horizon needs, up to
    /// <see cref="SeriesBuilder.MaxRawSamples"/>) and each bucket resolution from horizon / <see cref="SeriesBuilder.TargetPoints"/>
    /// up to a quarter of the horizon.
    /// </summary>
    private static List<SeriesSource> Candidates(ILeakMonitor monitor, string signal, TimeSpan horizon, DateTimeOffset from)
    {
        var candidates = new List<SeriesSource>();
        var interval = monitor.Options.SampleInterval;
        if (interval > TimeSpan.Zero)
        {
            var wanted = (int)Math.Min(SeriesBuilder.MaxRawSamples, Math.Ceiling(horizon / interval) + 1);
            var samples = monitor.GetRecentMemorySamples(wanted);
            var raw = SeriesBuilder.FromSamples(samples, signal, DateTimeOffset.MinValue);
            if (raw.Length > 0)
            {
                candidates.Add(new SeriesSource(SeriesSource.Samples, interval, raw[0].T, SeriesBuilder.FromSamples(samples, signal, from)));
            }
        }

        // Doubling finds every resolution whatever the monitor's level factor; the same one twice is skipped.
        for (var resolution = horizon / SeriesBuilder.TargetPoints; resolution <= horizon / 4; resolution *= 2)
        {
            var buckets = monitor.GetSeries(signal, resolution);
            if (buckets.Count == 0)
            {
                continue;
            }

            var width = buckets.Count > 1 ? (buckets[^1].Timestamp - buckets[0].Timestamp) / (buckets.Count - 1) : resolution;
            if (!candidates.Exists(c => c.Source == SeriesSource.Buckets && c.Oldest == buckets[0].Timestamp && c.Resolution == width))
            {
                candidates.Add(new SeriesSource(SeriesSource.Buckets, width, buckets[0].Timestamp, SeriesBuilder.FromBuckets(buckets, from)));
            }
        }

        return candidates;
    }

    private static bool IsKnownSignal(ILeakMonitor monitor, string signal) =>
        signal.Length > 0 && (LeakSignals.BuiltIn.Contains(signal) || monitor.Verdicts.ContainsKey(signal));
}
