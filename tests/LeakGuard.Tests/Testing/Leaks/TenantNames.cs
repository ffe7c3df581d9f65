using System.Globalization;

namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>String interning of a fixed set of names: each call builds a new string and gets the canonical one back.</summary>
internal static class TenantNames
{
    private static readonly Dictionary<string, int> Hits = new(StringComparer.Ordinal);

    public static string Normalize(int tenant)
    {
        var name = string.Intern("tenant-" + (tenant % 16).ToString(CultureInfo.InvariantCulture));
        Hits[name] = Hits.GetValueOrDefault(name) + 1;
        return name;
    }
}
