namespace LeakGuard.TestSupport;

/// <summary>
/// Tells whether a name a report shows (a type, a path step, a root, an allocation frame) comes from LeakGuard itself or
/// from the diagnostics libraries it uses (TraceEvent with FastSerialization, the diagnostics client). Issue 17: a report
/// never shows them. Written apart from the library's own filter (<c>OwnTypeFilter</c>) so that a gap in that filter
/// shows here; linked into the unit and the integration tests.
/// </summary>
internal static class ForeignNames
{
    // TraceEvent's and the diagnostics client's namespaces, and the types TraceEvent declares in System's (readable names drop "System.").
    private static readonly string[] DiagnosticsNames =
    [
        "Microsoft.Diagnostics.",
        "TraceEvent",
        "FastSerialization",
        "PEFile.",
        "Dia2Lib.",
        "Diagnostics.Tracing.StackSources.",
        "GrowableArray<",
        "GrowableArray`",
        "SegmentedList<",
        "SegmentedList`",
        "SegmentedDictionary<",
        "SegmentedDictionary`",
        "ManifestEnvelope",
    ];

    /// <summary>Gets a value indicating whether a name shows anything of LeakGuard or its diagnostics libraries.</summary>
    /// <param name="name">The name as the report shows it.</param>
    /// <param name="applicationNamespaces">
    /// The application's own namespaces that start with <c>LeakGuard</c> (the zoo's <c>LeakGuard.LeakZoo</c>, the unit
    /// tests' <c>LeakGuard.Tests</c>): they are the application's, not LeakGuard's.
    /// </param>
    /// <returns><see langword="true"/> when any part of the name is LeakGuard's or a diagnostics library's.</returns>
    public static bool IsLeakGuards(string name, params string[] applicationNamespaces)
    {
        foreach (var diagnostics in DiagnosticsNames)
        {
            if (name.Contains(diagnostics, StringComparison.Ordinal))
            {
                return true;
            }
        }

        // Every "LeakGuard" word (namespace, module or type name) that does not start one of the application's namespaces.
        for (var at = name.IndexOf("LeakGuard", StringComparison.Ordinal); at >= 0; at = name.IndexOf("LeakGuard", at + 1, StringComparison.Ordinal))
        {
            var wordStart = at == 0 || !IsNameChar(name[at - 1]);
            var wordEnd = at + "LeakGuard".Length == name.Length || !IsNameChar(name[at + "LeakGuard".Length]);
            if (wordStart && wordEnd && !applicationNamespaces.Any(ns => StartsNamespace(name, at, ns)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsNamespace(string name, int at, string ns) =>
        string.CompareOrdinal(name, at, ns, 0, ns.Length) == 0 && (at + ns.Length == name.Length || !IsNameChar(name[at + ns.Length]));

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
