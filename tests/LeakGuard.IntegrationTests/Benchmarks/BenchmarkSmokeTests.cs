using System.Diagnostics;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Benchmarks;

/// <summary>
/// CI runs the benchmarks only in BenchmarkDotNet's dry mode (and the overhead harness for one short
/// round): they must keep compiling and running; their timings are never asserted.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BenchmarkSmokeTests
{
    [Test]
    public void Micro_benchmarks_run_in_dry_mode()
    {
        var (exitCode, output) = Run(
            "benchmarks/LeakGuard.Benchmarks",
            TimeSpan.FromMinutes(12),
            "--filter", "*", "--job", "Dry", "--inProcess", "--noOverwrite", "--artifacts", Path.Combine(Path.GetTempPath(), "leakguard-bdn-dry"));
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Global total time"), output);
        Assert.That(output, Does.Not.Contain("// ERROR"), output);
    }

    [Test]
    public void Overhead_harness_runs_one_short_round()
    {
        var output = Path.Combine(Path.GetTempPath(), $"leakguard-overhead-{Guid.NewGuid():N}.md");
        var (exitCode, text) = Run(
            "benchmarks/LeakGuard.Overhead",
            TimeSpan.FromMinutes(5),
            "--rounds", "1", "--warmup", "0.5", "--seconds", "1", "--output", output);
        Assert.That(exitCode, Is.Zero, text);
        var report = File.ReadAllText(output);
        Assert.That(report, Does.Contain("B LeakGuard (defaults)"));
        Assert.That(report, Does.Contain("allocation per GC processed"));
        File.Delete(output);
    }

    [Test]
    public void Overhead_harness_runs_one_in_process_quad()
    {
        var output = Path.Combine(Path.GetTempPath(), $"leakguard-overhead-quad-{Guid.NewGuid():N}.md");
        var (exitCode, text) = Run(
            "benchmarks/LeakGuard.Overhead",
            TimeSpan.FromMinutes(5),
            "--in-process", "1", "--quads", "1", "--warmup", "1", "--seconds", "1", "--output", output);
        Assert.That(exitCode, Is.Zero, text);
        var report = File.ReadAllText(output);
        Assert.That(report, Does.Contain("process CPU per operation, on / off"));

        // The recording's reader thread ends with each "on" block: its CPU is counted as the ended threads'.
        Assert.That(report, Does.Contain("| (ended_in_block) |"), report);
        File.Delete(output);
    }

    private static (int ExitCode, string Output) Run(string project, TimeSpan deadline, params string[] args)
    {
        var root = RepositoryRoot.Find();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "run", "--no-build", "-c", BuildConfiguration.Name, "--project", project, "--" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(deadline))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{project} did not finish within {deadline}.\n{stdout.Result}\n{stderr.Result}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
