namespace LeakGuard.Investigation;

/// <summary>
/// Recognises LeakGuard's own objects and those of the diagnostics libraries it uses, so a monitor never reports
/// itself as the leak (prometheus-net's "memory warden" lesson).
/// </summary>
internal static class OwnTypeFilter
{
    // Every namespace of LeakGuard's assemblies and of its diagnostics libraries (TraceEvent and its FastSerialization,
    // Dia2Lib and PEFile parts, Microsoft.Diagnostics.NETCore.Client), checked against the assemblies' own types by
    // OwnTypeFilterTests, and the types TraceEvent declares in System's namespace (raw names: no BCL type has them).
    private static readonly string[] OwnNamespaces =
    [
        "LeakGuard.Investigation.",
        "LeakGuard.Sources.",
        "LeakGuard.Detection.",
        "LeakGuard.Buffering.",
        "LeakGuard.Telemetry.",
        "LeakGuard.Hosting.",
        "LeakGuard.Retention.",
        "LeakGuard.Formatting.",
        "LeakGuard.Storage.",
        "LeakGuard.AspNetCore.",
        "LeakGuard.Testing.",
        "LeakGuard.Cli.",
        "Microsoft.Diagnostics.Tracing.",
        "Microsoft.Diagnostics.NETCore.Client.",
        "Microsoft.Diagnostics.Symbols.",
        "Microsoft.Diagnostics.Utilities.",
        "Microsoft.Diagnostics.FastSerialization.",
        "FastSerialization.",
        "Diagnostics.Tracing.StackSources.",
        "Dia2Lib.",
        "PEFile.",
        "System.Collections.Generic.GrowableArray`",
        "System.Collections.Generic.SegmentedDictionary`",
        "System.Collections.Generic.SegmentedList`",
        "System.Collections.Generic.FunctorComparer`",
    ];

    // TraceEvent's types in the global namespace: only the whole name (or a nested type's) tells them.
    private static readonly string[] OwnGlobalTypes = ["NativeDlls", "ComStreamWrapper"];

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

        foreach (var type in OwnGlobalTypes)
        {
            if (typeName.StartsWith(type, StringComparison.Ordinal) && (typeName.Length == type.Length || typeName[type.Length] == '+'))
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
