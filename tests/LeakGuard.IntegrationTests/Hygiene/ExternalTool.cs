using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Hygiene;

/// <summary>
/// Finds a program the tests drive (chromium, prometheus, promtool) the way the shell does, on <c>PATH</c>, or skips
/// the test that needs it. <c>LEAKGUARD_&lt;NAME&gt;</c> (for example <c>LEAKGUARD_CHROMIUM</c>) overrides the
/// search with a path; set it to <c>none</c> to run the suite as on a machine without the program.
/// </summary>
internal static class ExternalTool
{
    /// <summary>The program's path, or <see langword="null"/> when it is not installed (or hidden).</summary>
    /// <param name="name">The program's file name.</param>
    /// <returns>The full path, or <see langword="null"/>.</returns>
    public static string? Find(string name)
    {
        var overridden = Environment.GetEnvironmentVariable("LEAKGUARD_" + name.ToUpperInvariant());
        if (overridden is not null)
        {
            return File.Exists(overridden) ? overridden : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The program's path; the test is reported skipped (ignored) when it is not installed.</summary>
    /// <param name="name">The program's file name.</param>
    /// <param name="package">The Debian package that provides it.</param>
    /// <returns>The full path.</returns>
    public static string Require(string name, string package)
    {
        var found = Find(name);
        if (found is null)
        {
            Assert.Ignore($"{name} is not installed (Debian package '{package}'; .ci/run installs it).");
        }

        return found!;
    }
}
