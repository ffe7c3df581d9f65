using LeakGuard.AspNetCore.Series;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

public sealed class HorizonParserTests
{
    [TestCase(null, 15 * 60)]
    [TestCase("", 15 * 60)]
    [TestCase("90s", 90)]
    [TestCase("5m", 300)]
    [TestCase("1h", 3600)]
    [TestCase("24H", 86400)]
    [TestCase("7d", 604800)]
    [TestCase("30d", 2592000)]
    public void Horizon_parses_whole_units(string? text, int seconds)
    {
        Assert.That(HorizonParser.TryParse(text, out var horizon), Is.True);
        Assert.That(horizon, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("59s")]
    [TestCase("31d")]
    [TestCase("h")]
    [TestCase("1 h")]
    [TestCase("+1h")]
    [TestCase("1w")]
    [TestCase("999999999d")]
    public void Horizon_rejects_malformed_or_out_of_range_values(string text) =>
        Assert.That(HorizonParser.TryParse(text, out _), Is.False);
}
