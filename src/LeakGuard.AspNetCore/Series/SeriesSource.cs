using LeakGuard.AspNetCore.Json;

namespace LeakGuard.AspNetCore.Series;

/// <summary>One way to draw a chart: the raw samples or one bucket resolution, with how far back it reaches.</summary>
/// <param name="Source">The source's name in the API: <see cref="Samples"/> or <see cref="Buckets"/>.</param>
/// <param name="Resolution">The time between two points.</param>
/// <param name="Oldest">The oldest point the source holds, inside the horizon or not.</param>
/// <param name="Points">The points inside the horizon, oldest first.</param>
internal sealed record SeriesSource(string Source, TimeSpan Resolution, DateTimeOffset Oldest, SeriesPointDto[] Points)
{
    /// <summary>The name of the raw-sample source.</summary>
    public const string Samples = "samples";

    /// <summary>The name of a bucket source.</summary>
    public const string Buckets = "buckets";
}
