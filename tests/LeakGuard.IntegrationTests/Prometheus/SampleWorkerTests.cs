using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>
/// The worker sample as a real process with its own settings (a static order history that grows): its
/// <c>LeakReporter</c>, which logs what <c>ILeakMonitor.LeakDetected</c> carries, names the leak's known pattern and its
/// fix once the automatic investigation's report arrives (issue 17's target on the samples).
/// </summary>
[NonParallelizable]
public sealed class SampleWorkerTests
{
    private static readonly TimeSpan ReportDeadline = TimeSpan.FromMinutes(4);

    [Test]
    public async Task The_leak_event_names_the_known_pattern_and_its_fix_when_the_report_arrives()
    {
        var dll = await SampleBuild.DllAsync("LeakGuard.Samples.Worker");
        using var process = ChildProcess.Start("worker", "dotnet", [dll], Path.GetDirectoryName(dll)!, new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        });
        try
        {
            var line = await Eventually.ReturnsAsync(
                () => Task.FromResult(process.HasExited ? throw new AssertionException("the worker exited:\n" + process.Output)
                    : process.Output.Split('\n').FirstOrDefault(l => l.Contains("known pattern ", StringComparison.Ordinal) && l.Contains("Fix: ", StringComparison.Ordinal))),
                ReportDeadline,
                () => $"no known pattern with its fix from the worker's LeakReporter within {ReportDeadline.TotalMinutes} min:\n" + process.Output,
                TimeSpan.FromSeconds(1));

            TestContext.Out.WriteLine(line);
            Assert.That(line, Does.Contain("known pattern static-collection-as-cache: Dictionary or list in a static field used as a cache. Fix: "));
            var signature = await Eventually.ReturnsAsync(
                () => Task.FromResult(process.Output.Split('\n').FirstOrDefault(l => l.Contains("signature lg1-", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(10),
                () => "the report's event logged no signature:\n" + process.Output);
            Assert.That(signature, Does.Match("signature lg1-[0-9A-F]{16}"));
        }
        finally
        {
            await process.StopAsync(TimeSpan.FromSeconds(20));
        }
    }
}
