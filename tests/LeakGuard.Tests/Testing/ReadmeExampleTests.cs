using LeakGuard.Testing;
using LeakGuard.Tests.Testing.Leaks;
using NUnit.Framework;

namespace LeakGuard.Tests.Testing;

/// <summary>The README's "Catch leaks in CI" example, run as written (its failure is the expected outcome here).</summary>
[NonParallelizable]
public sealed class ReadmeExampleTests
{
    [TearDown]
    public void CleanUp() => OrderService.Forget();

    [Test]
    public void Readme_example_fails_with_the_order_type_and_the_static_dictionary()
    {
        var service = new OrderService();

        var failure = Assert.Throws<LeakAssertionException>(() =>
            LeakAssert.NoRetainedGrowth(() => service.PlaceOrder(new Order(Guid.NewGuid(), "sku-1")), iterations: 500));

        TestContext.Out.WriteLine(failure!.Message);
        Assert.That(failure.Message, Does.Contain("LeakGuard.Tests.Testing.Leaks.Order: +1,000 live instances (1 per iteration)"));
        Assert.That(failure.Message, Does.Contain("held by static field LeakGuard.Tests.Testing.Leaks.OrderService.RecentOrders → Dictionary<Guid, LeakGuard.Tests.Testing.Leaks.Order>"));
    }
}
