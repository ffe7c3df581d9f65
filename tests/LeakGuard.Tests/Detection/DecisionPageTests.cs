using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using LeakGuard.Detection;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// docs/detection.md's "The decision on one page" is meant to be checked line by line against the code: every method,
/// constant and setting it names must exist, and every constant it quotes with a value must have that value.
/// </summary>
public sealed partial class DecisionPageTests
{
    private static readonly Assembly Library = typeof(SignalDetector).Assembly;

    private static string Page()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LeakGuard.sln")))
            {
                var text = File.ReadAllText(Path.Combine(directory.FullName, "docs", "detection.md"));
                var start = text.IndexOf("## The decision on one page", StringComparison.Ordinal);
                var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
                Assert.That(start, Is.GreaterThanOrEqualTo(0), "docs/detection.md has no section \"The decision on one page\"");
                return text[start..end];
            }
        }

        throw new InvalidOperationException("LeakGuard.sln not found above the test's directory.");
    }

    [Test]
    public void Every_name_the_page_gives_is_a_type_or_member_of_the_library()
    {
        var names = CodeName().Matches(Page()).Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.That(names, Has.Length.GreaterThan(30), "the page names the code it states");
        var missing = names.Where(n => Resolve(n).Count == 0).ToArray();
        Assert.That(missing, Is.Empty, "named on the page, absent from the library");
    }

    [Test]
    public void Every_constant_the_page_quotes_has_that_value()
    {
        var settings = DetectorSettings.Create(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), new DetectionOptions());
        var quoted = QuotedValue().Matches(Page()).ToArray();
        Assert.That(quoted, Has.Length.GreaterThan(15), "the page quotes the constants' values");
        foreach (Match m in quoted)
        {
            var (name, number, percent) = (m.Groups[1].Value, double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Success);
            var members = Resolve(name);
            if (members.All(x => x is FieldInfo { DeclaringType.IsEnum: true }))
            {
                // A sensitivity followed by its threshold ("`Low` 12"): the sentence quotes a setting, not a constant.
                continue;
            }

            var values = members.Select(x => x switch
            {
                FieldInfo { IsLiteral: true } f => Convert.ToDouble(f.GetRawConstantValue(), CultureInfo.InvariantCulture),
                FieldInfo { IsStatic: true } f when f.GetValue(null) is IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
                PropertyInfo p when p.DeclaringType == typeof(DetectorSettings) && p.GetValue(settings) is IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
                _ => double.NaN,
            }).Where(double.IsFinite).ToArray();
            var expected = percent ? number / 100 : number;
            Assert.That(values, Has.Some.EqualTo(expected).Within(1e-12), $"`{name}` {m.Groups[2].Value}{(percent ? " %" : string.Empty)} on the page");
        }
    }

    /// <summary>The types and members a name on the page denotes: <c>Type.Member</c>, or any type or member of that name.</summary>
    private static List<MemberInfo> Resolve(string name)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var types = Library.GetTypes();
        var dot = name.LastIndexOf('.');
        if (dot > 0)
        {
            var (typeName, member) = (name[..dot], name[(dot + 1)..]);
            return types.Where(t => t.Name == typeName).SelectMany(t => t.GetMember(member, All)).ToList();
        }

        return [.. types.Where(t => t.Name == name), .. types.SelectMany(t => t.GetMember(name, All))];
    }

    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)?)`")]
    private static partial Regex CodeName();

    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]*)`\s+(\d+(?:\.\d+)?)(\s*%)?")]
    private static partial Regex QuotedValue();
}
