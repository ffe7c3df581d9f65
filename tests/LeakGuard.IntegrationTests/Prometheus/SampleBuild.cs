using System.Diagnostics;
using LeakGuard.IntegrationTests.Dashboard;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>The samples' builds, in the test's configuration.</summary>
internal static class SampleBuild
{
    /// <summary>Finds a sample built in the test's configuration (the solution build makes it), else builds it.</summary>
    /// <param name="name">The sample's project name under <c>samples/</c>, for example <c>LeakGuard.Samples.WebApi</c>.</param>
    /// <returns>The sample's entry assembly.</returns>
    public static async Task<string> DllAsync(string name)
    {
        var configuration = BuildConfiguration.Name;
        var project = Path.Combine(RepositoryPaths.Root, "samples", name);
        var dll = Path.Combine(project, "bin", configuration, "net10.0", name + ".dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        TestContext.Progress.WriteLine($"Building {name} ({configuration}) ...");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", configuration, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        Assert.That(build.ExitCode, Is.Zero, $"dotnet build of {name} failed:\n" + output);
        return dll;
    }
}
