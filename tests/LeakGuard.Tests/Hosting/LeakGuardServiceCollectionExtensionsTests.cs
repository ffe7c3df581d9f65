using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class LeakGuardServiceCollectionExtensionsTests
{
    private static MonitorComponents FakeComponents() => new()
    {
        CreateGcEventSource = (_, _) => new FakeGcEventSource(),
        CreateMemoryProbe = _ => new FakeMemoryProbe(),
        CreateInvestigator = (_, _, _) => new FakeInvestigator(),
    };

    private static HostApplicationBuilder Builder(Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton(FakeComponents());
        return builder;
    }

    [Test]
    public void Adding_twice_registers_one_monitor_forwarded_as_ILeakMonitor_and_one_hosted_service()
    {
        var builder = Builder();
        builder.Services.AddLeakGuard();
        builder.Services.AddLeakGuard(o => o.WarmUp = TimeSpan.Zero);
        using var host = builder.Build();

        var monitor = host.Services.GetRequiredService<LeakMonitor>();
        Assert.That(host.Services.GetRequiredService<ILeakMonitor>(), Is.SameAs(monitor));
        Assert.That(host.Services.GetServices<IHostedService>().OfType<LeakMonitorHostedService>().Count(), Is.EqualTo(1));
        Assert.That(host.Services.GetServices<IValidateOptions<LeakGuardOptions>>().Count(), Is.EqualTo(2));
    }

    [Test]
    public void Binds_the_LeakGuard_section_by_default()
    {
        var builder = Builder(new()
        {
            ["LeakGuard:SampleInterval"] = "00:00:02",
            ["LeakGuard:Detection:Window"] = "00:30:00",
            ["LeakGuard:Snapshots:Mode"] = "Manual",
            ["LeakGuard:Recycle:Enabled"] = "true",
            ["LeakGuard:Health:UtilizationThreshold"] = "0.75",
        });
        builder.Services.AddLeakGuard();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<ILeakMonitor>().Options;
        Assert.That(options.SampleInterval, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(options.Detection.Window, Is.EqualTo(TimeSpan.FromMinutes(30)));
        Assert.That(options.Snapshots.Mode, Is.EqualTo(SnapshotMode.Manual));
        Assert.That(options.Recycle.Enabled, Is.True);
        Assert.That(options.Health.UtilizationThreshold, Is.EqualTo(0.75));
    }

    [Test]
    public void Environment_variables_with_double_underscores_configure_LeakGuard()
    {
        Environment.SetEnvironmentVariable("LeakGuard__WarmUp", "00:00:07");
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddSingleton(FakeComponents());
            builder.Services.AddLeakGuard();
            using var host = builder.Build();

            Assert.That(host.Services.GetRequiredService<ILeakMonitor>().Options.WarmUp, Is.EqualTo(TimeSpan.FromSeconds(7)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("LeakGuard__WarmUp", null);
        }
    }

    [Test]
    public void The_configure_action_runs_after_binding()
    {
        var builder = Builder(new() { ["LeakGuard:WarmUp"] = "00:01:00" });
        builder.Services.AddLeakGuard(o => o.WarmUp = TimeSpan.FromSeconds(3));
        using var host = builder.Build();

        Assert.That(host.Services.GetRequiredService<ILeakMonitor>().Options.WarmUp, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public void The_IConfiguration_overload_binds_the_given_section()
    {
        var builder = Builder(new() { ["Diagnostics:Leaks:WarmUp"] = "00:02:00", ["LeakGuard:WarmUp"] = "00:09:00" });
        builder.Services.AddLeakGuard(builder.Configuration.GetSection("Diagnostics:Leaks"));
        using var host = builder.Build();

        Assert.That(host.Services.GetRequiredService<ILeakMonitor>().Options.WarmUp, Is.EqualTo(TimeSpan.FromMinutes(2)));
    }

    [Test]
    public void Bad_configuration_fails_host_start_naming_key_value_and_range()
    {
        var builder = Builder(new() { ["LeakGuard:SampleInterval"] = "00:00:00.001" });
        builder.Services.AddLeakGuard();
        using var host = builder.Build();

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.That(ex!.Message, Does.Contain("LeakGuard:SampleInterval is 00:00:00.0010000; allowed: 00:00:00.010 to 00:10:00."));
    }

    [Test]
    public void Cross_field_rules_fail_host_start_too()
    {
        var builder = Builder(new() { ["LeakGuard:SampleInterval"] = "00:01:00", ["LeakGuard:Detection:Window"] = "00:02:00" });
        builder.Services.AddLeakGuard();
        using var host = builder.Build();

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.That(ex!.Message, Does.Contain("LeakGuard:Detection:Window is 00:02:00"));
    }

    [Test]
    public async Task The_host_starts_and_stops_the_monitor()
    {
        var builder = Builder();
        builder.Services.AddLeakGuard();
        using var host = builder.Build();
        var monitor = host.Services.GetRequiredService<ILeakMonitor>();

        await host.StartAsync();
        Assert.That(monitor.IsRunning, Is.True);
        await host.StopAsync();
        Assert.That(monitor.IsRunning, Is.False);
    }

    [Test]
    public async Task A_disabled_monitor_does_not_run()
    {
        var builder = Builder(new() { ["LeakGuard:Enabled"] = "false" });
        builder.Services.AddLeakGuard();
        using var host = builder.Build();

        await host.StartAsync();
        Assert.That(host.Services.GetRequiredService<ILeakMonitor>().IsRunning, Is.False);
        await host.StopAsync();
    }

    [Test]
    public async Task A_bare_service_collection_without_logging_or_metrics_still_works()
    {
        var services = new ServiceCollection();
        services.AddSingleton(FakeComponents());
        services.AddLeakGuard();
        await using var provider = services.BuildServiceProvider();

        var hosted = provider.GetServices<IHostedService>().Single();
        await hosted.StartAsync(CancellationToken.None);
        Assert.That(provider.GetRequiredService<ILeakMonitor>().IsRunning, Is.True);
        await hosted.StopAsync(CancellationToken.None);
    }
}
