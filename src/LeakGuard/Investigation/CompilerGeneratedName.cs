namespace LeakGuard.Investigation;

/// <summary>
/// Recognises the C# compiler's generated type names, so a report says "closure in Program.Handle" instead of
/// <c>&lt;&gt;c__DisplayClass3_0</c> — the seed article's "closures capturing large scopes" case.
/// </summary>
internal static class CompilerGeneratedName
{
    /// <summary>Describes a compiler-generated type name in words.</summary>
    /// <param name="simpleName">The type's own name, for example <c>&lt;&gt;c__DisplayClass3_0</c> or <c>&lt;HandleAsync&gt;d__5</c>.</param>
    /// <param name="declaringType">The readable name of the type it is nested in, when known.</param>
    /// <param name="method">The method that created it, when known (display classes do not carry it in their name).</param>
    /// <returns>The description, or <see langword="null"/> when the name is not compiler-generated.</returns>
    public static string? Describe(string simpleName, string? declaringType, string? method = null)
    {
        if (!simpleName.StartsWith('<'))
        {
            return null;
        }

        var close = simpleName.IndexOf('>', StringComparison.Ordinal);
        if (close < 0 || close + 2 > simpleName.Length)
        {
            return null;
        }

        var inner = simpleName[1..close];
        var kind = simpleName[close + 1];
        var where = declaringType is null ? string.Empty : declaringType;
        string Located(string what, string? member) =>
            member is null
                ? (where.Length == 0 ? $"{what} ({simpleName})" : $"{what} in {where} ({simpleName})")
                : $"{what} in {(where.Length == 0 ? member : where + "." + member)} ({simpleName})";

        return kind switch
        {
            // <>c__DisplayClass3_0: the captured variables of a lambda or local function (a closure).
            'c' when inner.Length == 0 && simpleName.Length > close + 2 && simpleName.AsSpan(close + 2).StartsWith("__DisplayClass", StringComparison.Ordinal)
                => Located("closure", method),

            // <>c: the singleton that caches a class's non-capturing lambdas.
            'c' when inner.Length == 0 => Located("lambda cache", method),

            // <HandleAsync>d__5: the state machine of an async method or iterator.
            'd' => Located("state machine", inner),

            // <Main>$ (top-level statements) and anonymous types <>f__AnonymousType0.
            'f' when simpleName.Contains("AnonymousType", StringComparison.Ordinal) => $"anonymous type ({simpleName})",
            _ => inner.Length > 0 ? Located("compiler-generated type", inner) : $"compiler-generated type ({simpleName})",
        };
    }
}
