using System.Diagnostics;

namespace LeakGuard.IntegrationTests.Investigation;

/// <summary>Runs tests/LeakGuard.SnapshotTarget as a child process (built alongside this project, same configuration).</summary>
internal static class SnapshotTargetProcess
{
    public static string AssemblyPath
    {
        get
        {
            // bin/<Configuration>/net10.0 of this project → the same of the target project.
            var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testDirectory.Name;
            var configuration = testDirectory.Parent!.Name;
            var repository = testDirectory.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(repository, "tests", "LeakGuard.SnapshotTarget", "bin", configuration, framework, "LeakGuard.SnapshotTarget.dll");
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string mode, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(AssemblyPath);
        start.ArgumentList.Add(mode);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
