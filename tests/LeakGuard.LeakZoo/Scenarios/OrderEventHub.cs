namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>A long-lived publisher (one per process) that requests subscribe to.</summary>
internal sealed class OrderEventHub
{
    public event EventHandler<OrderPlacedEventArgs>? OrderPlaced;

    public void Publish(long orderId) => OrderPlaced?.Invoke(this, new OrderPlacedEventArgs(orderId));
}
