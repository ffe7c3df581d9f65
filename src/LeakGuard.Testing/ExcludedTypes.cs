using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>
/// Types never reported as growing: LeakGuard's own (its snapshot machinery) and the test frameworks' (their result
/// and log objects grow with the test run, not with the operation under test).
/// </summary>
internal static class ExcludedTypes
{
    private static readonly string[] FrameworkNamespaces =
    [
        "LeakGuard.Testing.",
        "NUnit.",
        "Xunit.",
        "xunit.",
        "Microsoft.VisualStudio.TestPlatform.",
        "Microsoft.VisualStudio.TestTools.",
        "Microsoft.TestPlatform.",
        "Microsoft.Testing.",
        "MSTest.",
        "FsCheck.",
        "Castle.Proxies.",
    ];

    /// <summary>Gets a value indicating whether a type is left out of the assertions.</summary>
    /// <param name="rawName">The runtime's name.</param>
    /// <param name="readableName">The rendered name.</param>
    /// <returns><see langword="true"/> when the type belongs to LeakGuard or a test framework.</returns>
    public static bool IsExcluded(string rawName, string readableName)
    {
        if (OwnTypeFilter.IsOwn(rawName) || OwnTypeFilter.IsOwn(readableName))
        {
            return true;
        }

        foreach (var prefix in FrameworkNamespaces)
        {
            if (rawName.Contains(prefix, StringComparison.Ordinal) || readableName.Contains(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
