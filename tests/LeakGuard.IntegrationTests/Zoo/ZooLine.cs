using System.Text.Json;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>One machine-readable line of the zoo's stdout: <c>TAG {json}</c>.</summary>
internal sealed class ZooLine
{
    private ZooLine(string tag, JsonElement data, string text)
    {
        Tag = tag;
        Data = data;
        Text = text;
    }

    public string Tag { get; }

    public JsonElement Data { get; }

    public string Text { get; }

    /// <summary>Gets the child's clock: seconds since it started.</summary>
    public double T => Number("t") ?? double.NaN;

    /// <summary>Gets the Unix time, in seconds, at which the child wrote the line.</summary>
    public double Wall => Number("wall") ?? double.NaN;

    public static ZooLine? TryParse(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !text.StartsWith("ZOO-", StringComparison.Ordinal) && !text.StartsWith("LEAKGUARD-", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(text[(space + 1)..]);
            return new ZooLine(text[..space], doc.RootElement.Clone(), text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string? String(string name) =>
        Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public double? Number(string name) =>
        Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public bool IsVerdict(LeakState state) => Tag == "LEAKGUARD-VERDICT" && String("state") == state.ToString();

    public override string ToString() => Text;
}
