using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Control: every request starts a periodic watchdog timer and never disposes it — but nothing references the timer
/// after the request, so the GC collects it and its finalizer takes it off the runtime's timer queue. The active
/// timer count rises between collections and falls after each (a sawtooth); nothing grows. (The same code with a
/// callback that captures its own timer is a leak, the known pattern
/// <c>timer-not-disposed</c>: the queue then keeps the timer, and with it the callback, alive.)
/// </summary>
internal sealed class UndisposedTimersScenario : RateScenario
{
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromSeconds(30);
    private static long s_fired;
    private long _checksum;

    public UndisposedTimersScenario(double timersPerSecond)
        : base(timersPerSecond)
    {
    }

    public override string Description => $"a {WatchdogPeriod.TotalSeconds:0}-s periodic watchdog timer per request, never disposed and not referenced (collected, its finalizer stops it)";

    public override long Units => Timer.ActiveCount;

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        // The request's own garbage (a parsed body), so collections keep coming as in a service.
        var body = new byte[8 * 1024];
        body[0] = (byte)sequence;
        _checksum += body[0];
        _ = new Timer(static state => Interlocked.Increment(ref s_fired), sequence, WatchdogPeriod, WatchdogPeriod);
    }
}
