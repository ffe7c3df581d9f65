using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public sealed class RuntimeTypeNamesTests
{
    [Test]
    public void A_live_method_table_is_named_in_the_runtime_raw_style()
    {
        var id = unchecked((ulong)typeof(Dictionary<Guid, Session>).TypeHandle.Value.ToInt64());

        var raw = RuntimeTypeNames.TryResolve(id);

        Assert.That(raw, Is.EqualTo("System.Collections.Generic.Dictionary`2[System.Guid,LeakGuard.Tests.Investigation.RuntimeTypeNamesTests+Session]"));
        Assert.That(TypeNameFormatter.Format(raw!), Does.StartWith("Dictionary<Guid, "));
    }

    [Test]
    public void Arrays_and_nested_generic_types_keep_their_shape()
    {
        Assert.That(RuntimeTypeNames.RawName(typeof(Session[])), Is.EqualTo("LeakGuard.Tests.Investigation.RuntimeTypeNamesTests+Session[]"));
        Assert.That(RuntimeTypeNames.RawName(typeof(int[,])), Is.EqualTo("System.Int32[,]"));
        Assert.That(
            RuntimeTypeNames.RawName(typeof(List<string>.Enumerator)),
            Is.EqualTo("System.Collections.Generic.List`1+Enumerator[System.String]"));
    }

    [Test]
    public void Ids_that_cannot_be_method_tables_are_not_touched()
    {
        Assert.That(RuntimeTypeNames.TryResolve(0), Is.Null);
        Assert.That(RuntimeTypeNames.TryResolve(0x1003), Is.Null);
    }

    [Test]
    public void Synthetic_graphs_keep_placeholder_names_without_a_resolver()
    {
        var builder = new HeapGraphBuilder();
        Assert.That(builder.UnnamedTypeResolver, Is.Null);
    }

    private sealed class Session;
}
