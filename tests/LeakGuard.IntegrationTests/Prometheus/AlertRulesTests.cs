using System.Diagnostics;
using LeakGuard.IntegrationTests.Dashboard;
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
        Assert.That(output, Does.Contain("SUCCESS: 4 rules found"));
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
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            Assert.Ignore("promtool is not installed (Debian package 'prometheus'; .ci/run installs it).");
        }

        using var process = Process.Start(new ProcessStartInfo(promtool!, arguments)
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
