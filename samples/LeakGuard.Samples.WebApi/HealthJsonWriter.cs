using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeakGuard.Samples.WebApi;

/// <summary>
/// Writes a health report as JSON: the overall status, then each check's status and description, so that
/// <c>/health</c> says which signal is suspected and why instead of a bare <c>Degraded</c>.
/// </summary>
internal static class HealthJsonWriter
{
    /// <summary>Writes the report (use as <c>HealthCheckOptions.ResponseWriter</c>).</summary>
    /// <param name="context">The request.</param>
    /// <param name="report">The health report.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("durationMs", report.TotalDuration.TotalMilliseconds);
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }
}
