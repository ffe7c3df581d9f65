namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>A request in flight (about 32 KiB: headers, body and user context).</summary>
internal sealed class CheckoutRequest
{
    private Payload32K _body;

    public CheckoutRequest(long orderId)
    {
        OrderId = orderId;
        _body[0] = (byte)orderId;
    }

    public long OrderId { get; }

    public bool Completed { get; private set; }

    public void Complete() => Completed = _body[0] == (byte)OrderId;
}
