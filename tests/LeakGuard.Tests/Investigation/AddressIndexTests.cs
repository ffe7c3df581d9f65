using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class AddressIndexTests
{
    [TestCase(1)]
    [TestCase(15)]
    [TestCase(16)]
    [TestCase(17)]
    [TestCase(1000)]
    public void Every_address_maps_back_to_its_node(int count)
    {
        // Out of order like two regions streamed high one first.
        var addresses = Enumerable.Range(0, count).Select(i => i < count / 2 ? 0x7f00_0000_0000L + (i * 32L) : 0x1000L + (i * 24L)).ToArray();
        var index = AddressIndex.Create([.. addresses]);

        for (var node = 0; node < count; node++)
        {
            Assert.That(index.Find(addresses[node]), Is.EqualTo(node));
        }
    }

    [Test]
    public void Addresses_between_objects_and_outside_the_heap_are_not_found()
    {
        var index = AddressIndex.Create([.. Enumerable.Range(0, 100).Select(i => 0x1000L + (i * 32L))]);

        Assert.That(index.Find(0x0), Is.EqualTo(-1));
        Assert.That(index.Find(0x1008), Is.EqualTo(-1));
        Assert.That(index.Find(0x1000 + (100 * 32)), Is.EqualTo(-1));
        Assert.That(index.Find(long.MaxValue), Is.EqualTo(-1));
    }

    [Test]
    public void Empty_index_finds_nothing() => Assert.That(AddressIndex.Create([]).Find(0x1000), Is.EqualTo(-1));
}
