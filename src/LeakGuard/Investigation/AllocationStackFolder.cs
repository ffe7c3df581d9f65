namespace LeakGuard.Investigation;

/// <summary>
/// Turns a resolved allocation stack into the frames a reader needs: the runtime's unnamed native frames (the
/// allocator itself) left out, each run of LeakGuard's or its diagnostics libraries' frames folded into one, and at
/// most <see cref="MaxFrames"/> frames kept, innermost first.
/// </summary>
internal static class AllocationStackFolder
{
    /// <summary>The most frames kept per stack: the allocation site and its callers up to the request or job that ran it.</summary>
    public const int MaxFrames = 12;

    /// <summary>The frame that stands for a run of LeakGuard's own frames.</summary>
    public const string OwnFrame = "[LeakGuard]";

    private static readonly string[] OwnModules =
    [
        "LeakGuard", "LeakGuard.AspNetCore", "LeakGuard.Testing", "LeakGuard.Cli",
        "Microsoft.Diagnostics.Tracing.TraceEvent", "Microsoft.Diagnostics.NETCore.Client", "Microsoft.Diagnostics.FastSerialization",
    ];

    /// <summary>Folds one stack.</summary>
    /// <param name="frames">The frames, innermost first: the method's full name (empty when unresolved) and its module.</param>
    /// <param name="ownOnly">
    /// Set when the stack runs through LeakGuard's code and no application code — only LeakGuard's and the framework's
    /// (<c>System.*</c>, <c>Microsoft.*</c>) frames: the allocation is the monitor's own (its reader thread renting
    /// buffers, its timers), not the application's. An application frame anywhere (a test run by <c>LeakAssert</c>) keeps it.
    /// </param>
    /// <returns>The folded frames as <c>Module!Namespace.Type.Method(arguments)</c>.</returns>
    public static string[] Fold(IEnumerable<(string Method, string Module)> frames, out bool ownOnly)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var folded = new List<string>(MaxFrames);
        var own = 0;
        var application = 0;
        foreach (var (method, module) in frames)
        {
            if (string.IsNullOrEmpty(method) || method == "?")
            {
                continue;
            }

            if (!IsOwnModule(module) && !IsFrameworkModule(module))
            {
                application++;
            }

            if (IsOwnModule(module))
            {
                own++;
                if (folded.Count == 0 || folded[^1] != OwnFrame)
                {
                    Add(folded, OwnFrame);
                }

                continue;
            }

            Add(folded, string.IsNullOrEmpty(module) || module == "?" ? method : module + "!" + method);
        }

        ownOnly = own > 0 && application == 0;
        return [.. folded];
    }

    /// <summary>Gets a value indicating whether a module is LeakGuard's or one of its diagnostics libraries.</summary>
    /// <param name="module">The module's name (no extension).</param>
    /// <returns><see langword="true"/> for LeakGuard's modules; <c>LeakGuard.Tests</c> and the like are the application's.</returns>
    public static bool IsOwnModule(string module) => Array.IndexOf(OwnModules, module) >= 0;

    private static bool IsFrameworkModule(string module) =>
        module.StartsWith("System.", StringComparison.Ordinal) || module.StartsWith("Microsoft.", StringComparison.Ordinal)
        || module is "System" or "netstandard" or "mscorlib";

    private static void Add(List<string> folded, string frame)
    {
        if (folded.Count < MaxFrames)
        {
            folded.Add(frame);
        }
    }
}
