using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: every request subscribes a handler to a long-lived publisher's event; the handler's closure
/// holds the whole request. Only the success path (one request in five) unsubscribes.
/// Held by the static field <c>s_orderEvents</c> → the event's delegate list.
/// </summary>
internal sealed class EventListenerScenario : RateScenario
{
    private const int UnitBytes = 33 * 1024;
    private const int SuccessEvery = 5;
    private static readonly OrderEventHub s_orderEvents = new();

    // One in five requests succeeds and unsubscribes, so the leak rate is 4/5 of the request rate.
    public EventListenerScenario(double bytesPerSecond)
        : base(bytesPerSecond / UnitBytes * SuccessEvery / (SuccessEvery - 1))
    {
    }

    public override string Description => "handler per request on OrderEventHub.OrderPlaced, removed only on the success path (static field s_orderEvents)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var request = new CheckoutRequest(sequence);
        EventHandler<OrderPlacedEventArgs> handler = (_, e) =>
        {
            if (e.OrderId == request.OrderId)
            {
                request.Complete();
            }
        };
        s_orderEvents.OrderPlaced += handler;
        s_orderEvents.Publish(sequence);
        if (sequence % SuccessEvery == 0)
        {
            s_orderEvents.OrderPlaced -= handler;
        }
    }
}
