using System.Text;
using System.Text.Json;

namespace LeakGuard.Cli;

/// <summary>Prints a replay's timeline as JSON (rates per second, durations in seconds, times ISO-8601).</summary>
internal static class TimelineJsonWriter
{
    /// <summary>Writes the timeline.</summary>
    /// <param name="output">The writer.</param>
    /// <param name="request">The options.</param>
    /// <param name="result">The replay.</param>
    public static void Write(TextWriter output, AnalyzeRequest request, AnalysisResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("file", request.Path);
            json.WriteString("signal", request.Signal);
            json.WriteNumber("values", result.Points);
            json.WriteString("first", result.First);
            json.WriteString("last", result.Last);
            json.WriteNumber("sampleIntervalSeconds", result.SampleInterval.TotalSeconds);
            json.WriteNumber("requestedWindowSeconds", result.RequestedWindow.TotalSeconds);
            json.WriteNumber("windowSeconds", result.Window.TotalSeconds);
            json.WriteStartArray("horizonsSeconds");
            foreach (var width in result.Settings.BucketWidths)
            {
                json.WriteNumberValue((width * result.Settings.PointsPerHorizon).TotalSeconds);
            }

            json.WriteEndArray();
            json.WriteBoolean("leak", result.Leaked);
            json.WriteStartArray("timeline");
            foreach (var v in result.Timeline)
            {
                WriteVerdict(json, v);
            }

            json.WriteEndArray();
            if (result.Final is { } final)
            {
                json.WritePropertyName("final");
                WriteVerdict(json, final);
            }
            else
            {
                json.WriteNull("final");
            }

            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteVerdict(Utf8JsonWriter json, LeakVerdict v)
    {
        json.WriteStartObject();
        json.WriteString("time", v.EvaluatedAt);
        json.WriteString("state", v.State.ToString());
        json.WriteString("since", v.Since);
        json.WriteNumber("horizonSeconds", v.Horizon.TotalSeconds);
        json.WriteNumber("growthRatePerSecond", v.GrowthRatePerSecond);
        json.WriteNumber("growthRateLowerPerSecond", v.GrowthRateLowerPerSecond);
        json.WriteNumber("growthRateUpperPerSecond", v.GrowthRateUpperPerSecond);
        json.WriteNumber("growthSinceBaseline", v.GrowthSinceBaseline);
        json.WriteNumber("pValue", v.PValue);
        json.WriteNumber("currentValue", v.CurrentValue);
        WriteSeconds(json, "timeToLimitSeconds", v.TimeToLimit);
        WriteSeconds(json, "timeToLimitEarliestSeconds", v.TimeToLimitEarliest);
        WriteSeconds(json, "timeToLimitLatestSeconds", v.TimeToLimitLatest);
        json.WriteString("reason", v.Reason);
        json.WriteEndObject();
    }

    private static void WriteSeconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v.TotalSeconds);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
