using NUnit.Framework;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Investigation;

public class OwnTypeFilterTests
{
    [TestCase("LeakGuard.Investigation.HeapGraph", true)]
    [TestCase("List<LeakGuard.Investigation.TypeStatistics>", true)]
    [TestCase("LeakGuard.LeakVerdict", true)]
    [TestCase("Microsoft.Diagnostics.Tracing.EventPipeEventSource", true)]
    [TestCase("Microsoft.Diagnostics.NETCore.Client.EventPipeSession", true)]
    [TestCase("LeakGuard.Tests.Investigation.Session", false)]
    [TestCase("MyApp.Session", false)]
    [TestCase("Dictionary<Guid, MyApp.Session>", false)]
    [TestCase("NotLeakGuard.Thing", false)]
    public void Own_types_are_recognised(string type, bool own) =>
        Assert.That(OwnTypeFilter.IsOwn(type), Is.EqualTo(own));
}
