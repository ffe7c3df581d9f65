using LeakGuard.Hosting;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class LeakGuardOptionsValidationTests
{
    private static IReadOnlyList<string> Failures(LeakGuardOptions options)
    {
        try
        {
            LeakGuardOptionsValidation.ThrowIfInvalid(options);
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures.ToList();
        }
    }

    [Test]
    public void Default_options_are_valid() => Assert.That(Failures(new LeakGuardOptions()), Is.Empty);

    [Test]
    public void Out_of_range_sample_interval_names_key_value_and_allowed_range()
    {
        var failures = Failures(new LeakGuardOptions { SampleInterval = TimeSpan.Zero });

        Assert.That(failures, Has.One.EqualTo("LeakGuard:SampleInterval is 00:00:00; allowed: 00:00:00.010 to 00:10:00."));
    }

    [Test]
    public void Gc_sample_rate_is_zero_or_positive_and_bounded()
    {
        Assert.That(Failures(new LeakGuardOptions { MaxGcSamplesPerSecond = 0 }), Is.Empty, "0 = every collection");
        Assert.That(new LeakGuardOptions().MaxGcSamplesPerSecond, Is.EqualTo(10));
        Assert.That(Failures(new LeakGuardOptions { MaxGcSamplesPerSecond = -1 }), Has.One.EqualTo("LeakGuard:MaxGcSamplesPerSecond is -1; allowed: 0 to 100000."));
        Assert.That(Failures(new LeakGuardOptions { MaxGcSamplesPerSecond = 100_001 }), Has.One.EqualTo("LeakGuard:MaxGcSamplesPerSecond is 100001; allowed: 0 to 100000."));
    }

    [Test]
    public void Recycle_exit_code_and_horizon_are_range_checked()
    {
        var options = new LeakGuardOptions();
        options.Recycle.ExitCode = 256;
        options.Recycle.TimeToLimitHorizon = TimeSpan.FromDays(2);

        Assert.That(Failures(options), Is.SupersetOf(new[]
        {
            "LeakGuard:Recycle:ExitCode is 256; allowed: 0 to 255.",
            "LeakGuard:Recycle:TimeToLimitHorizon is 2.00:00:00; allowed: 00:00:00 to 1.00:00:00.",
        }));
    }

    [Test]
    public void Nested_keys_are_named_with_their_section()
    {
        var options = new LeakGuardOptions();
        options.Detection.MinGrowthPercent = -1;
        options.Recycle.UtilizationThreshold = 1.5;
        options.Reports.MaxCount = 0;

        Assert.That(Failures(options), Is.SupersetOf(new[]
        {
            "LeakGuard:Detection:MinGrowthPercent is -1; allowed: 0 to 1000.",
            "LeakGuard:Recycle:UtilizationThreshold is 1.5; allowed: 0.1 to 1.",
            "LeakGuard:Reports:MaxCount is 0; allowed: 1 to 10000.",
        }));
    }

    [Test]
    public void Memory_limit_may_be_unset_but_not_tiny()
    {
        Assert.That(Failures(new LeakGuardOptions { MemoryLimitBytes = null }), Is.Empty);
        Assert.That(Failures(new LeakGuardOptions { MemoryLimitBytes = 1000 }), Has.One.StartsWith("LeakGuard:MemoryLimitBytes is 1000;"));
    }

    [Test]
    public void Window_must_hold_ten_sample_intervals()
    {
        var options = new LeakGuardOptions { SampleInterval = TimeSpan.FromMinutes(1) };
        options.Detection.Window = TimeSpan.FromMinutes(5);

        Assert.That(Failures(options), Has.One.EqualTo("LeakGuard:Detection:Window is 00:05:00; allowed: at least 10 × SampleInterval = 00:10:00."));
    }

    [Test]
    public void Undefined_enum_values_are_rejected()
    {
        var options = new LeakGuardOptions();
        options.Snapshots.Mode = (SnapshotMode)42;

        Assert.That(Failures(options), Has.One.EqualTo("LeakGuard:Snapshots:Mode is 42; allowed: Off, OnSuspicion or Manual."));
    }

    [Test]
    public void Recycle_period_shorter_than_a_sample_is_rejected_only_when_recycle_is_on()
    {
        var options = new LeakGuardOptions { SampleInterval = TimeSpan.FromSeconds(5) };
        options.Recycle.For = TimeSpan.FromSeconds(1);
        Assert.That(Failures(options), Is.Empty);

        options.Recycle.Enabled = true;
        Assert.That(Failures(options), Has.One.StartsWith("LeakGuard:Recycle:For is 00:00:01;"));
    }

    [Test]
    public void Whitespace_directories_are_rejected()
    {
        var options = new LeakGuardOptions { StateDirectory = "  " };

        Assert.That(Failures(options), Has.One.StartsWith("LeakGuard:StateDirectory is \"  \";"));
    }

    [Test]
    public void LeakMonitor_Start_throws_the_same_message_as_host_validation()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => LeakMonitor.Start(new LeakGuardOptions { WarmUp = TimeSpan.FromDays(2) }));

        Assert.That(ex!.Message, Does.Contain("LeakGuard:WarmUp is 2.00:00:00; allowed: 00:00:00 to 1.00:00:00."));
    }

    [Test]
    public void A_huge_sample_interval_is_named_not_an_overflow()
    {
        var failures = Failures(new LeakGuardOptions { SampleInterval = TimeSpan.Parse("10000000.00:00:00", System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(failures, Has.One.StartsWith("LeakGuard:SampleInterval is 10000000.00:00:00; allowed:"));
    }

    [Test]
    public void Min_growth_bytes_must_not_be_negative()
    {
        var options = new LeakGuardOptions();
        options.Snapshots.MinGrowthBytes = -5;

        Assert.That(Failures(options), Has.One.StartsWith("LeakGuard:Snapshots:MinGrowthBytes is -5; allowed: 0 to"));
    }
}
