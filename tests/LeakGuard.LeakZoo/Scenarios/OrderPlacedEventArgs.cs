namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>The event published by <see cref="OrderEventHub"/>.</summary>
internal sealed class OrderPlacedEventArgs(long orderId) : EventArgs
{
    public long OrderId { get; } = orderId;
}
