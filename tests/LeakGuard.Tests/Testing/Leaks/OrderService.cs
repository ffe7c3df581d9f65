namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>The README example's leaky service: every order is kept "for the dashboard" and never evicted.</summary>
public sealed class OrderService
{
    private static readonly Dictionary<Guid, Order> RecentOrders = [];

    public void PlaceOrder(Order order) => RecentOrders[order.Id] = order;

    public static void Forget() => RecentOrders.Clear();
}
