using LeakGuard.Formatting;
using NUnit.Framework;

namespace LeakGuard.Tests.Formatting;

public sealed class VerdictWordingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    private static LeakVerdict Verdict(LeakState state, double rate, TimeSpan? timeToLimit, string reason = "10 min horizon: the noise is too autocorrelated for this window to tell a trend from a wander.") => new()
    {
        Signal = LeakSignals.ManagedHeap,
        State = state,
        EvaluatedAt = Now,
        Since = Now,
        Horizon = TimeSpan.FromMinutes(40),
        GrowthRatePerSecond = rate,
        TimeToLimit = timeToLimit,
        Reason = reason,
    };

    [Test]
    public void A_stable_signal_says_no_steady_growth_and_has_no_time_to_the_limit()
    {
        var stable = Verdict(LeakState.Stable, 3, TimeSpan.FromDays(1025.6));

        Assert.That(VerdictWording.Summary(stable), Is.EqualTo("No steady growth."));
        Assert.That(VerdictWording.TimeToLimit(stable), Is.Null, "a stable signal's drift projects nothing");
        Assert.That(VerdictWording.Rate(stable), Is.EqualTo("+10.5 KiB/h"));
    }

    [Test]
    public void A_leak_names_its_window_rate_and_time_to_the_limit()
    {
        var leaking = Verdict(LeakState.Leaking, 614_700, TimeSpan.FromHours(57.03));

        Assert.That(VerdictWording.Summary(leaking), Is.EqualTo("Leaking: growing steadily over the last 40 min."));
        Assert.That(VerdictWording.Rate(leaking), Is.EqualTo("+35.2 MiB/min"));
        Assert.That(VerdictWording.TimeToLimit(leaking), Is.EqualTo("2 d 9 h"));
    }

    [Test]
    public void A_leak_held_while_nothing_grows_says_growth_paused_instead_of_0_B_per_hour()
    {
        var held = Verdict(LeakState.Leaking, 0, TimeSpan.FromHours(3), "State held by hysteresis: no horizon passes right now, but not for long enough to release it.");

        Assert.That(VerdictWording.Rate(held), Is.EqualTo("paused"));
        Assert.That(VerdictWording.Summary(held), Does.StartWith("Growth has paused"));
        Assert.That(VerdictWording.TimeToLimit(held), Is.Null);
    }

    [Test]
    public void Warming_up_and_settling_are_said_plainly()
    {
        Assert.That(VerdictWording.Summary(Verdict(LeakState.InsufficientData, double.NaN, null, "Warming up: not enough history.")), Is.EqualTo("Collecting data: too little history yet to judge."));
        Assert.That(VerdictWording.Summary(Verdict(LeakState.InsufficientData, double.NaN, null, "Settling: LeakGuard's own heap snapshot raised the process's memory.")), Does.StartWith("Settling after LeakGuard's own heap snapshot"));
    }
}
