using System.Diagnostics;
using LeakGuard.IntegrationTests.Dashboard;
using LeakGuard.IntegrationTests.Hygiene;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>The alert rules in deploy/prometheus, checked and unit-tested by Prometheus's own promtool.</summary>
public sealed class AlertRulesTests
{
    private static string RulesFolder => Path.Combine(RepositoryPaths.Root, "deploy", "prometheus");

    [Test]
    public async Task Alert_rules_are_valid_prometheus_rules()
    {
        var (exitCode, output) = await PromtoolAsync("check", "rules", "leakguard.rules.yml");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("SUCCESS: 11 rules found"));
    }

    [Test]
    public async Task Alert_rules_pass_their_promtool_unit_tests()
    {
        var (exitCode, output) = await PromtoolAsync("test", "rules", "leakguard.rules.test.yml");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("SUCCESS"));
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        using var process = Process.Start(new ProcessStartInfo(promtool, arguments)
        {
            WorkingDirectory = RulesFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
