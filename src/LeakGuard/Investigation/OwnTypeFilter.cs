namespace LeakGuard.Investigation;

/// <summary>
/// Recognises LeakGuard's own objects and those of the diagnostics libraries it uses, so a monitor never reports
/// itself as the leak (prometheus-net's "memory warden" lesson).
/// </summary>
internal static class OwnTypeFilter
{
    private static readonly string[] OwnNamespaces =
    [
        "LeakGuard.Investigation.",
        "LeakGuard.Sources.",
        "LeakGuard.Detection.",
        "LeakGuard.Buffering.",
        "LeakGuard.Telemetry.",
        "LeakGuard.Hosting.",
        "LeakGuard.AspNetCore.",
        "Microsoft.Diagnostics.Tracing.",
        "Microsoft.Diagnostics.NETCore.Client.",
        "Microsoft.Diagnostics.Symbols.",
        "Microsoft.Diagnostics.Utilities.",
        "FastSerialization.",
    ];

    /// <summary>Gets a value indicating whether a type (raw or rendered name) belongs to LeakGuard or its diagnostics libraries.</summary>
    /// <param name="typeName">The type name.</param>
    /// <returns><see langword="true"/> for LeakGuard's own types, including generic instantiations over them.</returns>
    public static bool IsOwn(string typeName)
    {
        foreach (var prefix in OwnNamespaces)
        {
            if (typeName.Contains(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        // Types directly in the LeakGuard namespace (options, verdicts); LeakGuard.Tests.* and the like are not ours.
        var index = typeName.IndexOf("LeakGuard.", StringComparison.Ordinal);
        while (index >= 0)
        {
            var atStart = index == 0 || !char.IsLetterOrDigit(typeName[index - 1]);
            var end = index + "LeakGuard.".Length;
            while (end < typeName.Length && (char.IsLetterOrDigit(typeName[end]) || typeName[end] == '_'))
            {
                end++;
            }

            if (atStart && (end == typeName.Length || typeName[end] != '.'))
            {
                return true;
            }

            index = typeName.IndexOf("LeakGuard.", end, StringComparison.Ordinal);
        }

        return false;
    }
}
