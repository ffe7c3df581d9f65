using NUnit.Framework;

namespace LeakGuard.Tests;

public sealed class LeakSignalsTests
{
    [TestCase(LeakSignals.ManagedHeap, true)]
    [TestCase(LeakSignals.NativeMemory, true)]
    [TestCase(LeakSignals.ProcessMemory, true)]
    [TestCase(LeakSignals.Threads, false)]
    [TestCase(LeakSignals.RetainedObjects, false)]
    [TestCase(LeakSignals.LoadedAssemblies, false)]
    [TestCase("my_cache", false)]
    public void Memory_signals_are_the_byte_valued_ones(string signal, bool expected) =>
        Assert.That(LeakSignals.IsMemorySignal(signal), Is.EqualTo(expected));
}
