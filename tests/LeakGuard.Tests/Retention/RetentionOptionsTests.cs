using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace LeakGuard.Tests.Retention;

public sealed class RetentionOptionsTests
{
    [Test]
    public void Defaults_follow_LeakCanary_grace_period_ten_seconds_threshold_five()
    {
        var options = new LeakGuardOptions().Retention;

        Assert.That(options.GracePeriod, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(options.Threshold, Is.EqualTo(5));
        Assert.That(options.MaxWatchedObjects, Is.EqualTo(4096));
    }

    [Test]
    public void Retention_section_binds_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LeakGuard:Retention:GracePeriod"] = "00:00:30",
                ["LeakGuard:Retention:Threshold"] = "3",
                ["LeakGuard:Retention:MaxWatchedObjects"] = "1000",
            })
            .Build();
        using var services = new ServiceCollection().AddLeakGuard(configuration.GetSection("LeakGuard")).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<LeakGuardOptions>>().Value.Retention;

        Assert.That(options.GracePeriod, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(options.Threshold, Is.EqualTo(3));
        Assert.That(options.MaxWatchedObjects, Is.EqualTo(1000));
    }
}
